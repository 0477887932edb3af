/**
 * Chart scales, once for every chart (the live charts and the paper view's): round tick values
 * and labels that never read the same twice. Pure, so the tests check them by hand.
 */

export interface TickOptions {
  /** Powers of ten between lo and hi. */
  log?: boolean;
  /** From lo to the first tick at or past hi (a bar chart's axis covers its tallest bar). */
  cover?: boolean;
  /** Round step factors per power of ten. */
  factors?: readonly number[];
}

/** About `count` round tick values between lo and hi (powers of ten on log axes). */
export function niceTicks(lo: number, hi: number, count: number, o: TickOptions = {}): number[] {
  if (!(hi > lo)) return [lo];
  if (o.log) {
    const ticks = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++)
      if (10 ** e >= lo * 0.999 && 10 ** e <= hi * 1.001) ticks.push(10 ** e);
    return ticks.length >= 2 ? ticks : [lo, hi];
  }
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = (o.factors ?? [1, 2, 5, 10]).map((m) => m * mag).find((s) => s >= raw)!;
  const end = o.cover ? Math.ceil(hi / step - 1e-9) * step : hi;
  const ticks = [];
  for (let v = Math.ceil(lo / step) * step; v <= end + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

const fmtAt = (v: number, digits: number) =>
  Math.abs(v) >= 1e5 || (Math.abs(v) < 1e-3 && v !== 0)
    ? v.toExponential(Math.max(0, digits - 1))
    : Number(v.toPrecision(digits)).toString();

/**
 * Labels for tick values, with just enough significant digits that no two read the same
 * (a narrow range such as 1819.5…1820.5 would otherwise print "1820" three times).
 */
export function tickLabels(ticks: readonly number[]): string[] {
  for (let digits = 3; digits <= 12; digits++) {
    const labels = ticks.map((v) => fmtAt(v, digits));
    if (new Set(labels).size === labels.length) return labels;
  }
  return ticks.map(String);
}

/**
 * The y range to draw: the data's, padded when every value is the same (one evaluation so far)
 * so that the ticks around it are distinct round numbers.
 */
export function yRange(ys: readonly number[], log: boolean, domain?: [number, number]): [number, number] {
  let [lo, hi] = domain ?? [Math.min(...ys), Math.max(...ys)];
  if (hi === lo) {
    const pad = Math.abs(lo) * 0.05 || 1;
    [lo, hi] = log ? [lo / 2, hi * 2] : [lo - pad, hi + pad];
  }
  return [lo, hi];
}
