/** The recent runs kept in this browser. */
import { loadRecent, runFingerprint, saveRecent } from '../files/recent-runs';
import { METHOD_LABELS, TASK_LABELS } from '../../config/fields';
import type { HistorySlice, Slice } from './types';

export const createHistorySlice: Slice<HistorySlice> = (set, get) => ({
  recent: typeof localStorage === 'undefined' ? [] : loadRecent(localStorage),
  rememberRun(file) {
    if (typeof localStorage === 'undefined') return;
    const s = get();
    const c = s.run.workerConfig ?? s.config;
    const steps = s.run.series.train.step.at(-1) ?? 0;
    const grokked = s.run.stepsTo95 !== null ? ` · val ≥ 0.95 @ ${s.run.stepsTo95}` : '';
    const title = `${TASK_LABELS[c.task]} mod ${c.p} · ${METHOD_LABELS[c.method]} · seed ${c.seed} · ${steps} steps${grokked}`;
    // One entry per run however often it is saved (exported, then kept on Reset).
    const fingerprint = runFingerprint({ ...c, backend: 'auto' }, s.run.series);
    const previous = s.recent.find((r) => r.id === fingerprint);
    // an export may carry the amplifier; a later save of the same run without it keeps the richer file
    const keep = previous && previous.file.length > file.length ? previous.file : file;
    set({ recent: saveRecent(localStorage, { id: fingerprint, title, file: keep }) });
  },
});
