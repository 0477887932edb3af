/**
 * "Yours": the Table 1 cells a visitor ran in this browser ("Run this cell in my browser"),
 * kept in IndexedDB (through `idb`) across reloads — each finished seed, and the queue still to
 * run with each running seed's latest checkpoint, so a reload continues the queue where it was.
 */
import { openDB, type IDBPDatabase } from 'idb';
import type { RunConfig } from '../../config/schema';
import type { Checkpoint } from '../../core/checkpoint';

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

const DB = 'groklab-paper';

export function indexedDbYourRuns(): YourRunsStorage | null {
  if (typeof indexedDB === 'undefined') return null;
  let db: Promise<IDBPDatabase> | null = null;
  const open = () =>
    (db ??= openDB(DB, 1, {
      upgrade(d) {
        d.createObjectStore('yours', { keyPath: 'id' });
        d.createObjectStore('queue');
      },
    }));
  return {
    all: async () => (await (await open()).getAll('yours')) as YourRun[],
    put: async (run) => void (await (await open()).put('yours', run)),
    queue: async () => ((await (await open()).get('queue', 'current')) as CellQueue | undefined) ?? null,
    setQueue: async (q) => void (q ? await (await open()).put('queue', q, 'current') : await (await open()).delete('queue', 'current')),
  };
}
