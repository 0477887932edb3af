/** The last few runs, kept in this browser's localStorage (bounded; a full storage forgets the oldest). */
const RECENT_KEY = 'groklab.recent.v1';
export const MAX_RECENT = 5;

export interface RecentRun {
  id: string;
  savedAt: string;
  title: string;
  file: string;
}

/**
 * A run's identity for the recent list: its config and its series (FNV-1a of the two), so the
 * same run saved twice — exported, then kept again on Reset — is listed once.
 */
export function runFingerprint(config: unknown, series: { train: { step: ArrayLike<number>; trainLoss: ArrayLike<number> } }): string {
  const steps = series.train.step;
  const losses = series.train.trainLoss;
  const text = `${JSON.stringify(config)}|${steps.length}|${steps[steps.length - 1] ?? 0}|${Array.from(losses).join(',')}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

export function loadRecent(storage: Pick<Storage, 'getItem'>): RecentRun[] {
  try {
    const list = JSON.parse(storage.getItem(RECENT_KEY) ?? '[]');
    return Array.isArray(list) ? list.filter((r) => typeof r?.file === 'string' && typeof r?.title === 'string').slice(0, MAX_RECENT) : [];
  } catch {
    return [];
  }
}

/** Keeps the newest runs; drops the oldest when storage is full. */
export function saveRecent(storage: Pick<Storage, 'getItem' | 'setItem'>, run: Omit<RecentRun, 'savedAt'>): RecentRun[] {
  let list = [{ ...run, savedAt: new Date().toISOString() }, ...loadRecent(storage).filter((r) => r.id !== run.id)].slice(0, MAX_RECENT);
  while (list.length > 0) {
    try {
      storage.setItem(RECENT_KEY, JSON.stringify(list));
      return list;
    } catch {
      list = list.slice(0, -1); // quota exceeded: forget the oldest
    }
  }
  return list;
}
