/** The recent runs kept in this browser. */
import { loadRecent, runFingerprint, saveRecent } from '../files/recent-runs';
import { METHOD_LABELS, TASK_LABELS } from '../../config/fields';
import type { HistorySlice, Slice } from './types';

export const createHistorySlice: Slice<HistorySlice> = (set, get) => ({
  recent: typeof localStorage === 'undefined' ? [] : loadRecent(localStorage),
  rememberRun({ file, config: c, series, stepsTo95 }) {
    if (typeof localStorage === 'undefined') return;
    const steps = series.train.step.at(-1) ?? 0;
    const grokked = stepsTo95 !== null ? ` · val ≥ 0.95 @ ${stepsTo95}` : '';
    const title = `${TASK_LABELS[c.task]} mod ${c.p} · ${METHOD_LABELS[c.method]} · seed ${c.seed} · ${steps} / ${c.steps} steps${grokked}`;
    // One entry per run however often it is saved (exported, then kept on Reset).
    const fingerprint = runFingerprint({ ...c, backend: 'auto' }, series);
    const previous = get().recent.find((r) => r.id === fingerprint);
    // an export may carry the amplifier; a later save of the same run without it keeps the richer file
    const keep = previous && previous.file.length > file.length ? previous.file : file;
    set({ recent: saveRecent(localStorage, { id: fingerprint, title, file: keep }) });
  },
});
