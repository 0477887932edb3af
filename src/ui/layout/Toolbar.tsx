/** Play / pause / step / reset, the step counter, speed and the backend badge. */
import { BACKEND_IDS } from '../../config/fields';
import { useGrokStore } from '../store';

export function Toolbar() {
  const s = useGrokStore();
  const ready = s.workerConfig !== null;
  const b = s.backend;
  return (
    <header className="toolbar">
      <h1>GrokLab</h1>
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
      <div className="backend">
        <span data-testid="backend-badge" className="badge" title={b?.skipped.map((x) => `${x.backend}: ${x.reason}`).join('\n') ?? ''}>
          {b ? `${b.backend}${b.adapter ? ` · ${b.adapter}` : ''}` : 'starting…'}
        </span>
        <select data-testid="backend-select" value={s.config.backend} onChange={(e) => s.reset({ backend: e.target.value as never })} aria-label="backend">
          {BACKEND_IDS.map((id) => (
            <option key={id} value={id}>
              {id === 'auto' ? 'auto backend' : `force ${id}`}
            </option>
          ))}
        </select>
      </div>
    </header>
  );
}
