import { beforeEach, describe, expect, it } from 'vitest';
import { appendRecords, emptySeries } from '../src/core/metrics';
import { packRun, unpackRun, type RunStorage, type SavedRun } from '../src/ui/files/saved-run';
import { restoreAndKeepSaved } from '../src/ui/state/persistence';
import { DEFAULT_UI_CONFIG, useGrokStore } from '../src/ui/store';
import { FakeWorker } from './fake-worker';

/** An in-memory stand-in for IndexedDB that stores the packed form, as idb would. */
class MemoryStorage implements RunStorage {
  stored: unknown = null;
  failWith: Error | null = null;
  async save(run: SavedRun) {
    if (this.failWith) throw this.failWith;
    this.stored = structuredClone(packRun(run));
  }
  async load() {
    return this.stored ? unpackRun(structuredClone(this.stored)) : null;
  }
  async clear() {
    this.stored = null;
  }
}

const settle = () => new Promise((r) => setTimeout(r, 5));
const store = () => useGrokStore.getState();
let workers: FakeWorker[] = [];

beforeEach(() => {
  workers = [];
  useGrokStore.setState({ config: DEFAULT_UI_CONFIG, notices: [], imported: null, savedRun: null, edits: [] });
  store().stopCompare();
  store().connect(() => {
    const w = new FakeWorker();
    workers.push(w);
    return w;
  });
  store().reset();
  workers[0]!.reply({ type: 'config', config: DEFAULT_UI_CONFIG });
});

const records = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => ({
    step: from + i,
    trainLoss: 2,
    trainAcc: 0.5,
    ...((from + i) % 10 === 0 ? { valAcc: 0.3, valLoss: 2 } : {}),
  }));
const checkpoint = (step: number) => ({
  step,
  params: { w: new Float32Array([1, 2, 3]) },
  optimizer: { t: step, names: ['w'], sizes: [3], m: new Float32Array(3), v: new Float32Array(3) },
});

describe('a run survives a reload', () => {
  it('packs and unpacks a run without loss (columns as Float64Arrays, NaN kept)', () => {
    const series = emptySeries();
    appendRecords(series, records(1, 20));
    const run: SavedRun = {
      config: DEFAULT_UI_CONFIG,
      series,
      insideHistory: { step: [10], sparsity: [0.5], restrictedLoss: [NaN], excludedLoss: [NaN], loss: [1] },
      checkpoint: checkpoint(20),
      edits: [],
      elapsedSeconds: 3,
      savedAt: 'now',
    };
    const packed = packRun(run) as { series: { train: { step: unknown } } };
    expect(packed.series.train.step).toBeInstanceOf(Float64Array);
    expect(unpackRun(structuredClone(packed))).toEqual(run);
  });

  it('keeps the current run at its checkpoints, clears it on Reset, and restores it on load', async () => {
    const storage = new MemoryStorage();
    await restoreAndKeepSaved(useGrokStore, storage); // nothing saved yet: starts watching
    const w = workers[0]!;
    w.reply({ type: 'metrics', records: records(1, 24), stepsPerSecond: 10, stepCount: 24 });
    w.reply({ type: 'checkpoint', checkpoint: checkpoint(20) });
    await settle();
    expect(store().savedRun?.step).toBe(20);
    expect((await storage.load())?.series.train.step).toHaveLength(24);

    // "reload": a fresh page state with the same config finds it and continues from step 20
    store().reset();
    await settle();
    expect(store().savedRun).toBeNull();
    expect(storage.stored).toBeNull(); // Reset cleared it: memory and storage agree
    w.reply({ type: 'config', config: DEFAULT_UI_CONFIG });
    w.reply({ type: 'metrics', records: records(1, 24), stepsPerSecond: 10, stepCount: 24 });
    w.reply({ type: 'checkpoint', checkpoint: checkpoint(20) });
    await settle();
    const saved = storage.stored;
    store().connect(store().createWorker!); // the reloaded page's worker
    store().reset();
    storage.stored = saved;
    await restoreAndKeepSaved(useGrokStore, storage);
    const fresh = workers.at(-1)!;
    expect(fresh.sent.at(-1)).toMatchObject({ type: 'reset', resume: { step: 20 } });
    expect(store().run.series.train.step).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(store().notices.at(-1)?.message).toMatch(/Restored your run from this browser: step 20 of 3000/);
  });

  it('a full storage says so, and the page stops claiming the run is kept', async () => {
    const storage = new MemoryStorage();
    await restoreAndKeepSaved(useGrokStore, storage);
    storage.stored = { stale: true };
    storage.failWith = new DOMException('full', 'QuotaExceededError');
    workers[0]!.reply({ type: 'metrics', records: records(1, 10), stepsPerSecond: 10, stepCount: 10 });
    workers[0]!.reply({ type: 'checkpoint', checkpoint: checkpoint(10) });
    await settle();
    expect(store().savedRun).toBeNull();
    expect(store().notices.at(-1)?.message).toMatch(/storage is full/);
    expect(storage.stored).toBeNull(); // no older copy left to come back on reload
  });
});
