/**
 * The class period: "pause when grokked" and the guided lesson (`?lesson=grokking&chapter=N`).
 * The lesson drives the one playground (its presets, fields and views); it is not a second one.
 */
import { presetById } from '../../config/presets';
import type { GrokStore, Slice } from './types';

export interface LessonState {
  id: 'grokking';
  /** 0-based chapter index. */
  chapter: number;
}

/** What presentation mode shows: the four charts as a 2 × 2 grid, or one of them large. */
export const PRESENT_FOCUS = ['all', 'chart-accuracy', 'chart-loss', 'chart-weight-norm', 'chart-age'] as const;
export type PresentFocus = (typeof PRESENT_FOCUS)[number];

export interface LessonSlice {
  /** Pause the main run at the first evaluation with val ≥ 0.95 (on in the classroom preset and the lesson). */
  pauseWhenGrokked: boolean;
  lesson: LessonState | null;
  presentFocus: PresentFocus;
  /** The phone's control drawer is open. */
  drawerOpen: boolean;
  setPresentFocus(focus: PresentFocus): void;
  setDrawerOpen(open: boolean): void;
  setPauseWhenGrokked(on: boolean): void;
  openLesson(chapter?: number): void;
  closeLesson(): void;
  setLessonChapter(chapter: number): void;
}

/** "pause when grokked" as last set in this browser (issue 32: an unticked box came back ticked after a reload). */
const PAUSE_KEY = 'groklab.pauseWhenGrokked.v1';
function readPauseWhenGrokked(): boolean {
  try {
    return typeof localStorage === 'undefined' || localStorage.getItem(PAUSE_KEY) !== '0';
  } catch {
    return true;
  }
}

export const createLessonSlice: Slice<LessonSlice> = (set) => ({
  pauseWhenGrokked: readPauseWhenGrokked(), // the page opens on the classroom preset (on), unless unticked before
  lesson: null,
  presentFocus: 'all',
  drawerOpen: false,
  setPresentFocus: (presentFocus) => set({ presentFocus }),
  setDrawerOpen: (drawerOpen) => set({ drawerOpen }),
  setPauseWhenGrokked: (on) => {
    set({ pauseWhenGrokked: on });
    try {
      localStorage.setItem(PAUSE_KEY, on ? '1' : '0');
    } catch {
      /* storage unavailable: for this visit only */
    }
  },
  openLesson: (chapter = 0) => set({ lesson: { id: 'grokking', chapter }, pauseWhenGrokked: true }),
  closeLesson: () => set({ lesson: null }),
  setLessonChapter: (chapter) => set((s) => (s.lesson ? { lesson: { ...s.lesson, chapter } } : {})),
});

/**
 * Pauses the main run when it generalizes (the first evaluation with val ≥ 0.95) if
 * `pauseWhenGrokked` is on; a preset chosen from the menu sets the switch to its own default.
 * Returns the unsubscribe function.
 */
export function watchPauseWhenGrokked(store: { subscribe(l: (s: GrokStore, prev: GrokStore) => void): () => void }): () => void {
  return store.subscribe((s, prev) => {
    if (s.presetId !== prev.presetId && s.presetId && !s.lesson) s.setPauseWhenGrokked(presetById(s.presetId)?.pauseWhenGrokked === true);
    const reached = s.run.stepsTo95 !== null && prev.run.stepsTo95 === null;
    if (!reached || !s.pauseWhenGrokked || !s.run.running || s.compare.entries || s.imported) return;
    s.pause();
    s.pushInfo(
      `Paused: validation accuracy reached 95 % at step ${s.run.stepsTo95} — the model generalized. ` +
        'Press Play to watch what follows (a dip after this is a slingshot spike; it recovers), or untick “pause when grokked”.',
      'paused',
    );
  });
}
