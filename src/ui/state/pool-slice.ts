/**
 * The run pool in the store: the pool (ui/pool/run-pool.ts) holds the workers and the logic;
 * the store mirrors its runs as data, and the compare and cell-run views are derived from them.
 */
import { RunPool } from '../pool/run-pool';
import { compareMirror } from './compare-slice';
import { cellRunMirror } from './cell-run-slice';
import type { PoolSlice, Slice } from './types';

export const createPoolSlice: Slice<PoolSlice> = (set, get) => {
  const pool = new RunPool(
    (wasmThreads) => get().createWorker?.(wasmThreads) ?? null,
    (runs) => set((s) => ({ runs, ...compareMirror(s, runs), ...cellRunMirror(s, runs) })),
  );
  return {
    runs: [],
    startRuns: (kind, specs, options) => pool.start(kind, specs, options),
    showRuns: (kind, saved) => pool.show(kind, saved),
    playRuns: (kind) => pool.play(kind),
    pauseRuns: (kind) => pool.pause(kind),
    removeRuns: (kind) => pool.remove(kind),
  };
};
