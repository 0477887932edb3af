/**
 * Start-up, once, before the first render (not in a React effect, which StrictMode runs twice
 * in development): the main run's worker, the share link, a ready run, compare mode from the
 * link, and the address bar following the config from then on.
 */
import { encodeLink, forcedThreadsFromHash } from '../config/url';
import { formatCompareList, parseCompareList } from './state/compare-slice';
import { lessonFromLink } from './lesson/chapters';
import { watchPauseWhenGrokked } from './state/lesson-slice';
import { indexedDbStorage } from './files/saved-run';
import { indexedDbYourRuns } from './files/your-runs';
import { groupRepeated } from './state/notices';
import { restoreAndKeepSaved } from './state/persistence';
import { wasmThreadsHere } from './state/run-slice';
import type { WorkerPort } from './session/training-session';
import { DEFAULT_UI_CONFIG, useGrokStore } from './store';

/** `#threads=N` (for benchmarks; not part of the share link) fixes the workers' WASM threads. */
const forcedThreads = forcedThreadsFromHash(window.location.hash);

/** A training worker whose WASM backend runs `threads` threads (the worker reads its name). */
const createTrainingWorker = (threads = 1): WorkerPort =>
  new Worker(new URL('../worker/training.worker.ts', import.meta.url), {
    type: 'module',
    name: `groklab-training;threads=${forcedThreads ?? threads}`,
  }) as unknown as WorkerPort;

export function startPlayground(location: Location, history: History): void {
  const store = useGrokStore.getState();
  const noticesBefore = store.notices.length;
  // the lesson's and the view's keys are not config fields: read apart, kept in the link
  const { compare, seeds, page } = store.loadFromQuery(location.search);
  if (page.view === 'paper') store.setView({ page: 'paper' });
  const lesson = lessonFromLink(page);
  if (lesson && 'error' in lesson) store.pushError(`Link: ${lesson.error}`, 'link');
  else if (lesson) {
    store.openLesson(lesson.chapter);
    if (lesson.note) store.pushError(`Link: ${lesson.note}`, 'link');
  }
  // the worker starts with the thread count the linked config wants, so reset keeps it
  store.connect(createTrainingWorker, wasmThreadsHere(useGrokStore.getState().config));
  store.reset(); // a ready run: one click on Play starts it
  watchPauseWhenGrokked(useGrokStore);
  // a run saved in this browser (same config: a reload) continues; from then on the current run is kept
  const storage = indexedDbStorage();
  if (storage) void restoreAndKeepSaved(useGrokStore, storage);
  // cells of "The paper, checked" run in this browser, and a queue a reload interrupted
  void store.restoreYourRuns(indexedDbYourRuns());
  if (compare) {
    const parsed = parseCompareList(compare, seeds);
    groupRepeated(parsed.messages).forEach((m) => store.pushError(`Link: ${m}`, 'link'));
    if (parsed.entries.length > 0) store.startCompare(useGrokStore.getState().config, parsed.entries, parsed.seeds);
  }
  // The URL follows the config as the user edits, so the address bar is always a share link.
  const writeLink = (s: ReturnType<typeof useGrokStore.getState>) => {
    const seedList = s.compare.entries && s.compare.seeds ? s.compare.seeds.join(',') : null;
    const compareList = s.compare.entries ? formatCompareList(s.compare.entries, s.compare.seeds ?? null) : null;
    const query = encodeLink(s.config, DEFAULT_UI_CONFIG, {
      hidden: s.hidden,
      compare: compareList,
      seeds: seedList,
      lesson: s.lesson,
      view: s.page === 'paper' ? 'paper' : null,
    });
    history.replaceState(null, '', `${location.pathname}?${query}`);
  };
  // A link with problems (each named in a message) is replaced at once by the corrected config's link.
  if (useGrokStore.getState().notices.length > noticesBefore) writeLink(useGrokStore.getState());
  useGrokStore.subscribe((s, prev) => {
    if (
      s.config === prev.config &&
      s.hidden === prev.hidden &&
      s.compare.entries === prev.compare.entries &&
      s.lesson === prev.lesson &&
      s.page === prev.page
    )
      return;
    writeLink(s);
  });
}
