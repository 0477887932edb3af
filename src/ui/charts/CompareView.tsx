/**
 * Compare mode: overlaid curves of up to four runs, one colour per method (validation solid,
 * training dashed), and a table of steps to grok, speed, elapsed time and time to grok.
 */
import { useState } from 'react';
import { writeCompareFile } from '../../core/run-file';
import { METRIC_HELP } from '../help';
import { download } from '../files/browser-files';
import type { CompareRun } from '../state/types';
import { useGrokStore } from '../store';
import { compareVerdict, useCompareStatus, useThrottledSelector } from '../state/selectors';
import { useChartHeight } from './Charts';
import { MetricChart, type LineSpec } from './MetricChart';
import { MultiSeedSummary } from './MultiSeedSummary';
import { GrokStepsChart } from './lazy-charts';
import { isMultiSeed, seedRunsOf } from '../state/compare-slice';
import { multiSeedVerdict } from '../../core/multi-seed';

const REDRAW_MS = 100;

/** Validation solid, training (full training split, at evaluations) dashed in the same colour. */
function trainValLines(
  runs: CompareRun[],
  pick: (e: CompareRun['state']['series']['evals']) => { train?: number[]; val: number[] },
): LineSpec[] {
  return runs.flatMap((r) => {
    const e = r.state.series.evals;
    const { train, val } = pick(e);
    const lines: LineSpec[] = [{ label: `${r.label} · validation`, color: r.color, x: e.step, y: val }];
    if (train) lines.push({ label: `${r.label} · train`, color: r.color, x: e.step, y: train, dash: '5 4' });
    return lines;
  });
}

function lines(runs: CompareRun[], pick: (r: CompareRun) => { x: number[]; y: number[] }): LineSpec[] {
  return runs.map((r) => ({ label: r.label, color: r.color, ...pick(r) }));
}

const seconds = (s: number | null) =>
  s === null ? '–' : s >= 60 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${s.toFixed(s < 10 ? 1 : 0)} s`;

export function CompareView() {
  // at most 10×/s: every metric batch of four workers would otherwise re-render
  const runs = useThrottledSelector((s) => s.compare.runs, REDRAW_MS);
  const version = useThrottledSelector((s) => s.compare.version, REDRAW_MS);
  const status = useCompareStatus();
  const running = status === 'running';
  const play = useGrokStore((s) => s.playCompare);
  const pause = useGrokStore((s) => s.pauseCompare);
  const stop = useGrokStore((s) => s.stopCompare);
  const [xLog, setXLog] = useState(false);
  const height = useChartHeight();
  const common = { xLog, version, height, placeholder: 'press Play all' };
  const multi = isMultiSeed(runs);
  // as in the single run's charts: softmax collapse is the regime without weight decay (and ⊥Grad's, StableMax's)
  const collapseRegime = runs.some((r) => r.config.weightDecay === 0 || r.config.loss === 'stablemax' || r.config.method === 'orthograd');
  return (
    <div className="charts compare" data-testid="compare-view">
      <div className="compare-bar">
        <strong>Comparing {runs.length} runs</strong> (each in its own worker, sharing the CPU: each runs slower than alone){' '}
        {running ? (
          <button data-testid="compare-pause" onClick={pause}>
            ❚❚ Pause all
          </button>
        ) : (
          <button data-testid="compare-play" onClick={play}>
            {status === 'finished' ? '⟲ Run all again' : '▶ Play all'}
          </button>
        )}
        <button
          data-testid="compare-export"
          onClick={() =>
            download(
              `groklab-compare-${Date.now()}.json`,
              writeCompareFile(runs.map((r) => ({ label: r.label, config: r.config, series: r.state.series }))),
            )
          }
        >
          Export compare set (JSON)
        </button>
        <button data-testid="compare-exit" onClick={stop}>
          Exit compare
        </button>
        <label>
          <input type="checkbox" checked={xLog} onChange={(e) => setXLog(e.target.checked)} /> log-scale steps
        </label>
      </div>
      {status === 'finished' && (
        <p className="note compare-finished" data-testid="compare-finished" role="status">
          <strong>Finished.</strong> {multi ? multiSeedVerdict(seedRunsOf(runs)) : compareVerdict(runs)}
        </p>
      )}
      {status === 'paused' && (
        <p className="note" data-testid="compare-paused">
          Paused: ▶ Play all continues every run.
        </p>
      )}
      {multi && <MultiSeedSummary runs={runs} finished={status === 'finished'} />}
      <div className="table-scroll">
        <table className="grok-table" data-testid="compare-table">
          <thead>
            <tr>
              <th>run</th>
              <th>step</th>
              <th>steps to val ≥ 0.95</th>
              <th>steps to val ≥ 0.99</th>
              <th>steps/s</th>
              <th>elapsed</th>
              <th>time to val ≥ 0.95</th>
              <th>backend</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.label} data-testid="compare-row">
                <td>
                  <i className="swatch" style={{ background: r.color }} /> {r.label}
                </td>
                <td>{r.state.stepCount}</td>
                <td>{r.state.stepsTo95 ?? '–'}</td>
                <td>{r.state.stepsTo99 ?? '–'}</td>
                <td data-testid="compare-speed">{r.live ? r.state.smoothStepsPerSecond.toFixed(1) : '–'}</td>
                <td data-testid="compare-elapsed">{r.live ? seconds(r.state.elapsedSeconds) : '–'}</td>
                <td data-testid="compare-time-to-grok">{seconds(r.state.secondsTo95)}</td>
                <td>{r.state.error ? `error: ${r.state.error}` : r.live ? (r.state.backend?.backend ?? '…') : 'file'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!multi && (
        <GrokStepsChart
          testId="compare-summary-chart"
          title="Steps to val ≥ 0.95 per run (a bar appears when a run gets there)"
          rows={runs.map((r) => ({ label: r.label, color: r.color, steps: r.state.stepsTo95 }))}
        />
      )}
      <MetricChart
        {...common}
        title="Accuracy: validation (solid) and training (dashed)"
        help={METRIC_HELP.accuracy}
        testId="chart-accuracy"
        yDomain={[0, 1]}
        yLabel="accuracy"
        lines={trainValLines(runs, (e) => ({ train: e.trainFullAcc, val: e.valAcc }))}
      />
      <MetricChart
        {...common}
        title="Loss: validation (solid) and training (dashed)"
        help={METRIC_HELP.loss}
        testId="chart-loss"
        yLog
        yLabel="cross-entropy (nats)"
        lines={trainValLines(runs, (e) => ({ train: e.trainFullLoss, val: e.valLoss }))}
      />
      <MetricChart
        {...common}
        title="Weight norm ‖θ‖"
        help={METRIC_HELP.weightNorm}
        testId="chart-weight-norm"
        yLabel="‖θ‖₂"
        lines={lines(runs, (r) => ({ x: r.state.series.evals.step, y: r.state.series.evals.weightNorm }))}
      />
      <MetricChart
        {...common}
        title="AGE of the applied gradient"
        help={METRIC_HELP.age}
        testId="chart-age"
        yLabel="AGE"
        lines={lines(runs, (r) => ({ x: r.state.series.evals.step, y: r.state.series.evals.ageApplied }))}
      />
      {collapseRegime && (
        <MetricChart
          {...common}
          title="Softmax collapse: rows with zero gradient (solid) and cos(Δθ, θ) (dashed)"
          help={METRIC_HELP.collapse}
          testId="chart-collapse"
          yDomain={[-1, 1]}
          yLabel="fraction / cosine"
          lines={runs.flatMap((r): LineSpec[] => {
            const e = r.state.series.evals;
            return [
              { label: `${r.label} · zero-gradient rows`, color: r.color, x: e.step, y: e.collapseFraction },
              { label: `${r.label} · cos(Δθ, θ)`, color: r.color, x: e.step, y: e.nlmCosine, dash: '5 4' },
            ];
          })}
        />
      )}
    </div>
  );
}
