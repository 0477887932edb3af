import { useEffect } from 'react';
import type { FromWorker, ToWorker } from '../protocol';
import { Charts } from './charts/Charts';
import { ConfigPanel } from './controls/ConfigPanel';
import { ErrorBanner } from './layout/ErrorBanner';
import { Toolbar } from './layout/Toolbar';
import { connect, useGrokStore } from './store';

export function App() {
  useEffect(() => {
    const worker = new Worker(new URL('../worker/training.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<FromWorker>) => useGrokStore.getState().receive(e.data);
    worker.onerror = (e) => useGrokStore.getState().pushError(`The training worker crashed: ${e.message}`);
    connect((m: ToWorker) => worker.postMessage(m));
    useGrokStore.getState().reset(); // a ready default run: one click on Play starts it
    return () => worker.terminate();
  }, []);
  return (
    <div className="app">
      <Toolbar />
      <ErrorBanner />
      <main className="layout">
        <ConfigPanel />
        <Charts />
      </main>
    </div>
  );
}
