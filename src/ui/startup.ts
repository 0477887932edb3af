/**
 * Start-up, once, before the first render (not in a React effect, which StrictMode runs twice
 * in development): the main run's worker, the share link, a ready run, compare mode from the
 * link, and the address bar following the config from then on.
 */
import { encodeConfigQuery } from '../config/url';
import { formatCompareList, parseCompareList } from './state/compare-slice';
import { lessonFromQuery, withoutLessonKeys } from './lesson/chapters';
import { watchPauseWhenGrokked } from './state/lesson-slice';
import { indexedDbStorage } from './files/saved-run';
import { indexedDbYourRuns } from './files/your-runs';
import { groupRepeated } from './state/notices';
import { restoreAndKeepSaved } from './state/persistence';
import { wasmThreadsHere } from './state/run-slice';
import type { WorkerPort } from './session/training-session';
import { DEFAULT_UI_CONFIG, useGrokStore } from './store';

/** `#threads=N` (for benchmarks; not part of the share link) fixes the workers' WASM threads. */
const forcedThreads = /(?:^#|&)threads=(\d{1,2})(?:&|$)/.exec(window.location.hash)?.[1];

/** `view=paper` opens "The paper, checked"; not a config field, kept in the link beside it. */
const pageFromQuery = (query: string) => (/(?:^\?|&)view=paper(?:&|$)/.test(query) ? 'paper' : null);
const withoutPageKey = (query: string) => {
  const rest = query
    .replace(/^\?/, '')
    .split('&')
    .filter((kv) => kv !== '' && !/^view=/.test(kv));
  return rest.length ? `?${rest.join('&')}` : '';
};

/** A training worker whose WASM backend runs `threads` threads (the worker reads its name). */
const createTrainingWorker = (threads = 1): WorkerPort =>
  new Worker(new URL('../worker/training.worker.ts', import.meta.url), {
    type: 'module',
    name: `groklab-training;threads=${forcedThreads ?? threads}`,
  }) as unknown as WorkerPort;

export function startPlayground(location: Location, history: History): void {
  const store = useGrokStore.getState();
  const noticesBefore = store.notices.length;
  // the lesson's keys are not config fields: read apart, kept in the link
  const lesson = lessonFromQuery(location.search);
  if (pageFromQuery(location.search) === 'paper') store.setView({ page: 'paper' });
  const { compare, seeds } = store.loadFromQuery(withoutPageKey(withoutLessonKeys(location.search)));
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
    const query = encodeConfigQuery(s.config, DEFAULT_UI_CONFIG, s.hidden, compareList, seedList);
    const lessonKeys = s.lesson ? `&lesson=${s.lesson.id}&chapter=${s.lesson.chapter + 1}` : '';
    const pageKey = s.page === 'paper' ? '&view=paper' : '';
    history.replaceState(null, '', `${location.pathname}?${query}${lessonKeys}${pageKey}`);
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
