/** The project's one home for small statistics: the median, and the median of steps where "never" counts as +∞. */

/** The median of a list (NaN when empty); the input is not reordered. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The median of steps to a threshold; a run that never reached it (null) counts as +∞. Empty: NaN. */
export const medianSteps = (xs: readonly (number | null)[]): number => median(xs.map((x) => x ?? Infinity));
