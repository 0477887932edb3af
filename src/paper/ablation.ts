/**
 * The ablation on a + b: does a *learned* amplifier help? NeuralGrok as the paper runs it and
 * with the amplifier let loose (meta weight decay 0, larger meta lr; sweeps/ablation.ts) against
 * matched normalization, which is NeuralGrok with a uniform amplifier. Pure.
 */
import { medianSteps } from '../core/stats.ts';
import { amplifierCollapsed, amplifierLearned, AMPLIFIER_LEARNED, COLLAPSED_NW_MAX, LEARNED_FRACTION } from './amplifier.ts';
import { latestRows, type RaceRow } from './rows.ts';
import { downsample } from './table.ts';
import { MIN_SEEDS, seedWord, TOLERANCE } from './verdicts.ts';

/** The ablation's arms (sweeps/ablation.ts races them; the view shows "not run yet" until they ran). */
export const ABLATION_ARMS = [
  'neuralgrok+ng-meta-wd=0+ng-meta-lr=0.01',
  'neuralgrok+ng-meta-wd=0+ng-meta-lr=0.001',
  'neuralgrok+ng-meta-wd=0+ng-meta-lr=0.0001',
  'neuralgrok+ng-meta-wd=0.000001+ng-meta-lr=0.001',
];

export interface AblationArm {
  arm: string;
  label: string;
  seeds: { seed: number; stepsTo95: number | null; steps: number }[];
  median: number | null;
  /** The largest N·w std seen over the run (any seed); null without diagnostics. */
  maxNwStd: number | null;
  /** Seeds whose amplifier counts as learned (amplifierLearned). */
  learnedSeeds: number;
  /** Of those, seeds whose amplifier collapsed onto a few components (amplifierCollapsed). */
  collapsedSeeds: number;
  /** The best full-train accuracy any seed reached (null without curves): did it even memorize? */
  bestTrainAcc: number | null;
  curves: { seed: number; step: number[]; nwStd: (number | null)[] }[];
}

export interface Ablation {
  arms: AblationArm[];
  matched: { median: number | null; seeds: number };
  verdict: string;
}

/** `neuralgrok+ng-meta-wd=0+ng-meta-lr=0.01` → "meta wd 0, meta lr 0.01"; the add cell's NeuralGrok → its defaults. */
export function ablationLabel(arm: string): string {
  if (arm === 'neuralgrok') return 'NeuralGrok as the paper (meta wd 1e-3, meta lr 1e-4)';
  const flags = arm.split('+').slice(1);
  const value = (name: string) => flags.find((f) => f.startsWith(`${name}=`))?.split('=')[1];
  const parts = [
    value('ng-every') ? `T ${value('ng-every')}` : '',
    value('ng-meta-wd') !== undefined ? `meta wd ${value('ng-meta-wd')}` : '',
    value('ng-meta-lr') ? `meta lr ${value('ng-meta-lr')}` : '',
  ];
  return `NeuralGrok, ${parts.filter(Boolean).join(', ') || flags.join(', ')}`;
}

const bestOf = (xs: readonly (number | null)[]): number | null => {
  const v = xs.filter((x): x is number => x !== null && Number.isFinite(x));
  return v.length ? Math.max(...v) : null;
};

/**
 * The ablation on a + b: NeuralGrok as the paper runs it and with the amplifier let loose
 * (ablation rows: meta weight decay 0, larger meta lr) against matched normalization, which is
 * NeuralGrok with a uniform amplifier. Verdict: whether any arm beat matched normalization by
 * more than 25 %, and whether its amplifier moved away from uniform at all.
 */
export function ablation(paperAddRows: RaceRow[], ablationRows: RaceRow[], maxPoints = 200): Ablation {
  const latest = latestRows([...paperAddRows.filter((r) => r.task === 'add'), ...ablationRows.filter((r) => r.task === 'add')]);
  const armNames = [...new Set(['neuralgrok', ...ABLATION_ARMS, ...latestRows(ablationRows).map((r) => r.arm)])].filter(
    (a) => a === 'neuralgrok' || (a.startsWith('neuralgrok+') && a.includes('+ng-meta')),
  );
  const arms = armNames.map((arm): AblationArm => {
    const rs = latest.filter((r) => r.arm === arm);
    const curves = rs
      .filter((r) => r.curve?.ampWeightStd)
      .map((r) => {
        const d = downsample(r.curve!.step, r.curve!.ampWeightStd!, maxPoints);
        return { seed: r.seed, step: d.x, nwStd: d.y };
      });
    const stds = rs.flatMap((r) => (r.curve?.ampWeightStd ?? []).filter((v): v is number => v !== null && Number.isFinite(v)));
    const m = medianSteps(rs.map((r) => r.stepsTo95));
    return {
      arm,
      label: ablationLabel(arm),
      seeds: rs.map((r) => ({ seed: r.seed, stepsTo95: r.stepsTo95, steps: r.steps })),
      median: rs.length && Number.isFinite(m) ? m : null,
      maxNwStd: stds.length ? Math.max(...stds) : null,
      learnedSeeds: rs.filter((r) => r.curve?.ampWeightStd && amplifierLearned(r.curve.ampWeightStd)).length,
      collapsedSeeds: rs.filter(
        (r) => r.curve?.ampWeightStd && amplifierLearned(r.curve.ampWeightStd) && amplifierCollapsed(r.curve.ampWeightMax),
      ).length,
      bestTrainAcc: bestOf(rs.flatMap((r) => r.curve?.trainAcc ?? [])),
      curves,
    };
  });
  const matchedRows = latest.filter((r) => r.arm === 'gradnorm+norm-matched');
  const mm = medianSteps(matchedRows.map((r) => r.stepsTo95));
  const matched = { median: matchedRows.length && Number.isFinite(mm) ? mm : null, seeds: matchedRows.length };
  return { arms, matched, verdict: ablationVerdict(arms, matched) };
}

/** ", where it collapsed onto a few components (k of n seeds; best train accuracy x)" — or nothing. */
export function collapseText(a: AblationArm): string {
  if (!a.collapsedSeeds) return '';
  const train =
    a.bestTrainAcc === null
      ? ''
      : `; best train accuracy ${a.bestTrainAcc.toFixed(2)}${a.bestTrainAcc < 0.95 ? ': it did not even memorize' : ''}`;
  return ` (collapsed on ${a.collapsedSeeds} of ${a.seeds.length} seeds: N·w max above ${COLLAPSED_NW_MAX}, a few components carry each tensor's update${train})`;
}

export function ablationVerdict(arms: readonly AblationArm[], matched: { median: number | null; seeds: number }): string {
  const ran = arms.filter((a) => a.seeds.length > 0);
  if (!ran.length || matched.seeds === 0) return 'Not answered yet: the ablation runs (or matched normalization on a + b) have not run.';
  const fewest = Math.min(matched.seeds, ...ran.map((a) => a.seeds.length));
  const caveat = fewest < MIN_SEEDS ? ` Preliminary: ${seedWord(fewest)} in the thinnest arm.` : '';
  const m = matched.median;
  const sooner = ran.filter((a) => a.median !== null && (m === null || a.median <= (1 - TOLERANCE) * m));
  const later = ran.filter((a) => m !== null && (a.median === null || a.median >= (1 + TOLERANCE) * m));
  const learned = ran.filter((a) => a.learnedSeeds > 0);
  const largest = Math.max(...ran.map((a) => a.maxNwStd ?? 0));
  const medians = ran.map((a) => `${a.label} ${a.median ?? 'never'}`).join('; ');
  if (!learned.length) {
    const shown =
      !sooner.length && !later.length
        ? `the meta step as specified leaves NeuralGrok equal to matched normalization (every arm's median within ±25 % of its ${m ?? 'never'}: ${medians})`
        : `with no amplifier learned, ${[...sooner.map((a) => `${a.label} reached 95 % more than 25 % sooner`), ...later.map((a) => `${a.label} more than 25 % later`)].join('; ')} than matched normalization (median ${m ?? 'never'}; ${medians})`;
    return `Untested: no amplifier learned (largest N·w std ${largest.toPrecision(2)}; learned means above ${AMPLIFIER_LEARNED} on ≥ ${LEARNED_FRACTION * 100} % of the evaluations), so whether a learned amplifier helps is still open. What was shown: ${shown}.${caveat}`;
  }
  const learnedText = `the amplifier counted as learned in ${learned.map((a) => a.label + collapseText(a)).join('; ')}`;
  if (sooner.some((a) => a.learnedSeeds > 0))
    return `Yes, here: ${sooner.map((a) => a.label).join('; ')} reached 95 % more than 25 % sooner than matched normalization (median ${m ?? 'never'}); ${learnedText}.${caveat}`;
  if (learned.every((a) => a.collapsedSeeds === a.learnedSeeds))
    return `No, as far as these runs go: the only amplifiers that learned collapsed (${learned.map((a) => a.label + collapseText(a)).join('; ')}), and none reached 95 % more than 25 % sooner than matched normalization (median ${m ?? 'never'}; ${medians}). No setting tried learned without collapsing (${ran.map((a) => a.label).join('; ')}), so whether a learned, non-collapsed amplifier helps is untested.${caveat}`;
  return `No: no arm with a learned amplifier reached 95 % more than 25 % sooner than matched normalization (median ${m ?? 'never'}); ${learnedText}.${caveat}`;
}
