/**
 * "Run this cell in my browser": a Table 1 cell's seeds queued in training workers (one per
 * core, the rest waiting), each stopping at the first evaluation with val ≥ 0.95 (the stop rule
 * STOP_WHEN_GROKKED, checked by its worker) or at its budget, as the race does. Each finished seed is kept as "yours" (files/your-runs.ts); the
 * queue is kept too, with each running seed's latest checkpoint, so after a reload a seed
 * continues from its checkpoint (one without a checkpoint yet starts again from step 0).
 */
import { validateConfig, type RunConfig, type ValidConfig } from '../../config/schema';
import type { CellQueue, SeedCheckpoint, YourRun, YourRunsStorage } from '../files/your-runs';
import { emptySeries } from '../../core/metrics';
import { STOP_WHEN_GROKKED } from '../../core/stop-rule';
import type { PoolRun, RunStatus } from '../pool/run-pool';
import type { GrokStore, Slice } from './types';

export interface CellSeedRun {
  seed: number;
  status: 'waiting' | 'running' | 'done' | 'failed';
  stepCount: number;
  steps: number;
  stepsTo95: number | null;
  stepsPerSecond: number;
  error: string | null;
}

export interface CellRunSlice {
  /** The cell being run here, or null; its seeds are a view of the pool's cell runs. */
  cellRun: { task: string; method: string; config: RunConfig; seeds: CellSeedRun[]; startedAt: number } | null;
  /** Every seed of every cell finished in this browser. */
  yourRuns: YourRun[];
  /** Reads "yours" and a pending queue from storage; resumes the queue. */
  restoreYourRuns(storage: YourRunsStorage | null): Promise<void>;
  /** `resume`: checkpoints of seeds interrupted by a reload. */
  startCellRun(task: string, method: string, config: RunConfig, seeds: number[], resume?: Record<number, SeedCheckpoint>): void;
  cancelCellRun(): void;
}

/** How many seeds run at once: one per core. */
const parallel = () => Math.max(1, Math.min(8, globalThis.navigator?.hardwareConcurrency || 1));

const SEED_STATUS: Record<RunStatus, CellSeedRun['status']> = {
  waiting: 'waiting',
  live: 'running',
  done: 'done',
  failed: 'failed',
  saved: 'done',
};

/** A pool run as a seed's row: its step count and speed while it runs, its steps to 95 % once done. */
const seedOf = (run: PoolRun): CellSeedRun => ({
  seed: run.config.seed,
  status: SEED_STATUS[run.status],
  stepCount: run.state.stepCount,
  steps: run.config.steps,
  stepsTo95: run.status === 'done' ? run.state.stepsTo95 : null,
  stepsPerSecond: run.state.smoothStepsPerSecond,
  error: run.state.error,
});

/** The cell view of the pool's runs (nothing while no cell runs). */
export function cellRunMirror(s: Pick<GrokStore, 'cellRun'>, runs: readonly PoolRun[]): Partial<Pick<GrokStore, 'cellRun'>> {
  if (!s.cellRun) return {};
  const cells = runs.filter((r) => r.kind === 'cell');
  const before = s.cellRun.seeds;
  const seeds = cells.map((r, i) => {
    const row = seedOf(r);
    const was = before[i];
    return was && Object.keys(row).every((k) => row[k as keyof CellSeedRun] === was[k as keyof CellSeedRun]) ? was : row;
  });
  if (seeds.length === before.length && seeds.every((x, i) => x === before[i])) return {};
  return { cellRun: { ...s.cellRun, seeds } };
}

export const createCellRunSlice: Slice<CellRunSlice> = (set, get) => {
  let storage: YourRunsStorage | null = null;
  /** Each unfinished seed's latest checkpoint (kept with the queue). */
  let checkpoints: Record<number, SeedCheckpoint> = {};

  const saveQueue = () => {
    const run = get().cellRun;
    if (!run) return;
    const left = run.seeds.filter((s) => s.status === 'waiting' || s.status === 'running').map((s) => s.seed);
    const kept = Object.fromEntries(Object.entries(checkpoints).filter(([seed]) => left.includes(Number(seed))));
    void storage?.setQueue(left.length ? { task: run.task, method: run.method, config: run.config, seeds: left, checkpoints: kept } : null);
  };

  /** A seed reached val ≥ 0.95 or its budget: kept as "yours". */
  const finishSeed = (done: PoolRun) => {
    const run = get().cellRun;
    if (!run) return;
    const { seed } = done.config;
    const mine: YourRun = {
      id: `${run.task}|${run.method}|${seed}`,
      task: run.task,
      method: run.method,
      seed,
      stepsTo95: done.state.stepsTo95,
      steps: done.state.stepCount,
      seconds: done.state.elapsedSeconds,
      backend: done.state.backend?.backend ?? null,
      finishedAt: new Date().toISOString(),
    };
    set({ yourRuns: [...get().yourRuns.filter((r) => r.id !== mine.id), mine] });
    void storage?.put(mine);
    delete checkpoints[seed];
    saveQueue();
  };

  return {
    cellRun: null,
    yourRuns: [],
    async restoreYourRuns(s) {
      storage = s;
      if (!s) return;
      try {
        set({ yourRuns: await s.all() });
        const q: CellQueue | null = await s.queue();
        if (q && !get().cellRun) get().startCellRun(q.task, q.method, q.config, q.seeds, q.checkpoints);
      } catch {
        /* storage unavailable: nothing kept from before */
      }
    },
    startCellRun(task, method, config, seeds, resume) {
      get().cancelCellRun();
      // each seed's config is made here (the cell's with its seed, the cell's read back from storage after a reload): validated once, here
      let seedConfigs: ValidConfig[];
      try {
        seedConfigs = seeds.map((seed) => validateConfig({ ...config, seed }));
      } catch (e) {
        return get().pushError(`This cell cannot run here: ${(e as Error).message}`);
      }
      checkpoints = { ...(resume ?? {}) };
      // the hidden main run must not take a core from the cell
      get().pauseRuns('main');
      set({ cellRun: { task, method, config, startedAt: Date.now(), seeds: [] } });
      const insideHistory = { step: [], sparsity: [], restrictedLoss: [], excludedLoss: [], loss: [] };
      get().startRuns(
        'cell',
        seeds.map((seed, i) => {
          const saved = checkpoints[seed];
          // after a reload: on from the checkpoint (the series only needs the steps after it)
          const restore = saved && {
            series: emptySeries(),
            insideHistory,
            checkpoint: saved.checkpoint,
            elapsedSeconds: saved.elapsedSeconds,
          };
          return { label: `seed ${seed}`, config: seedConfigs[i]!, stopWhen: STOP_WHEN_GROKKED, ...(restore ? { restore } : {}) };
        }),
        {
          parallel: parallel(),
          autoPlay: true,
          release: true,
          wasmThreads: 1,
          onDone: finishSeed,
          onCheckpoint: (run, checkpoint) => {
            // a new checkpoint (at most one every few seconds): kept with the queue
            const seed = run.config.seed;
            if (checkpoint.step <= (checkpoints[seed]?.checkpoint.step ?? 0)) return;
            checkpoints[seed] = { checkpoint, elapsedSeconds: run.state.elapsedSeconds };
            saveQueue();
          },
        },
      );
      saveQueue();
    },
    cancelCellRun() {
      get().removeRuns('cell');
      if (get().cellRun) void storage?.setQueue(null);
      checkpoints = {};
      set({ cellRun: null });
    },
  };
};
