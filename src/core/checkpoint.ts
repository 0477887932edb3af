/**
 * A run's checkpoint — its weights, Adam's state, the method's own state and the batch
 * order's position at a step — and cutting a run's series back to it, so a run resumed from a
 * checkpoint (after a backend fallback, a worker that died, a divergence, a reload, or a CLI
 * run cut by the end of a working stretch) never shows a step twice.
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

/**
 * A gradient method's own state beyond the model's: GrokFast-EMA's μ, GrokFast-MA's window and
 * running sum, NeuralGrok's amplifier and meta optimizer. With it a resumed run applies the same
 * transform as the uninterrupted one would.
 */
export interface MethodState {
  /** The method id that wrote it: a state is imported only into the same method. */
  id: string;
  /** Flat vectors over all parameters (trainer order), by name. */
  arrays: Record<string, Float32Array>;
  /** Plain numbers, by name (e.g. NeuralGrok's last meta-gradient RMS, reported on the next evaluation). */
  scalars: Record<string, number>;
  amplifier?: AmplifierState;
}

/** Where the epoch-shuffled batch order stands: the generator's state, this epoch's order and the position in it. */
export interface SamplerState {
  rngState: number;
  order: Int32Array;
  position: number;
}

export interface Checkpoint {
  step: number;
  params: Record<string, Float32Array>;
  /** Null before the first step (the optimizer has no state yet). */
  optimizer: OptimizerState | null;
  /**
   * The method's state (null: stateless, or not kept: the browser leaves GrokFast-MA's window
   * out, 100 copies of θ read back at every evaluation; it refills within its length).
   */
  method?: MethodState | null;
  /**
   * NeuralGrok's amplifier in checkpoints written before `method` existed (saved runs in a
   * browser's storage); read as `method.amplifier`.
   */
  amplifier?: AmplifierState | null;
  /** The batch order's position: with it (and `method`) a resume is bit-identical to an uninterrupted run. */
  sampler?: SamplerState;
}

/** Every weight and moment finite: a checkpoint with NaN or ∞ must never be saved. */
export function isFiniteCheckpoint(c: Pick<Checkpoint, 'params' | 'optimizer' | 'amplifier' | 'method'>): boolean {
  const finite = (xs: Float32Array) => {
    for (let i = 0; i < xs.length; i++) if (!Number.isFinite(xs[i]!)) return false;
    return true;
  };
  const amp = c.method?.amplifier ?? c.amplifier;
  const methodArrays = Object.values(c.method?.arrays ?? {});
  const ampFinite =
    !amp ||
    (amp.weights.layers.every((l) => l.weight.every(Number.isFinite) && l.bias.every(Number.isFinite)) &&
      (!amp.optimizer || (finite(amp.optimizer.m) && finite(amp.optimizer.v))));
  return (
    Object.values(c.params).every(finite) &&
    (!c.optimizer || (finite(c.optimizer.m) && finite(c.optimizer.v))) &&
    ampFinite &&
    methodArrays.every(finite)
  );
}

/** A deep copy (every array its own buffer), e.g. to transfer while the original stays usable. */
export function copyCheckpoint(c: Checkpoint): Checkpoint {
  const copyOptimizer = (o: OptimizerState | null): OptimizerState | null => (o ? { ...o, m: o.m.slice(), v: o.v.slice() } : null);
  const copyAmplifier = (a: AmplifierState | null | undefined) =>
    a ? { weights: structuredClone(a.weights), optimizer: copyOptimizer(a.optimizer) } : undefined;
  const m = c.method;
  return {
    step: c.step,
    params: Object.fromEntries(Object.entries(c.params).map(([n, v]) => [n, v.slice()])),
    optimizer: copyOptimizer(c.optimizer),
    ...(m && {
      method: {
        id: m.id,
        arrays: Object.fromEntries(Object.entries(m.arrays).map(([n, v]) => [n, v.slice()])),
        scalars: { ...m.scalars },
        ...(m.amplifier && { amplifier: copyAmplifier(m.amplifier) }),
      },
    }),
    ...(c.amplifier && { amplifier: copyAmplifier(c.amplifier) }),
    ...(c.sampler && { sampler: { ...c.sampler, order: c.sampler.order.slice() } }),
  };
}

/** The buffers to transfer when a checkpoint crosses to another thread. */
export function checkpointTransferables(c: Checkpoint): ArrayBuffer[] {
  const meta = (c.method?.amplifier ?? c.amplifier)?.optimizer;
  const arrays = [
    ...Object.values(c.params),
    ...(c.optimizer ? [c.optimizer.m, c.optimizer.v] : []),
    ...(meta ? [meta.m, meta.v] : []),
    ...Object.values(c.method?.arrays ?? {}),
    ...(c.sampler ? [c.sampler.order] : []),
  ];
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
