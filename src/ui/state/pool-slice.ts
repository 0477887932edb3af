/**
 * The run pool in the store: the pool (ui/pool/run-pool.ts) holds the workers, the sessions and
 * the lifecycle of every run — the main run, compare runs and a paper cell's seeds; the store
 * mirrors its runs as data (`runs`), and the main run (`run`), the compare view and the cell
 * view are derived from them.
 */
import type { StoreApi } from 'zustand';
import type { PoolRun, RunPool } from '../pool/run-pool';
import { compareMirror } from './compare-slice';
import { cellRunMirror } from './cell-run-slice';
import type { GrokStore, PoolSlice, Slice } from './types';

/** The main run's state as the page shows it: the pool's main run, unless a file is on screen (it keeps its own numbers). */
export function mainRunMirror(s: Pick<GrokStore, 'run' | 'imported'>, runs: readonly PoolRun[]): Partial<Pick<GrokStore, 'run'>> {
  if (s.imported) return {};
  const main = runs.find((r) => r.kind === 'main');
  return main && main.state !== s.run ? { run: main.state } : {};
}

/** Writes the pool's runs into the store (every view of them in one update), and warns once when the main run stops learning. */
export function mirrorPool(store: StoreApi<GrokStore>, runs: PoolRun[]): void {
  const was = store.getState().run;
  store.setState((s) => ({ runs, ...compareMirror(s, runs), ...cellRunMirror(s, runs), ...mainRunMirror(s, runs) }));
  const run = store.getState().run;
  // a plain warning, once, when a run starts failing without NaN
  if (run !== was && run.notLearning && !was.notLearning && run.runId === was.runId)
    store.getState().pushError(`This run is not learning: ${run.notLearning}. Try a lower learning rate, or press Reset.`, 'not-learning');
}

export const createPoolSlice =
  (pool: RunPool): Slice<PoolSlice> =>
  () => ({
    runs: [],
    startRuns: (kind, specs, options) => pool.start(kind, specs, options),
    showRuns: (kind, saved) => pool.show(kind, saved),
    playRuns: (kind) => pool.play(kind),
    pauseRuns: (kind) => pool.pause(kind),
    removeRuns: (kind) => pool.remove(kind),
  });
