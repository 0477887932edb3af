/**
 * A run survives a reload: the current run is written to the browser's storage at its
 * checkpoints (the worker sends one at most every few seconds, and on pause), when the browser
 * is idle, one write at a time; a reset clears it. On load, a saved run of the same config is
 * restored with a notice and Play continues from its checkpoint. What the page says is saved
 * (`savedRun`) is set only after a write succeeded, so memory and storage never disagree.
 */
import type { StoreApi } from 'zustand';
import { isQuotaError, type RunStorage, type SavedRun } from '../files/saved-run';
import type { GrokStore } from './types';

const sameRun = (a: SavedRun['config'], b: SavedRun['config']) =>
  JSON.stringify({ ...a, backend: 'auto' }) === JSON.stringify({ ...b, backend: 'auto' });

const whenIdle = (f: () => void) =>
  typeof requestIdleCallback === 'function' ? requestIdleCallback(f, { timeout: 1000 }) : setTimeout(f, 0);

/** What would be saved now, or null (nothing live to save: a file on screen, compare mode, no checkpoint). */
function currentRun(s: GrokStore): SavedRun | null {
  const checkpoint = s.mainCheckpoint();
  if (!checkpoint || s.imported || s.compare.entries || !s.run.workerConfig || s.run.series.train.step.length === 0) return null;
  return {
    config: s.run.workerConfig,
    series: s.run.series,
    insideHistory: s.run.insideHistory,
    checkpoint,
    edits: s.edits,
    elapsedSeconds: s.run.elapsedSeconds,
    savedAt: new Date().toISOString(),
  };
}

/** Restores a saved run of the config on screen (if any), then keeps the current run saved. */
export async function restoreAndKeepSaved(store: StoreApi<GrokStore>, storage: RunStorage): Promise<void> {
  let saved: SavedRun | null = null;
  try {
    saved = await storage.load();
  } catch {
    /* unreadable storage: start fresh */
  }
  const s = store.getState();
  if (saved && !s.compare.entries && !s.imported && !s.run.running && s.run.stepCount === 0 && sameRun(saved.config, s.config)) {
    s.restoreSavedRun(saved);
    store.setState({ savedRun: { step: saved.checkpoint.step, savedAt: saved.savedAt } });
  }
  watchSavedRun(store, storage, saved?.checkpoint.step ?? -1);
}

export function watchSavedRun(store: StoreApi<GrokStore>, storage: RunStorage, savedStep = -1): () => void {
  let lastSavedStep = savedStep;
  let writing = false;
  let again = false;
  let warned = false;
  const write = async () => {
    if (writing) {
      again = true;
      return;
    }
    writing = true;
    try {
      const run = currentRun(store.getState());
      if (run && run.checkpoint.step !== lastSavedStep) {
        await storage.save(run);
        lastSavedStep = run.checkpoint.step;
        store.setState({ savedRun: { step: run.checkpoint.step, savedAt: run.savedAt } });
      }
    } catch (e) {
      lastSavedStep = -1;
      store.setState({ savedRun: null });
      // an older copy must not come back on reload while the page says nothing is kept
      await storage.clear().catch(() => {});
      if (!warned)
        store
          .getState()
          .pushError(
            isQuotaError(e)
              ? 'The browser’s storage is full: this run is no longer kept for a reload (the run itself goes on; Export keeps it as a file).'
              : `This run could not be kept for a reload: ${(e as Error).message}`,
          );
      warned = true;
    } finally {
      writing = false;
      if (again) {
        again = false;
        whenIdle(() => void write());
      }
    }
  };
  return store.subscribe((s, prev) => {
    // a new, empty run replaces the saved one: a reload must not bring back what was reset
    if (s.run.runId !== prev.run.runId && s.run.series.train.step.length === 0 && lastSavedStep !== -1) {
      lastSavedStep = -1;
      store.setState({ savedRun: null });
      void storage.clear().catch(() => {});
    }
    if (s.run.checkpointStep !== null && s.run.checkpointStep !== prev.run.checkpointStep) whenIdle(() => void write());
  });
}
