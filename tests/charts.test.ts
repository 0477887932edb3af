import { describe, expect, it } from 'vitest';
import { decimateMinMax } from '../src/ui/charts/decimate';
import { niceTicks } from '../src/ui/charts/MetricChart';
import { niceTicks as paperTicks, pathOf, scales as paperScales, thin as thinPoints } from '../src/ui/paper/PaperCharts';

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

describe('the paper view’s plain-SVG scales', () => {
  const axes = (scale?: 'log') => ({
    x: { type: 'number' as const, domain: [0, 1000] as [number, number], ticks: [0, 500, 1000] },
    y: { domain: (scale ? [1e-4, 1e-1] : [0, 1]) as [number, number], ticks: [0, 1], width: 36, ...(scale ? { scale } : {}) },
  });

  it('maps the domains onto the plot area: x left to right, y bottom to top, log10 when asked', () => {
    // width 500: plot from 4 + 36 = 40 to 500 − 14 = 486; height 240: from 8 to 240 − 4 − 22 = 214
    const s = paperScales(axes(), 500);
    expect(s.x(0)).toBe(40);
    expect(s.x(1000)).toBe(486);
    expect(s.x(500)).toBe(263);
    expect(s.y(0)).toBe(214);
    expect(s.y(1)).toBe(8);
    const log = paperScales(axes('log'), 500);
    expect(log.y(1e-4)).toBeCloseTo(214, 9);
    expect(log.y(1e-1)).toBeCloseTo(8, 9);
    expect(log.y(1e-2)).toBeCloseTo(214 - (2 / 3) * 206, 9); // two decades of three
  });

  it('gives each category an equal band', () => {
    const s = paperScales({ x: { type: 'category', categories: ['A', 'B', 'C', 'D'] }, y: { domain: [0, 1], ticks: [0], width: 36 } }, 500);
    expect(s.band).toBeCloseTo(446 / 4, 9);
    expect(s.bandStart('C')).toBeCloseTo(40 + 2 * (446 / 4), 9);
  });

  it('draws a path through every point, rounded to 0.1 px; thinning keeps the last point', () => {
    expect(
      pathOf([
        [1, 2],
        [3.14159, 4.06],
        [5, 6],
      ]),
    ).toBe('M1,2L3.1,4.1L5,6');
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
