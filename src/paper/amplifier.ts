/**
 * Whether NeuralGrok's amplifier did anything, from a run's N·w curves (N·w = 1 everywhere for
 * a uniform amplifier, which makes NeuralGrok matched normalization by construction): moved,
 * learned, collapsed. The ablation and the claims count runs by these. Pure.
 */
import type { RaceRow } from './rows.ts';

/** N·w std at or above this (1 %) means the amplifier's weights moved away from uniform. */
export const AMPLIFIER_MOVED = 0.01;
/** Issue 18's bar for a *learned* amplifier: N·w std above ~0.1 ... */
export const AMPLIFIER_LEARNED = 0.1;
/** ... on at least this fraction of a run's evaluations ("a sustained part of the run"). */
export const LEARNED_FRACTION = 0.25;

/** Whether a run's N·w std curve counts as learned: above 0.1 on a quarter of its evaluations or more. */
export function amplifierLearned(nwStd: readonly (number | null)[]): boolean {
  const v = nwStd.filter((x): x is number => x !== null && Number.isFinite(x));
  return v.length > 0 && v.filter((x) => x > AMPLIFIER_LEARNED).length >= LEARNED_FRACTION * v.length;
}

/**
 * A learned amplifier that collapsed: some component carries more than this many times its
 * uniform share of its tensor's weight (N·w max; a tensor of N components all on one is N) —
 * the update then moves a few components only. Measured: meta lr ≥ 0.02 at T 1 (a + b) sits at
 * N·w max ≈ 12 672, the token embedding's size, and training stalls.
 */
export const COLLAPSED_NW_MAX = 100;

/** Collapsed on at least a quarter of the evaluations (the same share as "learned"). */
export function amplifierCollapsed(nwMax: readonly (number | null)[] | undefined): boolean {
  const v = (nwMax ?? []).filter((x): x is number => x !== null && Number.isFinite(x));
  return v.length > 0 && v.filter((x) => x > COLLAPSED_NW_MAX).length >= LEARNED_FRACTION * v.length;
}

/** The largest N·w std a run recorded: over its curve, else its last evaluation's; null without diagnostics. */
export function largestNwStd(r: RaceRow): number | null {
  const xs = [...(r.curve?.ampWeightStd ?? []), r.amplifierDiagnostics?.ampWeightStd ?? null].filter(
    (x): x is number => x !== null && x !== undefined && Number.isFinite(x),
  );
  return xs.length ? Math.max(...xs) : null;
}
