/**
 * The phase of a run — memorizing → circuit formation → cleanup → grokked (Nanda et al. 2023's
 * three phases, plus the end state) — from recorded evaluation series, by the rules of
 * docs/inside.md. Pure: the UI labels the toolbar and shades the accuracy chart with it.
 */
import { GROK_THRESHOLD, STRICT_GROK_THRESHOLD } from './grokking';

export const PHASES = ['memorizing', 'circuit formation', 'cleanup', 'grokked'] as const;
export type Phase = (typeof PHASES)[number];
/** A phase of grokking, or "not learning": training accuracy has not left chance. */
export type RunPhase = Phase | 'not learning';

/** Evaluation series, one entry per evaluation step; NaN (or a missing array) = not measured. */
export interface PhaseSeries {
  step: ArrayLike<number>;
  /** Accuracy on the whole training split (trainFullAcc). */
  trainAcc: ArrayLike<number>;
  valAcc: ArrayLike<number>;
  weightNorm: ArrayLike<number>;
  /** Fourier sparsity of the number embeddings (InsideSnapshot.spectrum.sparsity). */
  sparsity?: ArrayLike<number>;
  /** Chance accuracy (1/p). Given, a run whose training accuracy has not left it is "not learning". */
  chance?: number;
}

/** Evaluations after which a run still at chance is called "not learning" (before that: too early to say). */
export const NOT_LEARNING_AFTER = 10;
/** Training accuracy that counts as having left chance: the larger of 2× chance and chance + 5 points. */
export const leftChance = (chance: number): number => Math.max(2 * chance, chance + 0.05);

/** Training accuracy that counts as "fitted" (the training set memorized). */
export const FIT_THRESHOLD = STRICT_GROK_THRESHOLD;
/** Weight norm this far below its peak since the fit signals circuit formation. */
export const NORM_DROP = 0.1;
/** Sparsity this share of the way from its value at the fit to 1 signals circuit formation. */
export const SPARSITY_RISE = 0.25;
/** Val accuracy this share of the way from its value at the fit to GROK_THRESHOLD is cleanup. */
export const VAL_RISE = 0.25;

/**
 * The phase at every evaluation. A phase once reached is kept (the label never moves back:
 * slingshot spikes would otherwise make it flicker). Rules, at evaluation i:
 * - grokked: val ≥ 0.95;
 * - memorizing: until train accuracy first reaches 0.99 (the fit), and after it while nothing below holds;
 * - cleanup: after the fit, val has covered VAL_RISE of the way from its value at the fit to 0.95;
 * - circuit formation: after the fit, the weight norm has fallen NORM_DROP below its peak since
 *   the fit, or the sparsity has covered SPARSITY_RISE of the way from its value at the fit to 1;
 * - not learning (only with `chance`): from the NOT_LEARNING_AFTER-th evaluation on, while training
 *   accuracy has never left chance (`leftChance`) — "memorizing" would be a false story there.
 */
export function phaseSeries(s: PhaseSeries): RunPhase[] {
  const n = s.step.length;
  const out: RunPhase[] = [];
  let learning = s.chance === undefined;
  let fit = -1;
  let normPeak = -Infinity;
  let level = 0;
  for (let i = 0; i < n; i++) {
    const train = s.trainAcc[i]!;
    const val = s.valAcc[i]!;
    if (fit < 0 && train >= FIT_THRESHOLD) fit = i;
    let rule = 0;
    if (val >= GROK_THRESHOLD) rule = 3;
    else if (fit >= 0) {
      const norm = s.weightNorm[i]!;
      if (Number.isFinite(norm)) normPeak = Math.max(normPeak, norm);
      const val0 = firstFinite(s.valAcc, fit, i);
      const sp0 = s.sparsity ? firstFinite(s.sparsity, fit, i) : NaN;
      const sp = s.sparsity ? s.sparsity[i]! : NaN;
      if (Number.isFinite(val0) && val >= val0 + VAL_RISE * (GROK_THRESHOLD - val0)) rule = 2;
      else if (
        (Number.isFinite(norm) && norm <= (1 - NORM_DROP) * normPeak) ||
        (Number.isFinite(sp0) && Number.isFinite(sp) && sp >= sp0 + SPARSITY_RISE * (1 - sp0))
      )
        rule = 1;
    }
    level = Math.max(level, rule);
    if (!learning && (train >= leftChance(s.chance!) || val >= GROK_THRESHOLD)) learning = true;
    out.push(!learning && i + 1 >= NOT_LEARNING_AFTER ? 'not learning' : PHASES[level]!);
  }
  return out;
}

/** First finite value of a at indices from…to, NaN if none. */
function firstFinite(a: ArrayLike<number>, from: number, to: number): number {
  for (let i = from; i <= to; i++) if (Number.isFinite(a[i]!)) return a[i]!;
  return NaN;
}

/** The phase now (at the last evaluation), or null before any evaluation. */
export interface PhaseBand {
  phase: RunPhase;
  /** First evaluation step of the band. */
  from: number;
  /** First step of the next band, or the last evaluation step for the last band. */
  to: number;
}

/** Consecutive runs of one phase, for shaded bands on the accuracy chart. */
export function phaseBands(s: PhaseSeries): PhaseBand[] {
  const phases = phaseSeries(s);
  const bands: PhaseBand[] = [];
  phases.forEach((phase, i) => {
    const step = s.step[i]!;
    const last = bands[bands.length - 1];
    if (last && last.phase === phase) last.to = step;
    else {
      if (last) last.to = step;
      bands.push({ phase, from: step, to: step });
    }
  });
  return bands;
}

/**
 * Grokking delay: the step where val accuracy first reaches 0.95 minus the step where train
 * accuracy first reached 0.99; null until both have happened.
 */
export function grokkingDelay(s: Pick<PhaseSeries, 'step' | 'trainAcc' | 'valAcc'>): number | null {
  let fitStep: number | null = null;
  let grokStep: number | null = null;
  for (let i = 0; i < s.step.length; i++) {
    if (fitStep === null && s.trainAcc[i]! >= FIT_THRESHOLD) fitStep = s.step[i]!;
    if (grokStep === null && s.valAcc[i]! >= GROK_THRESHOLD) grokStep = s.step[i]!;
  }
  return fitStep === null || grokStep === null ? null : grokStep - fitStep;
}
