/** What the page shows around the run: hidden controls, presentation mode, the shortcut overlay, notices. */
import { withNotice } from './notices';
import type { Slice, ViewSlice } from './types';

const INTRO_KEY = 'groklab.introDismissed.v1';
const readIntroDismissed = () => {
  try {
    return typeof localStorage !== 'undefined' && localStorage.getItem(INTRO_KEY) === '1';
  } catch {
    return false;
  }
};

export const createViewSlice: Slice<ViewSlice> = (set, get) => ({
  hidden: [],
  presentation: false,
  page: 'playground',
  introDismissed: readIntroDismissed(),
  showShortcuts: false,
  presetId: null,
  notices: [],
  lastNoticeId: 0,
  setView: (v) => set(v),
  dismissIntro() {
    set({ introDismissed: true });
    try {
      localStorage.setItem(INTRO_KEY, '1');
    } catch {
      /* storage unavailable: dismissed for this visit only */
    }
  },
  pushError(message, topic = 'other') {
    const id = get().lastNoticeId + 1;
    set({ lastNoticeId: id, notices: withNotice(get().notices, { id, kind: 'error', topic, message }) });
  },
  pushInfo(message, topic = 'other') {
    const id = get().lastNoticeId + 1;
    set({ lastNoticeId: id, notices: withNotice(get().notices, { id, kind: 'info', topic, message }) });
  },
  dismissNotice(id) {
    set({ notices: get().notices.filter((n) => n.id !== id) });
  },
  dismissTopic(topic) {
    if (get().notices.some((n) => n.topic === topic)) set({ notices: get().notices.filter((n) => n.topic !== topic) });
  },
});
