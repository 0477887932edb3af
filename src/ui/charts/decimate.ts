/**
 * Min/max bucket decimation: keeps each bucket's first, minimum and maximum points, so spikes
 * (the interesting part of a grokking curve) survive while a 100 000-point series is drawn
 * with a few thousand points; and the last point, so a live curve ends at the latest value.
 */
export interface Point {
  x: number;
  y: number;
}

export function decimateMinMax(xs: ArrayLike<number>, ys: ArrayLike<number | null>, maxPoints: number): Point[] {
  const points: Point[] = [];
  const n = xs.length;
  if (n <= maxPoints) {
    for (let i = 0; i < n; i++) {
      const y = ys[i];
      if (y !== null && y !== undefined && Number.isFinite(y)) points.push({ x: xs[i]!, y });
    }
    return points;
  }
  const buckets = Math.max(1, Math.floor((maxPoints - 1) / 3));
  const size = n / buckets;
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size);
    const end = Math.min(n, Math.floor((b + 1) * size));
    let first = -1;
    let lo = -1;
    let hi = -1;
    for (let i = start; i < end; i++) {
      const y = ys[i];
      if (y === null || y === undefined || !Number.isFinite(y)) continue;
      if (first < 0) first = lo = hi = i;
      if (y < (ys[lo] as number)) lo = i;
      if (y > (ys[hi] as number)) hi = i;
    }
    if (first < 0) continue;
    for (const i of [...new Set([first, lo, hi])].sort((a, c) => a - c)) points.push({ x: xs[i]!, y: ys[i] as number });
  }
  for (let i = n - 1; i >= 0; i--) {
    const y = ys[i];
    if (y === null || y === undefined || !Number.isFinite(y)) continue;
    if (points.at(-1)!.x !== xs[i]) points.push({ x: xs[i]!, y });
    break;
  }
  return points;
}
