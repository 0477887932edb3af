/**
 * The playground's one zustand store, built from slice creators (zustand's slices pattern):
 * config (what the user edits), run (the main TrainingSession), view, compare (up to four
 * sessions), history (recent runs) and lesson (pause when grokked, the guided lesson). No state lives outside it; workers are created through
 * the factory that start-up (or a test) passes to `connect`.
 */
import { create } from 'zustand';
import { createCellRunSlice } from './state/cell-run-slice';
import { createCompareSlice } from './state/compare-slice';
import { createConfigSlice } from './state/config-slice';
import { createHistorySlice } from './state/history-slice';
import { createLessonSlice } from './state/lesson-slice';
import { createRunSlice } from './state/run-slice';
import type { GrokStore } from './state/types';
import { createViewSlice } from './state/view-slice';

export type { GrokStore } from './state/types';
export { DEFAULT_UI_CONFIG } from './state/config-slice';

export const useGrokStore = create<GrokStore>()((...a) => ({
  ...createConfigSlice(...a),
  ...createRunSlice(...a),
  ...createViewSlice(...a),
  ...createCompareSlice(...a),
  ...createHistorySlice(...a),
  ...createLessonSlice(...a),
  ...createCellRunSlice(...a),
}));
