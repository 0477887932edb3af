import { describe, expect, it } from 'vitest';
import { decimateMinMax } from '../src/ui/charts/decimate';
import { niceTicks } from '../src/ui/charts/scales';
import { axisTicks as paperTicks, thin as thinPoints } from '../src/ui/paper/PaperCharts';

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

  it('the live chart’s decimation keeps spikes: one-step spikes in 2 000 points survive 2 000 → N, and the last point', () => {
    const n = 2000;
    const xs = Array.from({ length: n }, (_, i) => i + 1);
    const ys = xs.map((x) => 0.5 + 0.01 * Math.sin(x / 50));
    ys[1234] = 3; // a slingshot's loss spike, one evaluation wide
    ys[611] = 0.01; // and a one-step dip
    ys[n - 1] = 0.52; // the latest value, neither a bucket's first, minimum nor maximum
    for (const budget of [100, 301, 999]) {
      const pts = decimateMinMax(xs, ys, budget);
      expect(pts.length, `${budget}`).toBeLessThanOrEqual(budget);
      expect(pts.length, `${budget}: at least one point per bucket`).toBeGreaterThanOrEqual(Math.floor((budget - 1) / 3));
      expect(pts, `${budget}`).toContainEqual({ x: 1235, y: 3 });
      expect(pts, `${budget}`).toContainEqual({ x: 612, y: 0.01 });
      expect(pts.at(-1), `${budget}`).toEqual({ x: n, y: 0.52 });
      expect(Math.max(...pts.map((p) => p.y)), `${budget}: nothing else reaches the spike`).toBe(3);
    }
  });

  it('picks round ticks, powers of ten on log axes', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 1, 4)).toEqual([0, 0.5, 1]);
    expect(niceTicks(0, 3000, 5)).toEqual([0, 1000, 2000, 3000]);
    expect(niceTicks(0, 3000, 8)).toEqual([0, 500, 1000, 1500, 2000, 2500, 3000]);
    expect(niceTicks(0.01, 5, 4, { log: true })).toEqual([0.01, 0.1, 1]);
    // by hand: (7.3 − 0.5) / 4 = 1.7 → step 2, from ⌈0.5 / 2⌉·2 = 2 to 6
    expect(niceTicks(0.5, 7.3, 4)).toEqual([2, 4, 6]);
    // (1 − (−1)) / 4 = 0.5 → step 0.5 through zero
    expect(niceTicks(-1, 1, 4)).toEqual([-1, -0.5, 0, 0.5, 1]);
    // 0.001 < 0.003 is left out; 100 > 20 too
    expect(niceTicks(0.003, 20, 4, { log: true })).toEqual([0.01, 0.1, 1, 10]);
    // no power of ten inside: the ends
    expect(niceTicks(2, 8, 4, { log: true })).toEqual([2, 8]);
    expect(niceTicks(5, 5, 4)).toEqual([5]);
    // covering: 11 000 / 5 = 2 200 → a quarter step of 2 500, up to the first tick past the max
    expect(niceTicks(0, 11_000, 5, { cover: true, factors: [1, 2, 2.5, 5, 10] })).toEqual([0, 2500, 5000, 7500, 10_000, 12_500]);
    expect(niceTicks(0, 10_000, 5, { cover: true, factors: [1, 2, 2.5, 5, 10] })).toEqual([0, 2000, 4000, 6000, 8000, 10_000]);
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
