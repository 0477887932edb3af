/**
 * A run's checkpoint — its weights and Adam's state at an evaluation step — and cutting a
 * run's series back to it, so a run resumed from a checkpoint (after a backend fallback, a
 * worker that died, a divergence or a reload) never shows a step twice.
 */

import type { AmplifierJson } from './amplifier';

/** Adam's state over the flat parameter vector (the optimizer's layout: names and sizes in order). */
export interface OptimizerState {
  t: number;
  names: string[];
  sizes: number[];
  m: Float32Array;
  v: Float32Array;
}

/** NeuralGrok's own state: the amplifier φ and the meta optimizer's (Adam on φ). */
export interface AmplifierState {
  weights: AmplifierJson;
  optimizer: OptimizerState | null;
}

export interface Checkpoint {
  step: number;
  params: Record<string, Float32Array>;
  /** Null before the first step (the optimizer has no state yet). */
  optimizer: OptimizerState | null;
  /**
   * NeuralGrok runs: the amplifier and its optimizer, so a resumed run continues the same
   * gradient transform (absent for other methods and in older checkpoints: a fresh amplifier).
   * GrokFast's EMA and window are not kept: they refill within their time constant.
   */
  amplifier?: AmplifierState | null;
}

/** Every weight and moment finite: a checkpoint with NaN or ∞ must never be saved. */
export function isFiniteCheckpoint(c: Pick<Checkpoint, 'params' | 'optimizer' | 'amplifier'>): boolean {
  const finite = (xs: Float32Array) => {
    for (let i = 0; i < xs.length; i++) if (!Number.isFinite(xs[i]!)) return false;
    return true;
  };
  const amp = c.amplifier;
  const ampFinite =
    !amp ||
    (amp.weights.layers.every((l) => l.weight.every(Number.isFinite) && l.bias.every(Number.isFinite)) &&
      (!amp.optimizer || (finite(amp.optimizer.m) && finite(amp.optimizer.v))));
  return Object.values(c.params).every(finite) && (!c.optimizer || (finite(c.optimizer.m) && finite(c.optimizer.v))) && ampFinite;
}

/** The buffers to transfer when a checkpoint crosses to another thread. */
export function checkpointTransferables(c: Checkpoint): ArrayBuffer[] {
  const meta = c.amplifier?.optimizer;
  const arrays = [...Object.values(c.params), ...(c.optimizer ? [c.optimizer.m, c.optimizer.v] : []), ...(meta ? [meta.m, meta.v] : [])];
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}

type Columns = { step: number[] } & Record<string, number[]>;

/** Cuts columns (sorted by step) back to the rows with step ≤ `step`, in place. */
export function truncateColumns(columns: Columns, step: number): void {
  let n = columns.step.length;
  while (n > 0 && columns.step[n - 1]! > step) n--;
  for (const column of Object.values(columns)) column.length = Math.min(column.length, n);
}

/** Cuts a run's series (training and evaluation columns) back to `step`, in place. */
export function truncateSeries(series: { train: Columns; evals: Columns }, step: number): void {
  truncateColumns(series.train, step);
  truncateColumns(series.evals, step);
}
