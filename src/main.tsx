import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { useGrokStore } from './ui/store';
import './ui/styles.css';

// A read-only handle for end-to-end tests and the browser benchmark.
(window as unknown as { __groklab: typeof useGrokStore }).__groklab = useGrokStore;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
