/**
 * The playground's one zustand store, built from slice creators (zustand's slices pattern):
 * config (what the user edits), run (the main run's data), view, the run pool's runs (the main
 * run, compare runs and a paper cell's seeds, mirrored from ui/pool/run-pool.ts), compare and
 * cell runs (views of them), history (recent runs) and lesson (pause when grokked, the guided
 * lesson). The run pool holds every worker and session; the store holds data. Workers are
 * created through the factory that start-up (or a test) passes to `connect`.
 */
import { create } from 'zustand';
import { RunPool } from './pool/run-pool';
import { createCellRunSlice } from './state/cell-run-slice';
import { createCompareSlice } from './state/compare-slice';
import { createConfigSlice } from './state/config-slice';
import { createHistorySlice } from './state/history-slice';
import { createLessonSlice } from './state/lesson-slice';
import { createPoolSlice, mirrorPool } from './state/pool-slice';
import { createRunSlice } from './state/run-slice';
import type { GrokStore } from './state/types';
import { endedNotices, type NoticeWorld } from './state/notices';
import { createViewSlice } from './state/view-slice';

export type { GrokStore } from './state/types';
export { DEFAULT_UI_CONFIG } from './state/config-slice';

/** Every run of the page (the store mirrors it; callbacks reach the store only once it exists). */
export const runPool: RunPool = new RunPool(
  (wasmThreads) => useGrokStore.getState().createWorker?.(wasmThreads) ?? null,
  (runs) => mirrorPool(useGrokStore, runs),
);

export const useGrokStore = create<GrokStore>()((...a) => ({
  ...createConfigSlice(runPool)(...a),
  ...createRunSlice(runPool)(...a),
  ...createViewSlice(...a),
  ...createCompareSlice(...a),
  ...createHistorySlice(...a),
  ...createLessonSlice(runPool)(...a),
  ...createCellRunSlice(...a),
  ...createPoolSlice(runPool)(...a),
}));

/** A notice goes by itself when the state it belongs to ends (notices.ts); cheap when nothing relevant changed. */
const noticeWorld = (s: GrokStore): NoticeWorld => ({
  runId: s.run.runId,
  running: s.run.running,
  imported: s.imported !== null,
  comparing: s.compare.entries !== null,
  config: s.config,
});
useGrokStore.subscribe((s, prev) => {
  if (s.notices.length === 0) return;
  if (
    s.run.runId === prev.run.runId &&
    s.run.running === prev.run.running &&
    s.imported === prev.imported &&
    s.compare.entries === prev.compare.entries &&
    s.config === prev.config
  )
    return;
  const ended = endedNotices(s.notices, noticeWorld(prev), noticeWorld(s));
  if (ended.length > 0) useGrokStore.setState({ notices: s.notices.filter((n) => !ended.includes(n)) });
});
