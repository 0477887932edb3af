import { describe, expect, it } from 'vitest';
import { decimateMinMax } from '../src/ui/charts/decimate';
import { niceTicks } from '../src/ui/charts/MetricChart';
import { niceTicks as paperTicks, thin as thinPoints } from '../src/ui/paper/PaperCharts';

describe('chart decimation', () => {
  it('keeps short series as they are (dropping non-finite points)', () => {
    expect(decimateMinMax([1, 2, 3], [0.5, NaN, 0.7], 100)).toEqual([
      { x: 1, y: 0.5 },
      { x: 3, y: 0.7 },
    ]);
  });

  it('bounds 100 000 points to the budget and keeps every spike', () => {
    const n = 100_000;
    const xs = Array.from({ length: n }, (_, i) => i + 1);
    const ys = xs.map((x) => Math.sin(x / 1000));
    ys[54_321] = 50; // a one-step spike
    ys[77_777] = -50;
    const pts = decimateMinMax(xs, ys, 2000);
    expect(pts.length).toBeLessThanOrEqual(2000);
    expect(pts.length).toBeGreaterThan(1000);
    expect(pts).toContainEqual({ x: 54_322, y: 50 });
    expect(pts).toContainEqual({ x: 77_778, y: -50 });
    expect(pts[0]!.x).toBe(1);
    for (let i = 1; i < pts.length; i++) expect(pts[i]!.x).toBeGreaterThan(pts[i - 1]!.x);
  });

  it('picks round ticks, powers of ten on log axes', () => {
    expect(niceTicks(0, 1, 5, false)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 1, 4, false)).toEqual([0, 0.5, 1]);
    expect(niceTicks(0, 3000, 5, false)).toEqual([0, 1000, 2000, 3000]);
    expect(niceTicks(0, 3000, 8, false)).toEqual([0, 500, 1000, 1500, 2000, 2500, 3000]);
    expect(niceTicks(0.01, 5, 4, true)).toEqual([0.01, 0.1, 1]);
  });
});

describe('the paper view’s charts (recharts): their points and ticks', () => {
  it('thins a curve to about 150 points and keeps its last one', () => {
    const xs = Array.from({ length: 1001 }, (_, i) => i);
    const t = thinPoints(xs, 150);
    expect(t.length).toBeLessThanOrEqual(151);
    expect(t[0]).toBe(0);
    expect(t.at(-1)).toBe(1000);
    expect(thinPoints([1, 2, 3], 150)).toEqual([1, 2, 3]);
  });

  it('picks nice ticks from zero past the maximum', () => {
    expect(paperTicks(1780)).toEqual([0, 500, 1000, 1500, 2000]);
    expect(paperTicks(26_559)).toEqual([0, 10_000, 20_000, 30_000]);
  });
});
