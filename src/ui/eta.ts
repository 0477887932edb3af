/**
 * The run's ETA: steps per second smoothed over a window of training time, to the run's stop
 * condition — the step the run is expected to grok at when it will pause there (a measured
 * preset's step), otherwise the step budget — and shown only once it is stable: the rates over
 * the two halves of the window agree within a tolerance, and the window is full. A chunk's
 * speed swings (kernel compilation, another tab, a GC pause) then no longer make the readout
 * jump between hours and minutes.
 */

export interface ProgressSample {
  /** Training seconds so far (pauses excluded). */
  seconds: number;
  step: number;
}

export const ETA_WINDOW_SECONDS = 10;
/** The two half-window rates may differ by this fraction of their mean. */
export const ETA_TOLERANCE = 0.25;

/** Steps per second over the last `window` seconds, or null while the window is not full or the rate not stable. */
export function stableRate(samples: readonly ProgressSample[], window = ETA_WINDOW_SECONDS, tolerance = ETA_TOLERANCE): number | null {
  const last = samples.at(-1);
  if (!last || last.seconds - samples[0]!.seconds < window) return null;
  const from = last.seconds - window;
  const mid = last.seconds - window / 2;
  const at = (t: number): ProgressSample => {
    // the step at training time t, interpolated between samples
    let i = samples.findIndex((s) => s.seconds >= t);
    if (i <= 0) return samples[Math.max(0, i)]!;
    const a = samples[i - 1]!;
    const b = samples[i]!;
    const f = (t - a.seconds) / Math.max(1e-9, b.seconds - a.seconds);
    return { seconds: t, step: a.step + f * (b.step - a.step) };
  };
  const s0 = at(from);
  const s1 = at(mid);
  const first = (s1.step - s0.step) / (window / 2);
  const second = (last.step - s1.step) / (last.seconds - mid);
  const mean = (first + second) / 2;
  if (!(mean > 0) || Math.abs(first - second) > tolerance * mean) return null;
  return (last.step - s0.step) / window;
}

export interface EtaTarget {
  step: number;
  /** What the run stops at there. */
  kind: 'grokked' | 'budget';
}

/** Where the run stops: the expected grokking step when it will pause there and has not grokked yet, otherwise the budget. */
export function etaTarget(o: {
  step: number;
  budget: number;
  pauseWhenGrokked: boolean;
  grokked: boolean;
  /** The step this config grokked at when measured (null: not measured or it did not). */
  expectedGrokStep: number | null;
}): EtaTarget {
  if (o.pauseWhenGrokked && !o.grokked && o.expectedGrokStep !== null && o.expectedGrokStep > o.step)
    return { step: Math.min(o.expectedGrokStep, o.budget), kind: 'grokked' };
  return { step: o.budget, kind: 'budget' };
}

/** Seconds left to the target at the stable rate, or null when there is no stable rate. */
export function etaSeconds(samples: readonly ProgressSample[], target: EtaTarget): number | null {
  const rate = stableRate(samples);
  const step = samples.at(-1)?.step ?? 0;
  return rate === null ? null : Math.max(0, (target.step - step) / rate);
}
