/** Export / import of runs, CSV, and the recent runs kept in this browser. */
import { useRef } from 'react';
import { parseStoredConfig } from '../../config/schema';
import { isCompareFile, MAX_RUN_FILE_BYTES, metricsCsv, readCompareFile } from '../../core/run-file';
import { download } from '../files/browser-files';
import { useShallow } from 'zustand/react/shallow';
import { useGrokStore } from '../store';

const stamp = () => new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');

export function FilesPanel() {
  const s = useGrokStore(
    useShallow((st) => ({
      // the file name says what the exported run is: the displayed run's config, not the edited fields
      config: st.imported?.config ?? st.run.workerConfig ?? st.config,
      imported: st.imported,
      importedAmplifier: st.importedAmplifier,
      recent: st.recent,
      savedStep: st.imported || st.compare.entries ? null : (st.savedRun?.step ?? null),
      pushError: st.pushError,
      importRunFile: st.importRunFile,
      exportRunFile: st.exportRunFile,
      applyImportedAmplifier: st.applyImportedAmplifier,
    })),
  );
  const input = useRef<HTMLInputElement>(null);
  const name = `groklab-${s.config.task}-${s.config.method}-seed${s.config.seed}-${stamp()}`;
  const onFile = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > MAX_RUN_FILE_BYTES) {
      s.pushError(
        `Import failed, nothing was changed: the file is too large (${(file.size / 2 ** 20).toFixed(1)} MB; the limit is ${MAX_RUN_FILE_BYTES / 2 ** 20} MB)`,
        'import-failed',
      );
      return;
    }
    const text = await file.text();
    if (isCompareFile(text)) {
      try {
        useGrokStore
          .getState()
          .viewCompare(
            readCompareFile(text, parseStoredConfig).map(({ label, run }) => ({ label, config: run.config, series: run.series })),
          );
      } catch (e) {
        s.pushError(`Import failed, nothing was changed: ${(e as Error).message}`, 'import-failed');
      }
    } else {
      s.importRunFile(text);
    }
    if (input.current) input.current.value = '';
  };
  return (
    <fieldset data-testid="group-files">
      <legend>files</legend>
      <div className="file-buttons">
        <button data-testid="export-json" onClick={async () => download(`${name}.json`, await s.exportRunFile())}>
          Export run (JSON)
        </button>
        <button
          data-testid="export-csv"
          onClick={() => download(`${name}.csv`, metricsCsv(useGrokStore.getState().run.series), 'text/csv')}
        >
          Metrics (CSV)
        </button>
        {/* a real button (keyboard-reachable); the file input itself is visually hidden, not display:none */}
        <button data-testid="import-button" onClick={() => input.current?.click()}>
          Import run…
        </button>
        <input
          ref={input}
          className="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          data-testid="import-file"
          type="file"
          accept=".json,application/json"
          onChange={(e) => void onFile(e.target.files?.[0])}
        />
      </div>
      {s.imported && (
        <p className="note" data-testid="viewing-imported">
          Viewing an imported run{s.imported.source === 'recent' ? ' (from Recent runs)' : ''}: {s.imported.config.steps} steps planned.
          Export writes it back as it is; <strong>▶ New run</strong> leaves it for a fresh run with its settings.
        </p>
      )}
      {s.savedStep !== null && (
        <p className="note" data-testid="saved-run">
          Kept in this browser at step {s.savedStep}: a reload continues from there.
        </p>
      )}
      {s.importedAmplifier && (
        <button data-testid="apply-amplifier" onClick={s.applyImportedAmplifier}>
          Use the imported amplifier (frozen) on this task
        </button>
      )}
      {s.recent.length > 0 && (
        <div className="recent">
          <span>Recent runs:</span>
          {s.recent.map((r) => (
            <button
              key={r.id}
              className="link"
              data-testid="recent-run"
              onClick={() => s.importRunFile(r.file, 'recent')}
              title={`saved ${r.savedAt}`}
            >
              {r.title}
            </button>
          ))}
        </div>
      )}
    </fieldset>
  );
}
