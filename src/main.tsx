import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { startPlayground } from './ui/startup';
import { registerOfflineWorker } from './ui/offline';
import { runPool, useGrokStore } from './ui/store';
import './ui/styles.css';
import './ui/class.css';

// A read-only handle on the store (and the run pool that holds the workers) for the end-to-end
// tests and the browser benchmark: in development, or when a test sets `window.__GROKLAB_EXPOSE__`
// before the page loads.
const w = window as unknown as { __GROKLAB_EXPOSE__?: boolean; __groklab?: typeof useGrokStore; __groklabPool?: typeof runPool };
if (import.meta.env.DEV || w.__GROKLAB_EXPOSE__) {
  w.__groklab = useGrokStore;
  w.__groklabPool = runPool;
}

registerOfflineWorker();
startPlayground(window.location, window.history);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
