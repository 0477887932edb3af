/** The recent runs kept in this browser. */
import { loadRecent, saveRecent } from '../files/recent-runs';
import type { HistorySlice, Slice } from './types';

export const createHistorySlice: Slice<HistorySlice> = (set, get) => ({
  recent: typeof localStorage === 'undefined' ? [] : loadRecent(localStorage),
  rememberRun(file) {
    if (typeof localStorage === 'undefined') return;
    const s = get();
    const c = s.run.workerConfig ?? s.config;
    const steps = s.run.series.train.step.at(-1) ?? 0;
    const grokked = s.run.stepsTo95 !== null ? ` · val ≥ 0.95 @ ${s.run.stepsTo95}` : '';
    const title = `${c.task} mod ${c.p} · ${c.method} · seed ${c.seed} · ${steps} steps${grokked}`;
    set({ recent: saveRecent(localStorage, { id: `${c.task}-${c.method}-${c.seed}-${steps}-${Date.now()}`, title, file }) });
  },
});
