/**
 * The current run, saved in this browser's IndexedDB (the page's one store, idb-store.ts) so
 * that a reload resumes it: config, series, inside-view history, edit markers and the latest
 * checkpoint (weights and Adam's moments). One run is kept; series columns are stored as Float64Arrays (a structured
 * clone of a typed array is a copy of its bytes, not a walk over 100 000 numbers).
 */
import type { RunConfig } from '../../config/schema';
import type { Checkpoint } from '../../core/checkpoint';
import type { RunSeries } from '../../core/metrics';
import type { InsideHistory } from '../../core/inside';
import type { EditMark } from '../run-story';
import { openIdbStore, type StoreDatabase } from './idb-store';

export interface SavedRun {
  config: RunConfig;
  series: RunSeries;
  insideHistory: InsideHistory;
  checkpoint: Checkpoint;
  edits: EditMark[];
  elapsedSeconds: number;
  savedAt: string;
}

/** Where a run is kept (the browser's IndexedDB, or a map in tests). */
export interface RunStorage {
  save(run: SavedRun): Promise<void>;
  load(): Promise<SavedRun | null>;
  clear(): Promise<void>;
}

type Packed<T> = { [K in keyof T]: T[K] extends number[] ? Float64Array : T[K] };
const pack = <T extends Record<string, number[]>>(c: T) =>
  Object.fromEntries(Object.entries(c).map(([k, v]) => [k, Float64Array.from(v)])) as Packed<T>;
const unpack = <T extends Record<string, number[]>>(c: Packed<T>) =>
  Object.fromEntries(Object.entries(c).map(([k, v]) => [k, Array.from(v as Float64Array)])) as unknown as T;

/** The stored form: every column a Float64Array. */
export function packRun(run: SavedRun): unknown {
  return {
    ...run,
    series: { train: pack(run.series.train), evals: pack(run.series.evals) },
    insideHistory: pack(run.insideHistory as unknown as Record<string, number[]>),
  };
}

export function unpackRun(stored: unknown): SavedRun | null {
  const r = stored as ReturnType<typeof packRun> & Partial<SavedRun>;
  if (!r || typeof r !== 'object' || !r.config || !r.series || !r.checkpoint) return null;
  const s = r.series as unknown as { train: Packed<Record<string, number[]>>; evals: Packed<Record<string, number[]>> };
  return {
    ...(r as SavedRun),
    series: { train: unpack(s.train), evals: unpack(s.evals) } as RunSeries,
    insideHistory: unpack(r.insideHistory as unknown as Packed<Record<string, number[]>>) as unknown as InsideHistory,
  };
}

/** The database browsers hold since the first saved run: its name, version and store stay as they are. */
export const SAVED_RUN_DB: StoreDatabase = { name: 'groklab', version: 1, stores: { runs: {} } };
const KEY = 'current';

/** IndexedDB storage, or null where the browser has none (private modes, Node). */
export function indexedDbStorage(): RunStorage | null {
  const db = openIdbStore(SAVED_RUN_DB);
  if (!db) return null;
  return {
    save: (run) => db.put('runs', packRun(run), KEY),
    load: async () => unpackRun(await db.get('runs', KEY)),
    clear: () => db.delete('runs', KEY),
  };
}

/** Whether a storage error is the browser's quota. */
export const isQuotaError = (e: unknown): boolean =>
  e instanceof DOMException ? e.name === 'QuotaExceededError' || e.code === 22 : /quota/i.test(String(e));
