/**
 * The page's one IndexedDB store (through `idb`): a database and its object stores, declared
 * once, opened lazily on first use and kept open. Saved runs and "Yours" each declare theirs
 * here; the names and versions are what browsers already hold, so a declaration only ever
 * grows by a new version with an upgrade step, never by renaming.
 */
import { openDB, type IDBPDatabase } from 'idb';

export interface StoreDatabase {
  name: string;
  version: number;
  /** Each object store and its key path (absent: out-of-line keys); created when the database is. */
  stores: Record<string, { keyPath?: string }>;
}

/** A database's object stores as plain get / put / delete / getAll. */
export interface IdbStore {
  get<T>(store: string, key: IDBValidKey): Promise<T | undefined>;
  getAll<T>(store: string): Promise<T[]>;
  /** `key` only for a store without a key path. */
  put(store: string, value: unknown, key?: IDBValidKey): Promise<void>;
  delete(store: string, key: IDBValidKey): Promise<void>;
}

/** The store of a database, or null where the browser has none (private modes, Node). */
export function openIdbStore(db: StoreDatabase): IdbStore | null {
  if (typeof indexedDB === 'undefined') return null;
  let opened: Promise<IDBPDatabase> | null = null;
  const open = () =>
    (opened ??= openDB(db.name, db.version, {
      upgrade(d) {
        for (const [name, { keyPath }] of Object.entries(db.stores))
          if (!d.objectStoreNames.contains(name)) d.createObjectStore(name, keyPath ? { keyPath } : undefined);
      },
    }));
  return {
    get: async <T>(store: string, key: IDBValidKey) => (await (await open()).get(store, key)) as T | undefined,
    getAll: async <T>(store: string) => (await (await open()).getAll(store)) as T[],
    put: async (store, value, key) => void (await (await open()).put(store, value, key)),
    delete: async (store, key) => void (await (await open()).delete(store, key)),
  };
}
