/** Play / pause / step / reset, the step counter, speed and the backend badge. */
import { BACKEND_IDS } from '../../config/fields';
import { PRESETS } from '../../config/presets';
import { useShallow } from 'zustand/react/shallow';
import { useGrokStore } from '../store';
import { describeTimings } from '../../worker/backend-choice';

async function copyLink(): Promise<void> {
  try {
    await navigator.clipboard.writeText(window.location.href);
    useGrokStore.getState().pushInfo('Link copied: it reproduces this run (same seed and backend → the same curves).');
  } catch {
    useGrokStore.getState().pushError(`Copy this link: ${window.location.href}`);
  }
}

export function Toolbar() {
  // Only what the toolbar shows: metric batches (series) must not re-render it.
  const s = useGrokStore(
    useShallow((st) => ({
      running: st.compare.entries ? st.compare.running : st.run.running,
      stepCount: st.run.stepCount,
      stepsPerSecond: st.run.stepsPerSecond,
      grokStep: st.run.stepsTo95,
      backend: st.run.backend,
      workerConfig: st.run.workerConfig,
      pendingReset: st.pendingReset,
      presetId: st.presetId,
      presentation: st.presentation,
      configBackend: st.config.backend,
      play: st.play,
      pause: st.pause,
      step: st.step,
      reset: st.reset,
      applyPreset: st.applyPreset,
      setView: st.setView,
    })),
  );
  const ready = s.workerConfig !== null;
  const b = s.backend;
  return (
    <header className="toolbar">
      <h1>GrokLab</h1>
      <select data-testid="preset-select" aria-label="preset" value={s.presetId ?? ''} onChange={(e) => s.applyPreset(e.target.value)}>
        <option value="" disabled>
          custom settings
        </option>
        {PRESETS.map((p) => (
          <option key={p.id} value={p.id} title={p.watch}>
            {p.title}
          </option>
        ))}
      </select>
      <div className="buttons">
        {s.running ? (
          <button data-testid="pause" onClick={s.pause}>
            ❚❚ Pause
          </button>
        ) : (
          <button data-testid="play" onClick={s.play} disabled={!ready}>
            ▶ Play
          </button>
        )}
        <button data-testid="step" onClick={() => s.step(1)} disabled={!ready || s.running}>
          Step
        </button>
        <button data-testid="reset" onClick={() => s.reset()}>
          ⟲ Reset{s.pendingReset.length ? ` (applies ${s.pendingReset.join(', ')})` : ''}
        </button>
      </div>
      <div className="counters">
        step <span data-testid="step-counter">{s.stepCount}</span> · {s.stepsPerSecond.toFixed(1)} steps/s
        {s.grokStep !== null && <span className="grokked"> · grokked at {s.grokStep}</span>}
      </div>
      <div className="view-buttons">
        <button data-testid="copy-link" onClick={() => void copyLink()}>
          🔗 Copy link
        </button>
        <button data-testid="presentation-toggle" onClick={() => s.setView({ presentation: !s.presentation })}>
          {s.presentation ? 'Exit presentation' : 'Present'}
        </button>
        <button aria-label="keyboard shortcuts" data-testid="shortcuts-button" onClick={() => s.setView({ showShortcuts: true })}>
          ⌨ ?
        </button>
      </div>
      <div className="backend">
        <span data-testid="backend-badge" className="badge" title={b ? [...describeTimings(b.timings ?? [], b.backend), ...b.skipped.map((x) => `${x.backend}: ${x.reason}`)].join('\n') : ''}>
          {b ? b.label ?? `${b.backend}${b.adapter ? ` · ${b.adapter}` : ''}` : 'starting…'}
        </span>
        <select data-testid="backend-select" value={s.configBackend} onChange={(e) => s.reset({ backend: e.target.value as never })} aria-label="backend">
          {BACKEND_IDS.map((id) => (
            <option key={id} value={id}>
              {id === 'auto' ? 'auto backend' : `force ${id}`}
            </option>
          ))}
        </select>
      </div>
      {s.presetId && <p className="preset-watch" data-testid="preset-watch">{PRESETS.find((p) => p.id === s.presetId)?.watch}</p>}
    </header>
  );
}
