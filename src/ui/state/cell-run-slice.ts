/**
 * "Run this cell in my browser": a Table 1 cell's seeds queued in training workers (one per
 * core, the rest waiting), each stopping at the first evaluation with val ≥ 0.95 (the stop rule
 * STOP_WHEN_GROKKED, checked by its worker) or at its budget, as the race does. Each finished seed is kept as "yours" (files/your-runs.ts); the
 * queue is kept too, with each running seed's latest checkpoint, so after a reload a seed
 * continues from its checkpoint (one without a checkpoint yet starts again from step 0).
 */
import type { RunConfig } from '../../config/schema';
import { TrainingSession } from '../session/training-session';
import type { CellQueue, SeedCheckpoint, YourRun, YourRunsStorage } from '../files/your-runs';
import { emptySeries } from '../../core/metrics';
import { STOP_WHEN_GROKKED } from '../../core/stop-rule';
import type { Slice } from './types';

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
  /** The cell being run here, or null. */
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

export const createCellRunSlice: Slice<CellRunSlice> = (set, get) => {
  let storage: YourRunsStorage | null = null;
  const sessions = new Map<number, TrainingSession>();
  /** Each unfinished seed's latest checkpoint (kept with the queue). */
  let checkpoints: Record<number, SeedCheckpoint> = {};

  const saveQueue = () => {
    const run = get().cellRun;
    if (!run) return;
    const left = run.seeds.filter((s) => s.status === 'waiting' || s.status === 'running').map((s) => s.seed);
    const kept = Object.fromEntries(Object.entries(checkpoints).filter(([seed]) => left.includes(Number(seed))));
    void storage?.setQueue(left.length ? { task: run.task, method: run.method, config: run.config, seeds: left, checkpoints: kept } : null);
  };

  const patchSeed = (seed: number, patch: Partial<CellSeedRun>) => {
    const run = get().cellRun;
    if (!run) return;
    set({ cellRun: { ...run, seeds: run.seeds.map((s) => (s.seed === seed ? { ...s, ...patch } : s)) } });
  };

  const finishSeed = (seed: number, stepsTo95: number | null, stepCount: number, seconds: number, backend: string | null) => {
    const run = get().cellRun;
    sessions.get(seed)?.terminate();
    sessions.delete(seed);
    if (!run) return;
    patchSeed(seed, { status: 'done', stepsTo95, stepCount });
    const mine: YourRun = {
      id: `${run.task}|${run.method}|${seed}`,
      task: run.task,
      method: run.method,
      seed,
      stepsTo95,
      steps: stepCount,
      seconds,
      backend,
      finishedAt: new Date().toISOString(),
    };
    set({ yourRuns: [...get().yourRuns.filter((r) => r.id !== mine.id), mine] });
    void storage?.put(mine);
    delete checkpoints[seed];
    saveQueue();
    startWaiting();
  };

  const startSeed = (seed: number) => {
    const run = get().cellRun;
    const createWorker = get().createWorker;
    if (!run || !createWorker) return;
    const config = { ...run.config, seed };
    const session: TrainingSession = new TrainingSession(createWorker(1), {
      onChange: (st) => {
        if (sessions.get(seed) !== session) return;
        const budget = config.steps;
        if (st.stoppedAt !== null || st.stepCount >= budget)
          return finishSeed(seed, st.stepsTo95, st.stepCount, st.elapsedSeconds, st.backend?.backend ?? null);
        patchSeed(seed, { stepCount: st.stepCount, stepsPerSecond: st.smoothStepsPerSecond, error: st.error });
        // a new checkpoint (at most one every few seconds): keep it with the queue
        const c = session.lastCheckpoint;
        if (c && c.step > (checkpoints[seed]?.checkpoint.step ?? 0)) {
          checkpoints[seed] = { checkpoint: c, elapsedSeconds: st.elapsedSeconds };
          saveQueue();
        }
      },
      onError: (message, fatal) => {
        if (!fatal || sessions.get(seed) !== session) return;
        session.terminate();
        sessions.delete(seed);
        patchSeed(seed, { status: 'failed', error: message });
        startWaiting();
      },
    });
    sessions.set(seed, session);
    patchSeed(seed, { status: 'running' });
    const saved = checkpoints[seed];
    if (saved) {
      // after a reload: on from the checkpoint (the series only needs the steps after it)
      const insideHistory = { step: [], sparsity: [], restrictedLoss: [], excludedLoss: [], loss: [] };
      const restored = { series: emptySeries(), insideHistory, checkpoint: saved.checkpoint, elapsedSeconds: saved.elapsedSeconds };
      session.restore(config, restored, STOP_WHEN_GROKKED);
      patchSeed(seed, { stepCount: saved.checkpoint.step });
    } else session.reset(config, STOP_WHEN_GROKKED);
    session.play();
  };

  /** Fills the free cores with waiting seeds. */
  const startWaiting = () => {
    const run = get().cellRun;
    if (!run) return;
    const running = run.seeds.filter((s) => s.status === 'running').length;
    run.seeds
      .filter((s) => s.status === 'waiting')
      .slice(0, Math.max(0, parallel() - running))
      .forEach((s) => startSeed(s.seed));
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
      checkpoints = { ...(resume ?? {}) };
      // the hidden main run must not take a core from the cell
      get().session?.pause();
      set({
        cellRun: {
          task,
          method,
          config,
          startedAt: Date.now(),
          seeds: seeds.map((seed) => ({
            seed,
            status: 'waiting',
            stepCount: 0,
            steps: config.steps,
            stepsTo95: null,
            stepsPerSecond: 0,
            error: null,
          })),
        },
      });
      saveQueue();
      startWaiting();
    },
    cancelCellRun() {
      sessions.forEach((s) => s.terminate());
      sessions.clear();
      if (get().cellRun) void storage?.setQueue(null);
      checkpoints = {};
      set({ cellRun: null });
    },
  };
};
