/** The project's one home for small statistics: the median, the median of steps where "never" counts as +∞, counts by key. */

/** The median of a list (NaN when empty); the input is not reordered. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The median of steps to a threshold; a run that never reached it (null) counts as +∞. Empty: NaN. */
export const medianSteps = (xs: readonly (number | null)[]): number => median(xs.map((x) => x ?? Infinity));

/** How many of `xs` have each key, in first-seen order. */
export function countBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const x of xs) counts.set(key(x), (counts.get(key(x)) ?? 0) + 1);
  return counts;
}
