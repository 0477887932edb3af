/**
 * Nothing looks dead (issue 32): while the worker starts a run (checks the backends, then times
 * a step of this model on each), a line says so with an estimate and the seconds so far; a
 * model whose step will take more than a few seconds gets a smaller one to try instead.
 * Estimates come from the step's work (core/step-cost.ts) and a measured speed: this session's,
 * or else the headless measurement of the preset nearest in size (src/config/preset-measurements.json).
 */
import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { PRESET_MEASUREMENTS } from '../../config/preset-watch';
import { presetById, presetConfig } from '../../config/presets';
import type { RunConfig } from '../../config/schema';
import { describeCost, estimateMsPerStep, EXPENSIVE_MS_PER_STEP, stepWork } from '../../core/step-cost';
import { useGrokStore } from '../store';

/** Waits shorter than this get no line (a start-up that is over before anyone reads it). */
const SHOW_AFTER_MS = 2000;
/** Start-up times this many steps of the model on each backend it keeps (worker/backends.ts timeConfig: a warm step and at least one more). */
const STARTUP_TIMED_STEPS = 2;

/**
 * Work per ms assumed before this browser measured one: that of the measured preset (headless,
 * seed 0) whose step's work is nearest this config's — a small model is dominated by per-kernel
 * overheads and a large one by its matmuls, so the nearest size predicts best.
 */
export function fallbackSpeed(config: RunConfig): number | null {
  const work = stepWork(config);
  let best: { speed: number; distance: number } | null = null;
  for (const m of PRESET_MEASUREMENTS) {
    const preset = presetById(m.preset);
    if (!preset || m.method || !(m.seconds > 0) || !(m.steps > 0)) continue;
    const presetWork = stepWork(presetConfig(preset));
    const distance = Math.abs(Math.log(presetWork / work));
    if (!best || distance < best.distance) best = { speed: (presetWork * m.steps) / (m.seconds * 1000), distance };
  }
  return best?.speed ?? null;
}

/** The models to suggest instead, largest first: the paper's reference model, then the classroom model. */
const SMALLER: Partial<RunConfig>[] = [
  { p: 97, dModel: 128, layers: 2, heads: 4 },
  { p: 31, dModel: 32, layers: 1, heads: 4 },
];

/** A smaller model of the same task and method whose step is cheap here, or null when this one already is. */
export function smallerSuggestion(
  config: RunConfig,
  speed: number | ((c: RunConfig) => number | null),
): { changes: Partial<RunConfig>; msPerStep: number } | null {
  const speedOf = (c: RunConfig) => (typeof speed === 'number' ? speed : speed(c)) ?? NaN;
  if (!(estimateMsPerStep(config, speedOf(config)) >= EXPENSIVE_MS_PER_STEP)) return null;
  for (const changes of SMALLER) {
    const candidate = { ...config, ...changes, p: Math.min(config.p, changes.p!) };
    const ms = estimateMsPerStep(candidate, speedOf(candidate));
    if (ms < EXPENSIVE_MS_PER_STEP || changes === SMALLER.at(-1)) return { changes: { ...changes, p: candidate.p }, msPerStep: ms };
  }
  return null;
}

const perStepText = (ms: number) => (ms >= 950 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 10) * 10} ms`);
const secondsText = (ms: number) => (ms >= 90_000 ? `${Math.round(ms / 60_000)} min` : `${Math.max(1, Math.round(ms / 1000))} s`);
const modelText = (c: Partial<RunConfig>) => `p = ${c.p}, d = ${c.dModel}, ${c.layers} layer${c.layers === 1 ? '' : 's'}`;

/** Seconds since `active` turned true (0 while false), ticking once a second. */
export function useElapsed(active: boolean): number {
  const [clock, setClock] = useState<{ since: number; now: number } | null>(null);
  useEffect(() => {
    if (!active) return;
    const since = performance.now();
    const timer = setInterval(() => setClock((c) => ({ since: c?.since ?? since, now: performance.now() })), 500);
    return () => {
      clearInterval(timer);
      setClock(null);
    };
  }, [active]);
  return active && clock ? clock.now - clock.since : 0;
}

/**
 * Starts the smaller model at once: the worker is busy timing the large one (it reads messages
 * only between its awaits), so a new worker takes over instead of queueing behind it.
 */
export function startSmaller(changes: Partial<RunConfig>): void {
  const st = useGrokStore.getState();
  const main = st.runs.find((r) => r.kind === 'main');
  if (st.createWorker && st.run.workerConfig === null) st.connect(st.createWorker, main?.wasmThreads);
  useGrokStore.getState().reset(changes);
}

export function StartupStatus() {
  const s = useGrokStore(
    useShallow((st) => ({
      starting: st.run.workerConfig === null && st.run.error === null && st.compare.entries === null && st.imported === null,
      config: st.config,
      measured: st.run.backend ? st.run.speed[st.run.backend.backend] : undefined,
    })),
  );
  const elapsed = useElapsed(s.starting);
  if (!s.starting) return null;
  const speed = s.measured ?? fallbackSpeed(s.config);
  const msPerStep = speed ? estimateMsPerStep(s.config, speed) : null;
  const startupMs = msPerStep === null ? null : STARTUP_TIMED_STEPS * msPerStep;
  if ((startupMs === null || startupMs < SHOW_AFTER_MS) && elapsed < SHOW_AFTER_MS) return null;
  const smaller = s.measured ? smallerSuggestion(s.config, s.measured) : smallerSuggestion(s.config, fallbackSpeed);
  const fraction = startupMs ? Math.min(0.97, elapsed / startupMs) : null;
  return (
    <section className="startup-status" data-testid="startup-status" role="status" aria-live="polite">
      <p>
        <strong>Starting this model ({modelText(s.config)}):</strong> checking this browser’s backends, then timing two of its training
        steps on each to pick the fastest
        {startupMs !== null ? ` — ≈ ${secondsText(startupMs)}` : ''}. {secondsText(elapsed)} so far.{' '}
        {fraction !== null && <progress max={1} value={fraction} aria-label="start-up progress" />}
      </p>
      {msPerStep !== null && msPerStep >= EXPENSIVE_MS_PER_STEP && (
        <p data-testid="startup-estimate">
          Estimate: {describeCost(msPerStep, s.config.steps)}.
          {smaller && (
            <>
              {' '}
              A smaller model shows the same story sooner:{' '}
              <button data-testid="startup-smaller" onClick={() => startSmaller(smaller.changes)}>
                try {modelText(smaller.changes)} (≈ {perStepText(smaller.msPerStep)} per step)
              </button>
            </>
          )}
        </p>
      )}
    </section>
  );
}
