/**
 * The story a run's curves tell, as chart markers and phase bands: "memorized @ N" (full
 * training accuracy ≥ 0.99), "generalized @ N" (validation ≥ 0.95), "softmax collapse @ N" (half the
 * training rows with a zero loss gradient, src/core/collapse.ts), whether that was grokking
 * (a real delay) or ordinary generalization, the phases (docs/inside.md) and the live edits.
 */
import { softmaxCollapseStep } from '../core/collapse';
import { GROK_THRESHOLD, STRICT_GROK_THRESHOLD } from '../core/grokking';
import { phaseBands, phaseSeries, type PhaseSeries, type RunPhase } from '../core/inside-phases';
import type { RunSeries } from '../core/metrics';
import type { ChartBand, ChartMarker } from './charts/MetricChart';
import { BAND_COLOURS, PHASE_MEANING } from './charts/phase-legend';

/** A live edit, drawn as a marker where it took effect ("wd 1 → 0"). */
export interface EditMark {
  step: number;
  label: string;
}

/**
 * Generalization counts as grokking when it comes well after memorization: at least 5
 * evaluations and at least a quarter of the memorization step later. Otherwise it is
 * "generalized (no delay)" — the two rose together, which is not the phenomenon.
 */
export function isGrokkingDelay(memorizedAt: number, generalizedAt: number, evalEvery: number): boolean {
  const delay = generalizedAt - memorizedAt;
  return delay >= 5 * evalEvery && delay >= 0.25 * memorizedAt;
}

export interface RunStory {
  memorizedAt: number | null;
  generalizedAt: number | null;
  /** generalizedAt − memorizedAt, once both happened. */
  delay: number | null;
  grokked: boolean;
  phase: RunPhase | null;
  markers: ChartMarker[];
  bands: ChartBand[];
}

function firstAtLeast(steps: readonly number[], values: readonly number[], threshold: number): number | null {
  const i = values.findIndex((v) => v >= threshold);
  return i < 0 ? null : steps[i]!;
}

/** `sparsity` is aligned with the snapshots' steps; it is matched to the evaluation steps here. */
export function runStory(
  allEvals: RunSeries['evals'],
  inside: { step: number[]; sparsity: number[] },
  edits: readonly EditMark[],
  evalEvery: number,
  /** How many evaluations to cover (the columns may grow while the story is drawn). */
  count = allEvals.step.length,
  /** Chance accuracy (1/p): a run still at chance is "not learning", not "memorizing". */
  chance?: number,
): RunStory {
  const take = (xs: number[]) => xs.slice(0, count);
  const evals = {
    step: take(allEvals.step),
    trainFullAcc: take(allEvals.trainFullAcc),
    valAcc: take(allEvals.valAcc),
    weightNorm: take(allEvals.weightNorm),
    collapseFraction: take(allEvals.collapseFraction ?? []),
  };
  const memorizedAt = firstAtLeast(evals.step, evals.trainFullAcc, STRICT_GROK_THRESHOLD);
  const generalizedAt = firstAtLeast(evals.step, evals.valAcc, GROK_THRESHOLD);
  const delay = memorizedAt !== null && generalizedAt !== null ? generalizedAt - memorizedAt : null;
  const grokked = memorizedAt !== null && generalizedAt !== null && isGrokkingDelay(memorizedAt, generalizedAt, evalEvery);
  const sparsityAt = new Map(inside.step.map((s, i) => [s, inside.sparsity[i]!]));
  const series: PhaseSeries = {
    step: evals.step,
    trainAcc: evals.trainFullAcc,
    valAcc: evals.valAcc,
    weightNorm: evals.weightNorm,
    sparsity: evals.step.map((s) => sparsityAt.get(s) ?? NaN),
    chance,
  };
  const phases = phaseSeries(series);
  const markers: ChartMarker[] = [];
  if (memorizedAt !== null) markers.push({ step: memorizedAt, label: `memorized @ ${memorizedAt}`, color: '#1f77b4' });
  if (generalizedAt !== null) {
    const label = grokked ? `grokked @ ${generalizedAt} (delay ${delay})` : `generalized @ ${generalizedAt} (no delay)`;
    markers.push({ step: generalizedAt, label, color: '#d62728' });
  }
  const collapsedAt = softmaxCollapseStep(evals);
  if (collapsedAt !== null) markers.push({ step: collapsedAt, label: `softmax collapse @ ${collapsedAt}`, color: '#8c564b' });
  // edits before spikes: the chart gives the first markers its label lanes first
  for (const e of edits) markers.push({ step: e.step, label: e.label, color: '#8c564b' });
  for (const step of slingshots(evals, generalizedAt)) markers.push({ step, label: 'spike (recovers)', color: '#9467bd' });
  const bands = phaseBands(series).map((b) => ({
    from: b.from,
    to: b.to,
    color: BAND_COLOURS[b.phase],
    label: b.phase,
    meaning: PHASE_MEANING[b.phase],
  }));
  return { memorizedAt, generalizedAt, delay, grokked, phase: phases.at(-1) ?? null, markers, bands };
}

/** The first few dips after generalization (val below 0.5 after having been ≥ 0.95): slingshot spikes, marked so a student does not read them as forgetting. */
export function slingshots(evals: { step: number[]; valAcc: number[] }, generalizedAt: number | null, most = 3): number[] {
  if (generalizedAt === null) return [];
  const out: number[] = [];
  let inDip = false;
  evals.step.forEach((step, i) => {
    if (step <= generalizedAt || out.length >= most) return;
    const dipping = evals.valAcc[i]! < 0.5;
    if (dipping && !inDip) out.push(step);
    inDip = dipping;
  });
  return out;
}
