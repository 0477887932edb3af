/** Play / pause / step / reset, the step counter, speed and the backend badge. */
import { BACKEND_IDS, FIELDS } from '../../config/fields';
import type { RunConfig } from '../../config/schema';
import { PRESETS, presetConfig } from '../../config/presets';
import { presetWatch } from '../../config/preset-watch';
import { useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useGrokStore } from '../store';
import { compareProgress, compareStatus } from '../state/compare-slice';
import { useRunStory } from '../state/selectors';
import { PhaseLabel } from '../inside/PhaseLabel';
import { hasVisibleControls } from '../controls/ConfigPanel';
import { CostEstimate } from './CostEstimate';
import { useElapsed } from './StartupStatus';
import { Eta } from './Eta';
import { HelpText } from './HelpText';
import { backendName, badgeText, badgeTooltip } from '../backend-badge';
import { presetSentence } from '../class-texts';
import type { Preset } from '../../config/presets';

/** Starts loading "The paper, checked" (App.tsx loads the same chunk lazily). */
const prefetchPaperView = () => void import('../paper/PaperView');

/** How long "Link copied" stays: it confirms a click, it is not a state. */
const COPIED_NOTICE_MS = 6000;

async function copyLink(): Promise<void> {
  try {
    await navigator.clipboard.writeText(window.location.href);
    useGrokStore.getState().pushInfo('Link copied: it reproduces this run (same seed and backend → the same curves).', 'copied');
    setTimeout(() => useGrokStore.getState().dismissTopic('copied'), COPIED_NOTICE_MS);
  } catch {
    useGrokStore.getState().pushError(`Copy this link: ${window.location.href}`);
  }
}

function LinkIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 24 24" aria-hidden="true" style={{ verticalAlign: '-2px' }}>
      <path
        d="M10 14a5 5 0 0 0 7 0l3-3a5 5 0 0 0-7-7l-1 1M14 10a5 5 0 0 0-7 0l-3 3a5 5 0 0 0 7 7l1-1"
        fill="none"
        stroke="currentColor"
        strokeWidth="2.2"
        strokeLinecap="round"
      />
    </svg>
  );
}

const clock = (seconds: number) => {
  const s = Math.max(0, Math.round(seconds));
  return s >= 3600
    ? `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`
    : s >= 60
      ? `${Math.floor(s / 60)} min ${s % 60} s`
      : `${s} s`;
};

/**
 * The speed part of the counter: the smoothed steps/s while running; "paused" or "ready" when
 * not ("0.0 steps/s" read as a stalled run); nothing for a finished run or a viewed file.
 */
function speedText(r: { running: boolean; finished: boolean; imported: unknown; step: number; speed: number }) {
  if (r.running)
    return (
      <>
        <span data-testid="steps-per-second">{r.speed.toFixed(1)}</span> steps/s ·{' '}
      </>
    );
  if (r.finished || r.imported) return null;
  return <span data-testid="steps-per-second">{r.step > 0 ? 'paused · ' : 'ready · '}</span>;
}

/** Step N / total, elapsed training time, smoothed speed (while running), ETA, and a clear end. */
function RunProgress() {
  const r = useGrokStore(
    useShallow((st) => {
      // while comparing, the counter follows the compare runs (the slowest), not the hidden single run
      if (st.compare.entries) {
        const p = compareProgress(st.compare.runs);
        const status = compareStatus(st.compare);
        return { ...p, running: status === 'running', imported: null, comparing: true, finished: status === 'finished' };
      }
      const total = (st.imported?.config ?? st.run.workerConfig ?? st.config).steps;
      return {
        step: st.run.stepCount,
        // the displayed run's planned steps (a viewed file's own, while one is shown)
        total,
        running: st.run.running,
        elapsed: st.run.elapsedSeconds,
        speed: st.run.smoothStepsPerSecond,
        imported: st.imported,
        comparing: false,
        finished: !st.run.running && !st.imported && st.run.stepCount > 0 && st.run.stepCount >= total,
      };
    }),
  );
  const finished = r.finished;
  const extend = () => {
    const st = useGrokStore.getState();
    st.setField('steps', Math.min(FIELDS.steps.max, r.total * 2));
    st.play();
  };
  return (
    <div className="counters">
      step <span data-testid="step-counter">{r.step}</span> / {r.total} · {speedText(r)}
      {clock(r.elapsed)}
      {r.running && <Eta />}
      {r.running && r.speed === 0 && (
        <span
          data-testid="run-starting"
          title="The first steps on a new backend compile its kernels; a software GPU can take several seconds."
        >
          {' '}
          · starting… <StartingSeconds />
        </span>
      )}
      {finished && r.comparing && (
        <span className="run-finished" data-testid="run-finished">
          {' '}
          · finished
        </span>
      )}
      {finished && !r.comparing && (
        <span className="run-finished" data-testid="run-finished">
          {' '}
          · finished{' '}
          <button data-testid="extend-run" onClick={extend}>
            Run {r.total} more steps
          </button>
        </span>
      )}
    </div>
  );
}

/**
 * The phone's settings drawer toggle (hidden on wider screens, class.css): in the sticky
 * toolbar, not floating over the page, so it never covers a field or the lesson's buttons.
 */
function SettingsToggle() {
  const shown = useGrokStore((st) => !st.presentation && hasVisibleControls(st.hidden));
  const open = useGrokStore((st) => st.drawerOpen);
  const setOpen = useGrokStore((st) => st.setDrawerOpen);
  if (!shown) return null;
  return (
    <button className="drawer-toggle" data-testid="drawer-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
      {open ? '✕ Close' : '⚙ Settings'}
    </button>
  );
}

/** A wait over 2 s shows that it goes on: the seconds since the run started without a step. */
function StartingSeconds() {
  const ms = useElapsed(true);
  return ms >= 2000 ? <>{Math.round(ms / 1000)} s (compiling this backend’s kernels)</> : null;
}

/** The "pause when grokked" switch (on in the classroom preset and the lesson). */
function PauseWhenGrokked() {
  const on = useGrokStore((st) => st.pauseWhenGrokked);
  const set = useGrokStore((st) => st.setPauseWhenGrokked);
  return (
    <label className="pause-grokked" title="Pause the run at the first evaluation with validation accuracy ≥ 95 %">
      <input type="checkbox" data-testid="pause-when-grokked" checked={on} onChange={(e) => set(e.target.checked)} /> pause when grokked
    </label>
  );
}

/** The preset whose whole config this is (backend aside), if any. */
function matchingPreset(config: RunConfig) {
  const same = (c: RunConfig) => JSON.stringify({ ...c, backend: 'auto' }) === JSON.stringify({ ...config, backend: 'auto' });
  return PRESETS.find((p) => same(presetConfig(p)));
}

/**
 * The preset's one plain line (what the class will see, from its measured run), with where the
 * figures come from behind its ? (issue 32: the provenance is not what a class reads first).
 */
function PresetLine({ preset }: { preset: Preset }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="preset-watch" data-testid="preset-watch">
      <span data-testid="preset-sentence">{presetSentence(preset)}</span>{' '}
      <button
        className="help-button"
        data-testid="preset-provenance-toggle"
        aria-expanded={open}
        aria-label="Where these figures come from"
        onClick={() => setOpen((v) => !v)}
      >
        ?
      </button>
      <span hidden={!open}>
        <HelpText className="preset-provenance" testId="preset-provenance" text={`${presetWatch(preset)} (docs/presets.md)`} />
      </span>
    </div>
  );
}

/** The run's phase and grokking delay (issue 9), from the run's story. */
function PhaseBadge() {
  const story = useRunStory();
  const notLearning = useGrokStore((st) => st.run.notLearning !== null && st.run.stepsTo95 === null);
  // the hidden single run's phase means nothing while the compare runs are on screen
  const comparing = useGrokStore((st) => st.compare.entries !== null);
  if (comparing) return null;
  return <PhaseLabel phase={notLearning ? 'not learning' : story.phase} delay={story.grokked ? story.delay : null} />;
}

export function Toolbar() {
  // Only what the toolbar shows: metric batches (series) must not re-render it.
  const s = useGrokStore(
    useShallow((st) => ({
      running: st.compare.entries ? compareStatus(st.compare) === 'running' : st.run.running,
      stepCount: st.run.stepCount,
      stepsPerSecond: st.run.stepsPerSecond,
      backend: st.run.backend,
      preparing: st.run.preparing,
      comparing: st.compare.entries !== null,
      imported: st.imported !== null,
      resumableFrom: st.compare.entries ? null : st.run.resumableFrom,
      restartCompare: st.restartCompare,
      workerConfig: st.run.workerConfig,
      pendingReset: st.pendingReset,
      config: st.config,
      presentation: st.presentation,
      page: st.page,
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
  // Derived, never stale: the preset whose config this is (an edit makes it "custom settings").
  const preset = useMemo(() => matchingPreset(s.config), [s.config]); // once per config, not per metrics batch
  const b = s.backend;
  return (
    <header className={`toolbar${s.running ? ' running' : ''}`}>
      <h1>GrokLab</h1>
      {s.page !== 'paper' && (
        <select
          data-testid="preset-select"
          aria-label="preset"
          value={preset?.id ?? ''}
          onChange={(e) => {
            s.applyPreset(e.target.value);
            e.target.blur(); // Space then plays instead of reopening the menu
          }}
        >
          <option value="" disabled>
            custom settings
          </option>
          {PRESETS.map((p) => (
            <option key={p.id} value={p.id} title={presetWatch(p)}>
              {p.title}
            </option>
          ))}
        </select>
      )}
      {/* on "The paper, checked" the run's controls would act on a run that is not on screen */}
      {s.page !== 'paper' && (
        <>
          <div className="buttons">
            {s.running ? (
              <button data-testid="pause" onClick={s.pause}>
                ❚❚ Pause
              </button>
            ) : (
              <button
                data-testid="play"
                onClick={s.play}
                disabled={!ready}
                title={s.imported ? 'Leaves the imported run and starts a new one with its settings' : undefined}
              >
                {s.imported
                  ? '▶ New run'
                  : s.resumableFrom !== null
                    ? `▶ Continue from step ${s.resumableFrom} at half the learning rate`
                    : '▶ Play'}
              </button>
            )}
            <button
              data-testid="step"
              onClick={() => s.step(1)}
              disabled={!ready || s.running || s.imported || s.comparing || s.resumableFrom !== null}
            >
              Step
            </button>
            <button data-testid="reset" onClick={() => (s.comparing ? s.restartCompare() : s.reset())}>
              ⟲ Reset{s.pendingReset.length ? ` (applies ${s.pendingReset.join(', ')})` : ''}
            </button>
            <SettingsToggle />
          </div>
          <PauseWhenGrokked />
          <RunProgress />
          <CostEstimate />
          <PhaseBadge />
        </>
      )}
      <div className="view-buttons">
        <button
          data-testid="paper-toggle"
          aria-pressed={s.page === 'paper'}
          title="NeuralGrok’s Table 1 beside GrokLab’s own runs"
          // the view's chunk starts loading as the pointer or focus arrives, not on the click
          onPointerEnter={prefetchPaperView}
          onFocus={prefetchPaperView}
          onClick={() => s.setView({ page: s.page === 'paper' ? 'playground' : 'paper' })}
        >
          {s.page === 'paper' ? '← Playground' : 'The paper, checked'}
        </button>
        <button data-testid="copy-link" onClick={() => void copyLink()}>
          <LinkIcon /> Copy link
        </button>
        <button data-testid="presentation-toggle" onClick={() => s.setView({ presentation: !s.presentation })}>
          {s.presentation ? 'Exit presentation' : 'Present'}
        </button>
        <button aria-label="keyboard shortcuts" data-testid="shortcuts-button" onClick={() => s.setView({ showShortcuts: true })}>
          Shortcuts ?
        </button>
      </div>
      <div className="backend">
        <span data-testid="backend-badge" className="badge" title={b ? badgeTooltip(b) : ''}>
          {b ? badgeText(b) : 'starting…'}
        </span>
        {s.preparing && b && (
          <span className="preparing" data-testid="backend-preparing" role="status">
            preparing {backendName(s.preparing)}…
          </span>
        )}
        <select
          data-testid="backend-select"
          value={s.configBackend}
          onChange={(e) => s.reset({ backend: e.target.value as never })}
          aria-label="backend"
        >
          {BACKEND_IDS.map((id) => (
            <option key={id} value={id}>
              {id === 'auto' ? 'auto backend' : `force ${id}`}
            </option>
          ))}
        </select>
      </div>
      {preset && s.page !== 'paper' && <PresetLine preset={preset} />}
    </header>
  );
}
