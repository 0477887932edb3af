import { useEffect } from 'react';
import { encodeConfigQuery } from '../config/url';
import type { FromWorker, ToWorker } from '../protocol';
import { Charts } from './charts/Charts';
import { CompareView } from './charts/CompareView';
import { formatCompareList, parseCompareList, useCompareStore } from './compare';
import { ConfigPanel } from './controls/ConfigPanel';
import { ErrorBanner } from './layout/ErrorBanner';
import { ShortcutsOverlay, useKeyboardShortcuts } from './layout/Shortcuts';
import { Toolbar } from './layout/Toolbar';
import { connect, DEFAULT_UI_CONFIG, useGrokStore } from './store';

export function App() {
  useEffect(() => {
    const worker = new Worker(new URL('../worker/training.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<FromWorker>) => useGrokStore.getState().receive(e.data);
    worker.onerror = (e) => useGrokStore.getState().pushError(`The training worker crashed: ${e.message}`);
    connect((m: ToWorker) => worker.postMessage(m));
    const store = useGrokStore.getState();
    const compare = store.loadFromQuery(window.location.search);
    store.reset(); // a ready run: one click on Play starts it
    if (compare) {
      const { entries, messages } = parseCompareList(compare);
      messages.forEach((m) => store.pushError(`Link: ${m}`));
      if (entries.length > 0) useCompareStore.getState().start(store.config, entries);
    }
    // The URL follows the config as the user edits, so the address bar is always a share link.
    const writeUrl = () => {
      const s = useGrokStore.getState();
      const entries = useCompareStore.getState().entries;
      const query = encodeConfigQuery(s.config, DEFAULT_UI_CONFIG, s.hidden, entries ? formatCompareList(entries) : null);
      window.history.replaceState(null, '', `${window.location.pathname}?${query}`);
    };
    const unsubscribe = useGrokStore.subscribe((s, prev) => (s.config !== prev.config || s.hidden !== prev.hidden) && writeUrl());
    const unsubscribeCompare = useCompareStore.subscribe((s, prev) => s.entries !== prev.entries && writeUrl());
    return () => {
      unsubscribe();
      unsubscribeCompare();
      useCompareStore.getState().stop();
      worker.terminate();
    };
  }, []);
  useKeyboardShortcuts();
  const presentation = useGrokStore((s) => s.presentation);
  const comparing = useCompareStore((s) => s.entries !== null);
  return (
    <div className={`app${presentation ? ' presentation' : ''}`}>
      <Toolbar />
      <ErrorBanner />
      <main className="layout">
        {!presentation && <ConfigPanel />}
        {comparing ? <CompareView /> : <Charts />}
      </main>
      <ShortcutsOverlay />
    </div>
  );
}
