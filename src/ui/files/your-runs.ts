/**
 * "Yours": the Table 1 cells a visitor ran in this browser ("Run this cell in my browser"),
 * kept in IndexedDB (the page's one store, idb-store.ts) across reloads — each finished seed,
 * and the queue still to run with each running seed's latest checkpoint, so a reload continues
 * the queue where it was.
 */
import type { RunConfig } from '../../config/schema';
import type { Checkpoint } from '../../core/checkpoint';
import { openIdbStore, type StoreDatabase } from './idb-store';

/** One finished seed of a cell, run here. */
export interface YourRun {
  /** `task|method|seed` */
  id: string;
  task: string;
  method: string;
  seed: number;
  stepsTo95: number | null;
  steps: number;
  seconds: number;
  backend: string | null;
  finishedAt: string;
}

/** A seed's latest checkpoint, so a reload continues it rather than starting it again. */
export interface SeedCheckpoint {
  checkpoint: Checkpoint;
  elapsedSeconds: number;
}

/** A cell's seeds queued to run here. */
export interface CellQueue {
  task: string;
  method: string;
  config: RunConfig;
  seeds: number[];
  /** By seed: where an interrupted seed continues from (absent: from step 0). */
  checkpoints?: Record<number, SeedCheckpoint>;
}

export interface YourRunsStorage {
  all(): Promise<YourRun[]>;
  put(run: YourRun): Promise<void>;
  queue(): Promise<CellQueue | null>;
  setQueue(queue: CellQueue | null): Promise<void>;
}

/** The database browsers hold since "Yours" began: its name, version and stores stay as they are. */
export const YOUR_RUNS_DB: StoreDatabase = { name: 'groklab-paper', version: 1, stores: { yours: { keyPath: 'id' }, queue: {} } };

export function indexedDbYourRuns(): YourRunsStorage | null {
  const db = openIdbStore(YOUR_RUNS_DB);
  if (!db) return null;
  return {
    all: () => db.getAll<YourRun>('yours'),
    put: (run) => db.put('yours', run),
    queue: async () => (await db.get<CellQueue>('queue', 'current')) ?? null,
    setQueue: (q) => (q ? db.put('queue', q, 'current') : db.delete('queue', 'current')),
  };
}
