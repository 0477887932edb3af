import { describe, expect, it } from 'vitest';
import { loadRecent, MAX_RECENT, saveRecent } from '../src/ui/files/recent-runs';

describe('recent runs', () => {
  it('keeps the newest recent runs and survives a full storage', () => {
    const data = new Map<string, string>();
    let quota = Infinity;
    const storage = {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => {
        if (v.length > quota) throw new Error('QuotaExceededError');
        data.set(k, v);
      },
    };
    for (let i = 0; i < MAX_RECENT + 2; i++) saveRecent(storage, { id: `r${i}`, title: `run ${i}`, file: 'x'.repeat(100) });
    expect(loadRecent(storage).map((r) => r.id)).toEqual(['r6', 'r5', 'r4', 'r3', 'r2']);
    quota = 350; // room for about two entries
    const kept = saveRecent(storage, { id: 'big', title: 'big', file: 'y'.repeat(100) });
    expect(kept[0]!.id).toBe('big');
    expect(kept.length).toBeLessThan(MAX_RECENT);
    data.set('groklab.recent.v1', 'not json');
    expect(loadRecent(storage)).toEqual([]);
  });
});
