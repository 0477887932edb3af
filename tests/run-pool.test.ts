/** The run pool without React or the store: fake workers stand in for the training workers. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_UI_CONFIG, useGrokStore } from '../src/ui/store';
import { RunPool, type PoolRun } from '../src/ui/pool/run-pool';
import { validateConfig, type RunConfig } from '../src/config/schema';
import { STOP_WHEN_GROKKED } from '../src/core/stop-rule';
import type { Checkpoint } from '../src/core/checkpoint';
import { FakeWorker } from './fake-worker';
import { appendRecords, emptySeries } from '../src/core/metrics';
import { writeRunFile } from '../src/core/run-file';

const CONFIG = validateConfig({ ...DEFAULT_UI_CONFIG, steps: 40 });
/** A config made in the test: validated, as every config the pool takes. */
const made = (changes: Partial<RunConfig>) => validateConfig({ ...CONFIG, ...changes });
const evalRecord = (step: number, valAcc: number) => ({ step, trainLoss: 0.1, trainAcc: 1, lr: 0.01, valAcc, valLoss: 0.5 });

/** The store on fake workers, from a fresh state (these changes over the default config); returns the workers it made. */
function connectStore(changes: Partial<ReturnType<typeof useGrokStore.getState>>): FakeWorker[] {
  const workers: FakeWorker[] = [];
  useGrokStore.setState({ config: DEFAULT_UI_CONFIG, ...changes });
  useGrokStore.getState().stopCompare();
  useGrokStore.getState().connect(() => {
    const w = new FakeWorker();
    workers.push(w);
    return w;
  });
  return workers;
}

function makePool(canCreate = true) {
  const workers: FakeWorker[] = [];
  const threads: (number | undefined)[] = [];
  let runs: PoolRun[] = [];
  const pool = new RunPool(
    (wasmThreads) => {
      if (!canCreate) return null;
      const w = new FakeWorker();
      workers.push(w);
      threads.push(wasmThreads);
      return w;
    },
    (r) => (runs = r),
  );
  return { pool, workers, threads, runs: () => runs };
}

describe('the run pool', () => {
  it('runs a group at most `parallel` at a time; a run at its stop rule is done, its worker let go, the next starts', () => {
    const { pool, workers, threads, runs } = makePool();
    const done: PoolRun[] = [];
    const ids = pool.start(
      'cell',
      [0, 1, 2].map((seed) => ({ label: `seed ${seed}`, config: made({ seed }), stopWhen: STOP_WHEN_GROKKED })),
      { parallel: 2, autoPlay: true, release: true, wasmThreads: 1, onDone: (r) => done.push(r) },
    );
    expect(ids).toHaveLength(3);
    expect(runs().map((r) => r.status)).toEqual(['live', 'live', 'waiting']);
    expect(workers).toHaveLength(2);
    expect(threads).toEqual([1, 1]);
    // the stop rule travels with the run, and it plays at once
    expect(workers[0]!.sent.map((m) => m.type)).toEqual(['reset', 'play']);
    expect(workers[0]!.sent[0]).toMatchObject({ type: 'reset', config: { seed: 0 }, stopWhen: { valAccuracy: 0.95 } });
    // seed 1's worker reports val ≥ 0.95 at step 20, then pauses by its rule
    workers[1]!.reply({ type: 'config', config: { ...CONFIG, seed: 1 } });
    workers[1]!.reply({ type: 'metrics', records: [evalRecord(10, 0.5), evalRecord(20, 0.97)], stepsPerSecond: 50, stepCount: 20 });
    expect(runs()[1]!.status).toBe('live'); // not before the worker says it stopped
    workers[1]!.reply({ type: 'state', running: false, stepCount: 20, stoppedAt: 20 });
    expect(runs().map((r) => r.status)).toEqual(['live', 'done', 'live']);
    expect(workers[1]!.terminated).toBe(true);
    expect(done.map((r) => [r.config.seed, r.state.stepsTo95, r.state.stepCount])).toEqual([[1, 20, 20]]);
    expect(workers).toHaveLength(3);
    expect(workers[2]!.sent[0]).toMatchObject({ type: 'reset', config: { seed: 2 } });
    // seed 0 at its budget without reaching it; seed 2 fails
    workers[0]!.reply({ type: 'metrics', records: [evalRecord(40, 0.2)], stepsPerSecond: 50, stepCount: 40 });
    workers[2]!.reply({ type: 'error', message: 'out of memory', fatal: true });
    expect(runs().map((r) => r.status)).toEqual(['done', 'done', 'failed']);
    expect(runs()[2]!.state.error).toBe('out of memory');
    expect(done.map((r) => r.state.stepsTo95)).toEqual([20, null]);
    expect(workers.every((w) => w.terminated)).toBe(true);
  });

  it('a comparison: played and paused together, an error leaves its run (and worker) in place, remove ends them all', () => {
    const { pool, workers, runs } = makePool();
    pool.start('compare', [
      { label: 'a', config: CONFIG },
      { label: 'b', config: made({ method: 'standard' }) },
    ]);
    pool.start('cell', [{ label: 'seed 0', config: CONFIG }], { release: true });
    expect(workers.map((w) => w.sent.map((m) => m.type))).toEqual([['reset'], ['reset'], ['reset']]);
    pool.play('compare');
    expect(workers.map((w) => w.sent.at(-1)!.type)).toEqual(['play', 'play', 'reset']);
    pool.pause('compare');
    expect(workers.map((w) => w.sent.at(-1)!.type)).toEqual(['pause', 'pause', 'reset']);
    workers[0]!.reply({ type: 'error', message: 'diverged', fatal: true });
    expect(runs()[0]).toMatchObject({ status: 'live', state: { error: 'diverged' } });
    expect(workers[0]!.terminated).toBe(false);
    pool.remove('compare');
    expect(runs().map((r) => r.kind)).toEqual(['cell']);
    expect(workers.map((w) => w.terminated)).toEqual([true, true, false]);
    // a removed run's worker can no longer change the pool
    const before = runs();
    workers[1]!.reply({ type: 'metrics', records: [evalRecord(10, 0.5)], stepsPerSecond: 5, stepCount: 10 });
    expect(runs()).toBe(before);
  });

  it('without a worker factory runs wait; runs read from a file are shown without one', () => {
    const { pool, runs } = makePool(false);
    pool.start('compare', [{ label: 'a', config: CONFIG }]);
    expect(runs()[0]!.status).toBe('waiting');
    pool.show('compare', [{ label: 'saved', config: CONFIG, state: runs()[0]!.state }]);
    expect(runs().map((r) => r.status)).toEqual(['waiting', 'saved']);
    expect(pool.isLive(runs()[1]!.id)).toBe(false);
  });

  it('reports each newer checkpoint of a run once', () => {
    const { pool, workers } = makePool();
    const seen: number[] = [];
    pool.start('cell', [{ label: 'seed 0', config: CONFIG }], { release: true, onCheckpoint: (_r, c) => seen.push(c.step) });
    const checkpoint = (step: number) => ({ step }) as unknown as Checkpoint;
    workers[0]!.reply({ type: 'checkpoint', checkpoint: checkpoint(10) });
    workers[0]!.reply({ type: 'state', running: true, stepCount: 12 });
    workers[0]!.reply({ type: 'checkpoint', checkpoint: checkpoint(20) });
    expect(seen).toEqual([10, 20]);
  });
});

describe('the store mirrors the pool as data', () => {
  it('compare runs and cell seeds are views of pool runs: plain data, no sessions or workers', () => {
    const workers = connectStore({ notices: [] });
    const s = () => useGrokStore.getState();
    s().startCompare(CONFIG, [{ method: 'neuralgrok' }, { method: 'adamw' }]);
    s().startCellRun('add', 'adamw', CONFIG, [0]);
    expect(s().runs.map((r) => [r.kind, r.status])).toEqual([
      ['main', 'live'],
      ['compare', 'live'],
      ['compare', 'live'],
      ['cell', 'live'],
    ]);
    expect(s().compare.runs.map((r) => r.id)).toEqual(
      s()
        .runs.slice(1, 3)
        .map((r) => r.id),
    );
    expect(s().cellRun!.seeds.map((x) => x.status)).toEqual(['running']);
    // data only: it survives a structured clone unchanged (a session or a function would not)
    expect(structuredClone(s().runs)).toEqual(s().runs);
    expect(structuredClone(s().compare.runs)).toEqual(s().compare.runs);
    // a cell seed's report changes its row only, and not the comparison's
    const compare = s().compare;
    workers[3]!.reply({ type: 'metrics', records: [evalRecord(10, 0.5)], stepsPerSecond: 5, stepCount: 10 });
    expect(s().compare).toBe(compare);
    expect(s().cellRun!.seeds.map((x) => x.stepCount)).toEqual([10]);
    s().cancelCellRun();
    s().stopCompare();
    expect(s().runs.map((r) => r.kind)).toEqual(['main']);
    expect(workers.slice(1).every((w) => w.terminated)).toBe(true);
  });
});

describe('the main run is a run of the pool: one lifecycle', () => {
  const record = (step: number) => ({ step, trainLoss: 3, trainAcc: 0.1 });
  const steps = (run: PoolRun) => run.state.series.train.step;

  it('opened with a worker and nothing to train; started, paused, resumed, replaced: it shows exactly the run its worker trains', () => {
    const { pool, workers, runs } = makePool();
    const id = pool.open('main', { label: 'main', config: CONFIG }, { wasmThreads: 1 });
    // the worker starts at once (its backend takes a while), and trains nothing before a reset
    expect(workers).toHaveLength(1);
    expect(workers[0]!.sent).toEqual([]);
    expect(runs()).toMatchObject([{ id, kind: 'main', status: 'live', wasmThreads: 1, state: { runId: 0 } }]);
    const w = workers[0]!;
    pool.reset(id, CONFIG, null);
    expect(w.sent.at(-1)).toMatchObject({ type: 'reset', runId: 1, stopWhen: null });
    w.reply({ type: 'config', config: CONFIG });
    pool.playRun(id);
    w.reply({ type: 'state', running: true, stepCount: 0 });
    w.reply({ type: 'metrics', records: [record(1), record(2)], stepsPerSecond: 10, stepCount: 2 });
    pool.pauseRun(id);
    w.reply({ type: 'state', running: false, stepCount: 2 });
    expect(runs()[0]!.state).toMatchObject({ runId: 1, running: false, stepCount: 2 });
    // resumed: the same run goes on
    pool.playRun(id);
    w.reply({ type: 'metrics', records: [record(3)], stepsPerSecond: 10, stepCount: 3 });
    expect(w.sent.map((m) => m.type)).toEqual(['reset', 'play', 'pause', 'play']);
    expect(steps(runs()[0]!)).toEqual([1, 2, 3]);
    // replaced: a new run id; the old run's chunk still in flight is dropped, nothing of it mixes in
    const next = made({ lr: 0.002 });
    pool.reset(id, next, STOP_WHEN_GROKKED);
    expect(w.sent.at(-1)).toMatchObject({ type: 'reset', runId: 2, stopWhen: { valAccuracy: 0.95 } });
    w.reply({ type: 'metrics', records: [record(4)], stepsPerSecond: 10, stepCount: 4 }, 1);
    w.reply({ type: 'config', config: CONFIG }, 1);
    expect(runs()[0]).toMatchObject({ config: next, stopWhen: STOP_WHEN_GROKKED, state: { runId: 2, stepCount: 0, workerConfig: null } });
    expect(steps(runs()[0]!)).toEqual([]);
    w.reply({ type: 'config', config: next });
    w.reply({ type: 'metrics', records: [record(1)], stepsPerSecond: 10, stepCount: 1 });
    expect(runs()[0]!.state).toMatchObject({ runId: 2, workerConfig: next, stepCount: 1 });
    expect(steps(runs()[0]!)).toEqual([1]);
    expect(workers).toHaveLength(1); // one worker all along
  });

  it('another WASM thread count moves the run to a new worker; the old one can no longer write', () => {
    const { pool, workers, threads, runs } = makePool();
    const id = pool.open('main', { label: 'main', config: CONFIG }, { wasmThreads: 1 });
    pool.reset(id, CONFIG, null);
    const old = workers[0]!;
    old.reply({ type: 'metrics', records: [record(1)], stepsPerSecond: 10, stepCount: 1 });
    pool.reset(id, CONFIG, null, 4);
    expect(threads).toEqual([1, 4]);
    expect(old.terminated).toBe(true);
    expect(workers[1]!.sent).toMatchObject([{ type: 'reset', runId: 1 }]);
    expect(runs()[0]).toMatchObject({ wasmThreads: 4, state: { runId: 1, stepCount: 0 } });
    const before = runs();
    old.onmessage?.({ data: { type: 'metrics', records: [record(2)], stepsPerSecond: 10, stepCount: 2, runId: 1 } });
    expect(runs()).toBe(before);
    pool.reset(id, CONFIG, null, 4); // the same count: the same worker
    expect(workers).toHaveLength(2);
  });

  it('a worker that dies: the run goes on in a new worker from its last checkpoint, its series cut back to it, and says so', () => {
    const { pool, workers, runs } = makePool();
    const crashes: [string, number][] = [];
    const errors: string[] = [];
    const id = pool.open(
      'main',
      { label: 'main', config: CONFIG },
      { wasmThreads: 1, onCrash: (_r, message, from) => crashes.push([message, from]), onError: (_r, m) => errors.push(m) },
    );
    pool.reset(id, CONFIG, STOP_WHEN_GROKKED);
    const dead = workers[0]!;
    dead.reply({ type: 'config', config: CONFIG });
    dead.reply({ type: 'metrics', records: Array.from({ length: 12 }, (_, i) => record(i + 1)), stepsPerSecond: 10, stepCount: 12 });
    dead.reply({ type: 'checkpoint', checkpoint: { step: 10 } as unknown as Checkpoint });
    dead.onerror?.({ message: 'out of memory' });
    expect(dead.terminated).toBe(true);
    expect(workers).toHaveLength(2);
    // the echoed config, the checkpoint and the run's stop rule go to the new worker
    expect(workers[1]!.sent).toMatchObject([
      { type: 'reset', runId: 1, config: CONFIG, resume: { step: 10 }, stopWhen: { valAccuracy: 0.95 } },
    ]);
    expect(steps(runs()[0]!)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(runs()[0]!.state).toMatchObject({ stepCount: 10, running: false });
    expect(crashes).toEqual([['The training worker crashed: out of memory', 10]]);
    expect(errors).toEqual([]);
    expect(pool.checkpointOf(id)).toMatchObject({ step: 10 });
  });

  it('its stop rule travels to its worker when it changes; errors and refused edits reach the page; remove ends it', () => {
    const { pool, workers, runs } = makePool();
    const said: string[] = [];
    const id = pool.open(
      'main',
      { label: 'main', config: CONFIG },
      {
        onError: (_r, m, fatal) => said.push(`${fatal ? 'fatal' : 'error'}: ${m}`),
        onEditRefused: (_r, c, m) => said.push(`refused ${Object.keys(c)}: ${m}`),
      },
    );
    pool.reset(id, CONFIG, null);
    const w = workers[0]!;
    pool.setStopRule(id, STOP_WHEN_GROKKED);
    expect(w.sent.at(-1)).toEqual({ type: 'stopWhen', rule: STOP_WHEN_GROKKED });
    expect(runs()[0]!.stopWhen).toEqual(STOP_WHEN_GROKKED);
    pool.edit(id, { lr: 0.5 });
    expect(runs()[0]!.state.pendingEdits).toEqual(['lr']);
    w.reply({ type: 'error', message: 'not now', fatal: false, editId: w.lastEditId });
    w.reply({ type: 'error', message: 'diverged', fatal: true });
    expect(said).toEqual(['refused lr: not now', 'fatal: diverged']);
    expect(runs()[0]).toMatchObject({ status: 'live', state: { error: 'diverged', pendingEdits: [] } });
    pool.remove('main');
    expect(w.terminated).toBe(true);
    expect(runs()).toEqual([]);
  });
});

describe('the store shows the pool’s main run', () => {
  it('`run` is the pool’s main run state, as data: no session or worker in the store', () => {
    const workers = connectStore({ notices: [], imported: null });
    const s = () => useGrokStore.getState();
    s().reset();
    const w = workers.at(-1)!;
    w.reply({ type: 'config', config: s().config });
    w.reply({ type: 'metrics', records: [evalRecord(1, 0.5)], stepsPerSecond: 5, stepCount: 1 });
    const main = s().runs.find((r) => r.kind === 'main')!;
    expect(s().run).toBe(main.state);
    expect(s().run.series.train.step).toEqual([1]);
    expect('session' in s()).toBe(false);
    expect(structuredClone(s().run)).toEqual(s().run);
    // a viewed file keeps its own numbers while the worker goes on reporting; a reset shows the pool's run again
    const series = emptySeries();
    appendRecords(series, [evalRecord(1, 0.2), evalRecord(2, 0.3)]);
    expect(s().importRunFile(writeRunFile({ config: s().config, series, amplifier: null }))).toBe(true);
    expect(s().run.series.train.step).toEqual([1, 2]);
    w.reply({ type: 'metrics', records: [evalRecord(2, 0.6)], stepsPerSecond: 5, stepCount: 2 });
    expect(s().run.series.train.step).toEqual([1, 2]);
    expect(s().run).not.toBe(s().runs.find((r) => r.kind === 'main')!.state);
    s().reset();
    expect(s().run).toBe(s().runs.find((r) => r.kind === 'main')!.state);
    expect(s().run).toMatchObject({ runId: 2, stepCount: 0 });
  });
});
