/**
 * The class period: "pause when grokked" and the guided lesson (`?lesson=grokking&chapter=N`).
 * The lesson drives the one playground (its presets, fields and views); it is not a second one.
 */
import { presetById } from '../../config/presets';
import { STOP_WHEN_GROKKED, type StopRule } from '../../core/stop-rule';
import type { RunPool } from '../pool/run-pool';
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
  /**
   * Pause the main run at the first evaluation with val ≥ 0.95 (on in the classroom preset and
   * the lesson): the main run's stop rule, checked by its worker (mainStopRule).
   */
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

/** The main run's stop rule: "pause when grokked" is the rule STOP_WHEN_GROKKED, sent with the run. */
export const mainStopRule = (s: Pick<LessonSlice, 'pauseWhenGrokked'>): StopRule | null => (s.pauseWhenGrokked ? STOP_WHEN_GROKKED : null);

export const createLessonSlice =
  (pool: RunPool): Slice<LessonSlice> =>
  (set, get) => {
    /** The main run's stop rule follows the switch (sent to its worker at once). */
    const sendRule = () => {
      const id = pool.idOf('main');
      if (id !== undefined) pool.setStopRule(id, mainStopRule(get()));
    };
    return {
      pauseWhenGrokked: readPauseWhenGrokked(), // the page opens on the classroom preset (on), unless unticked before
      lesson: null,
      presentFocus: 'all',
      drawerOpen: false,
      setPresentFocus: (presentFocus) => set({ presentFocus }),
      setDrawerOpen: (drawerOpen) => set({ drawerOpen }),
      setPauseWhenGrokked: (on) => {
        set({ pauseWhenGrokked: on });
        sendRule();
        try {
          localStorage.setItem(PAUSE_KEY, on ? '1' : '0');
        } catch {
          /* storage unavailable: for this visit only */
        }
      },
      openLesson: (chapter = 0) => {
        set({ lesson: { id: 'grokking', chapter }, pauseWhenGrokked: true });
        sendRule();
      },
      closeLesson: () => set({ lesson: null }),
      setLessonChapter: (chapter) => set((s) => (s.lesson ? { lesson: { ...s.lesson, chapter } } : {})),
    };
  };

/**
 * Says why the main run paused when its worker's stop rule paused it at generalizing (the first
 * evaluation with val ≥ 0.95, with `pauseWhenGrokked` on); a preset chosen from the menu sets
 * the switch to its own default. Returns the unsubscribe function.
 */
export function watchPauseWhenGrokked(store: { subscribe(l: (s: GrokStore, prev: GrokStore) => void): () => void }): () => void {
  return store.subscribe((s, prev) => {
    if (s.presetId !== prev.presetId && s.presetId && !s.lesson) s.setPauseWhenGrokked(presetById(s.presetId)?.pauseWhenGrokked === true);
    // a run that was playing (not stepped by hand) and paused itself by its rule
    const stopped = s.run.stoppedAt !== null && prev.run.stoppedAt === null && prev.run.running;
    if (!stopped || s.compare.entries || s.imported) return;
    s.pushInfo(
      `Paused: validation accuracy reached 95 % at step ${s.run.stoppedAt} — the model generalized. ` +
        'Press Play to watch what follows (a dip after this is a slingshot spike; it recovers), or untick “pause when grokked”.',
      'paused',
    );
  });
}
