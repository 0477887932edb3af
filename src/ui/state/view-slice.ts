/** What the page shows around the run: hidden controls, presentation mode, the shortcut overlay, notices. */
import type { Slice, ViewSlice } from './types';

export const createViewSlice: Slice<ViewSlice> = (set, get) => ({
  hidden: [],
  presentation: false,
  showShortcuts: false,
  presetId: null,
  notices: [],
  lastNoticeId: 0,
  setView: (v) => set(v),
  pushError(message) {
    const id = get().lastNoticeId + 1;
    set({ lastNoticeId: id, notices: [...get().notices, { id, kind: 'error', message }] });
  },
  pushInfo(message) {
    const id = get().lastNoticeId + 1;
    set({ lastNoticeId: id, notices: [...get().notices, { id, kind: 'info', message }] });
  },
  dismissNotice(id) {
    set({ notices: get().notices.filter((n) => n.id !== id) });
  },
});
