/** Compare mode: overlaid, colour-coded curves of up to four runs and a steps-to-grok table. */
import { useState } from 'react';
import { writeCompareFile } from '../../core/run-file';
import { METRIC_HELP } from '../help';
import { download } from '../files/browser-files';
import type { CompareRun } from '../state/types';
import { useGrokStore } from '../store';
import { useSampledValue } from './Charts';
import { MetricChart, type LineSpec } from './MetricChart';

const REDRAW_MS = 100;

function lines(runs: CompareRun[], pick: (r: CompareRun) => { x: number[]; y: number[] }): LineSpec[] {
  return runs.map((r) => ({ label: r.label, color: r.color, ...pick(r) }));
}

export function CompareView() {
  // sampled at most 10×/s: every metric batch of four workers would otherwise re-render
  const version = useSampledValue(() => useGrokStore.getState().compare.version, REDRAW_MS);
  const { runs, running } = useGrokStore.getState().compare;
  const { playCompare: play, pauseCompare: pause, stopCompare: stop } = useGrokStore.getState();
  const [xLog, setXLog] = useState(false);
  const common = { xLog, grokStep: null, version };
  return (
    <div className="charts compare" data-testid="compare-view">
      <div className="compare-bar">
        <strong>Comparing {runs.length} runs</strong> (each in its own worker, sharing the CPU){' '}
        {running ? (
          <button data-testid="compare-pause" onClick={pause}>
            ❚❚ Pause all
          </button>
        ) : (
          <button data-testid="compare-play" onClick={play}>
            ▶ Play all
          </button>
        )}
        <button data-testid="compare-export" onClick={() => download(`groklab-compare-${Date.now()}.json`, writeCompareFile(runs.map((r) => ({ label: r.label, config: r.config, series: r.state.series }))))}>
          Export compare set (JSON)
        </button>
        <button data-testid="compare-exit" onClick={stop}>
          Exit compare
        </button>
        <label>
          <input type="checkbox" checked={xLog} onChange={(e) => setXLog(e.target.checked)} /> log-scale steps
        </label>
      </div>
      <table className="grok-table" data-testid="compare-table">
        <thead>
          <tr>
            <th>run</th>
            <th>step</th>
            <th>steps to val ≥ 0.95</th>
            <th>steps to val ≥ 0.99</th>
            <th>backend</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.label}>
              <td>
                <i className="swatch" style={{ background: r.color }} /> {r.label}
              </td>
              <td>{r.state.stepCount}</td>
              <td>{r.state.stepsTo95 ?? '–'}</td>
              <td>{r.state.stepsTo99 ?? '–'}</td>
              <td>{r.state.error ? `error: ${r.state.error}` : r.session ? (r.state.backend?.backend ?? '…') : 'file'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <MetricChart {...common} title="Validation accuracy" help={METRIC_HELP.accuracy} testId="chart-accuracy" yDomain={[0, 1]} lines={lines(runs, (r) => ({ x: r.state.series.evals.step, y: r.state.series.evals.valAcc }))} />
      <MetricChart {...common} title="Validation loss" help={METRIC_HELP.loss} testId="chart-loss" yLog lines={lines(runs, (r) => ({ x: r.state.series.evals.step, y: r.state.series.evals.valLoss }))} />
      <MetricChart {...common} title="Weight norm ‖θ‖" help={METRIC_HELP.weightNorm} testId="chart-weight-norm" lines={lines(runs, (r) => ({ x: r.state.series.evals.step, y: r.state.series.evals.weightNorm }))} />
      <MetricChart {...common} title="AGE of the applied gradient" help={METRIC_HELP.age} testId="chart-age" lines={lines(runs, (r) => ({ x: r.state.series.evals.step, y: r.state.series.evals.ageApplied }))} />
    </div>
  );
}
