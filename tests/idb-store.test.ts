/**
 * The page's one IndexedDB store (src/ui/files/idb-store.ts) on fake-indexeddb: what browsers
 * already hold — written here with the raw IndexedDB API, as the two wrappers before it wrote
 * it (database "groklab" v1, store "runs", key "current"; "groklab-paper" v1, stores "yours"
 * keyed by id and "queue") — is read back through it, and what it writes round-trips.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { appendRecords, emptySeries, type StepRecord } from '../src/core/metrics';
import type { Checkpoint } from '../src/core/checkpoint';
import { openIdbStore } from '../src/ui/files/idb-store';
import { indexedDbStorage, packRun, type SavedRun } from '../src/ui/files/saved-run';
import { indexedDbYourRuns, type CellQueue, type YourRun } from '../src/ui/files/your-runs';
import { DEFAULT_UI_CONFIG } from '../src/ui/state/config-slice';

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory(); // a fresh, empty browser for each test
});

const request = <T>(r: IDBRequest<T>) =>
  new Promise<T>((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });

/** A database as a browser of the previous release left it: raw IndexedDB, no idb, no GrokLab module. */
async function writeAsBefore(name: string, stores: Record<string, string | undefined>, puts: [string, unknown, string?][]) {
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => {
    for (const [store, keyPath] of Object.entries(stores)) open.result.createObjectStore(store, keyPath ? { keyPath } : undefined);
  };
  const db = await request(open);
  for (const [store, value, key] of puts) {
    const tx = db.transaction(store, 'readwrite');
    await request(key === undefined ? tx.objectStore(store).put(value) : tx.objectStore(store).put(value, key));
  }
  db.close();
}

function savedRun(steps: number): SavedRun {
  const series = emptySeries();
  const records: StepRecord[] = Array.from({ length: steps }, (_, i) => ({ step: i + 1, trainLoss: 3 / (i + 1), trainAcc: i / steps }));
  appendRecords(series, records);
  const checkpoint: Checkpoint = {
    step: steps,
    params: { w: new Float32Array([1, 2, 3]) },
    optimizer: { t: steps, names: ['w'], sizes: [3], m: new Float32Array(3), v: new Float32Array([0.5, 0.25, 0.125]) },
  };
  return {
    config: DEFAULT_UI_CONFIG,
    series,
    insideHistory: { step: [10], sparsity: [0.5], restrictedLoss: [NaN], excludedLoss: [NaN], loss: [1] },
    checkpoint,
    edits: [],
    elapsedSeconds: 3,
    savedAt: '2026-12-07T18:00:00Z',
  };
}

const yourRun = (seed: number, stepsTo95: number | null): YourRun => ({
  id: `add|neuralgrok|${seed}`,
  task: 'add',
  method: 'neuralgrok',
  seed,
  stepsTo95,
  steps: 400,
  seconds: 12.5,
  backend: 'wasm',
  finishedAt: '2026-12-07T18:00:00Z',
});

describe('the one IndexedDB store', () => {
  it('reads the saved run a browser already holds (groklab / runs / current)', async () => {
    const run = savedRun(25);
    await writeAsBefore('groklab', { runs: undefined }, [['runs', packRun(run), 'current']]);
    expect(await indexedDbStorage()!.load()).toEqual(run);
  });

  it('reads the "Yours" runs and the queue a browser already holds (groklab-paper)', async () => {
    const queue: CellQueue = {
      task: 'add',
      method: 'neuralgrok',
      config: DEFAULT_UI_CONFIG,
      seeds: [1, 2],
      checkpoints: { 1: { checkpoint: savedRun(5).checkpoint, elapsedSeconds: 2 } },
    };
    await writeAsBefore('groklab-paper', { yours: 'id', queue: undefined }, [
      ['yours', yourRun(0, 320)],
      ['yours', yourRun(1, null)],
      ['queue', queue, 'current'],
    ]);
    const yours = indexedDbYourRuns()!;
    expect(await yours.all()).toEqual([yourRun(0, 320), yourRun(1, null)]);
    expect(await yours.queue()).toEqual(queue);
  });

  it('saves, loads and clears the current run; keeps "Yours" by id and the queue under one key', async () => {
    const storage = indexedDbStorage()!;
    expect(await storage.load()).toBeNull();
    await storage.save(savedRun(10));
    await storage.save(savedRun(30)); // one run is kept: the latest
    expect((await storage.load())!.series.train.step).toHaveLength(30);
    await storage.clear();
    expect(await storage.load()).toBeNull();

    const yours = indexedDbYourRuns()!;
    await yours.put(yourRun(0, 300));
    await yours.put(yourRun(0, 280)); // the same cell seed again replaces it
    await yours.put(yourRun(2, null));
    expect((await yours.all()).map((r) => [r.seed, r.stepsTo95])).toEqual([
      [0, 280],
      [2, null],
    ]);
    expect(await yours.queue()).toBeNull();
    await yours.setQueue({ task: 'sub', method: 'standard', config: DEFAULT_UI_CONFIG, seeds: [0] });
    expect((await yours.queue())!.task).toBe('sub');
    await yours.setQueue(null);
    expect(await yours.queue()).toBeNull();
  });

  it('gives null where the browser has no IndexedDB', () => {
    const saved = globalThis.indexedDB;
    // @ts-expect-error: a browser without IndexedDB (private modes, Node)
    delete globalThis.indexedDB;
    try {
      expect(openIdbStore({ name: 'x', version: 1, stores: {} })).toBeNull();
      expect(indexedDbStorage()).toBeNull();
      expect(indexedDbYourRuns()).toBeNull();
    } finally {
      globalThis.indexedDB = saved;
    }
  });

  it('is the only module that opens IndexedDB', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name));
        else if (/\.tsx?$/.test(e.name)) files.push(join(dir, e.name));
      }
    };
    walk('src');
    const openers = files.filter((f) => /from 'idb'|indexedDB\.open\(/.test(readFileSync(f, 'utf8')));
    expect(openers).toEqual(['src/ui/files/idb-store.ts']);
  });
});
