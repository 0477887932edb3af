/**
 * "Run this cell in my browser": the chosen cell's seeds at its configuration, queued in
 * training workers (state/cell-run-slice.ts), with the expected time before it starts, a
 * progress bar and an ETA while it runs; each finished seed lands in the table as "yours".
 */
import { useShallow } from 'zustand/react/shallow';
import { describeCost, estimateMsPerStep } from '../../core/step-cost';
import type { PaperCell } from '../../paper/table';
import { PAPER_METHOD_LABELS } from '../../paper/table1';
import { TASK_LABELS } from '../../config/fields';
import { useGrokStore } from '../store';
import { cellConfig } from './paper-links';

/** A test or a demo can shorten every cell's budget (`window.__GROKLAB_CELL_STEPS__ = 20` before the page loads). */
const forcedSteps = () => (globalThis as { __GROKLAB_CELL_STEPS__?: number }).__GROKLAB_CELL_STEPS__;

/** The config a cell runs with here (its race config; a shortened budget on request). */
export function cellRunConfig(cell: PaperCell) {
  const config = cellConfig(cell);
  const steps = forcedSteps();
  return { ...config, backend: 'auto' as const, ...(steps ? { steps } : {}) };
}

/** The seeds a cell runs here: those the race ran, else 0, 1, 2. */
export const cellRunSeeds = (cell: PaperCell) => (cell.seeds.length ? cell.seeds.map((s) => s.seed) : [0, 1, 2]);

const clock = (s: number) =>
  s >= 3600
    ? `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`
    : s >= 60
      ? `${Math.round(s / 60)} min`
      : `${Math.max(1, Math.round(s))} s`;

export function CellRunner({ cell }: { cell: PaperCell }) {
  const s = useGrokStore(
    useShallow((st) => ({
      run: st.cellRun,
      start: st.startCellRun,
      cancel: st.cancelCellRun,
      backend: st.run.backend?.backend ?? null,
      speed: st.run.backend ? st.run.speed[st.run.backend.backend] : undefined,
    })),
  );
  const config = cellRunConfig(cell);
  const seeds = cellRunSeeds(cell);
  const cores = Math.max(1, Math.min(8, globalThis.navigator?.hardwareConcurrency || 1));
  const ms = s.speed ? estimateMsPerStep(config, s.speed) : null;
  const mine = s.run && s.run.task === cell.task && s.run.method === cell.method ? s.run : null;
  const other = s.run && !mine ? s.run : null;
  const total = mine ? mine.seeds.reduce((a, x) => a + x.steps, 0) : 0;
  const done = mine ? mine.seeds.reduce((a, x) => a + (x.status === 'done' || x.status === 'failed' ? x.steps : x.stepCount), 0) : 0;
  const speed = mine ? mine.seeds.reduce((a, x) => a + (x.status === 'running' ? x.stepsPerSecond : 0), 0) : 0;
  const finished = mine !== null && mine.seeds.every((x) => x.status === 'done' || x.status === 'failed');
  return (
    <section className="paper-section cell-runner" data-testid="cell-runner">
      <h3>
        Run this cell in my browser: {TASK_LABELS[cell.task]}, {PAPER_METHOD_LABELS[cell.method]}
      </h3>
      <p>
        Seeds {seeds.join(', ')} at the race’s configuration ({config.steps} steps at most each, stopping at the first evaluation with val ≥
        95 %), {Math.min(cores, seeds.length)} at a time (one per core, the rest waiting). Expected:{' '}
        <span data-testid="cell-run-expected">
          {ms !== null
            ? `${describeCost(ms, config.steps)} per seed (measured on ${s.backend} in this session; the runs share the cores)`
            : 'no speed measured on this backend yet'}
        </span>
        . On a GPU (WebGPU) a cell’s time is not yet measured; on two CPU cores, an hour or more per seed.
      </p>
      {!mine && (
        <button data-testid="cell-run-start" onClick={() => s.start(cell.task, cell.method, config, seeds)}>
          ▶ Run this cell in my browser
        </button>
      )}
      {other && (
        <p className="note">
          Running now: {TASK_LABELS[other.task as PaperCell['task']]}, {other.method} — starting this one stops it.
        </p>
      )}
      {mine && (
        <div data-testid="cell-run-status">
          <progress data-testid="cell-run-progress" value={done} max={total} /> {Math.round((100 * done) / Math.max(1, total))} %
          {!finished && speed > 0 && (
            <span data-testid="cell-run-eta">
              {' '}
              · about {clock((total - done) / speed)} left at {speed.toFixed(1)} steps/s
            </span>
          )}
          <ul className="cell-run-seeds">
            {mine.seeds.map((x) => (
              <li key={x.seed}>
                seed {x.seed}: {x.status}
                {x.status === 'running' && ` (step ${x.stepCount})`}
                {x.status === 'done' &&
                  (x.stepsTo95 !== null ? `, val ≥ 95 % at step ${x.stepsTo95}` : `, not within ${x.stepCount} steps`)}
                {x.error && ` — ${x.error}`}
              </li>
            ))}
          </ul>
          {finished ? (
            <p data-testid="cell-run-done">Done: the seeds are in the table as “yours”, kept in this browser.</p>
          ) : (
            <button data-testid="cell-run-cancel" onClick={s.cancel}>
              Stop
            </button>
          )}
        </div>
      )}
    </section>
  );
}
