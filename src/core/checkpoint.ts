/**
 * A run's checkpoint — its weights and Adam's state at an evaluation step — and cutting a
 * run's series back to it, so a run resumed from a checkpoint (after a backend fallback, a
 * worker that died, a divergence or a reload) never shows a step twice.
 */

/** Adam's state over the flat parameter vector (the optimizer's layout: names and sizes in order). */
export interface OptimizerState {
  t: number;
  names: string[];
  sizes: number[];
  m: Float32Array;
  v: Float32Array;
}

export interface Checkpoint {
  step: number;
  params: Record<string, Float32Array>;
  /** Null before the first step (the optimizer has no state yet). */
  optimizer: OptimizerState | null;
}

/** Every weight and moment finite: a checkpoint with NaN or ∞ must never be saved. */
export function isFiniteCheckpoint(c: Pick<Checkpoint, 'params' | 'optimizer'>): boolean {
  const finite = (xs: Float32Array) => {
    for (let i = 0; i < xs.length; i++) if (!Number.isFinite(xs[i]!)) return false;
    return true;
  };
  return Object.values(c.params).every(finite) && (!c.optimizer || (finite(c.optimizer.m) && finite(c.optimizer.v)));
}

/** The buffers to transfer when a checkpoint crosses to another thread. */
export function checkpointTransferables(c: Checkpoint): ArrayBuffer[] {
  const arrays = [...Object.values(c.params), ...(c.optimizer ? [c.optimizer.m, c.optimizer.v] : [])];
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
