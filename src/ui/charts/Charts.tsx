/** The four live charts, redrawn at most ~10 times a second whatever the step rate. */
import { useEffect, useRef, useState } from 'react';
import { useGrokStore } from '../store';
import { METRIC_HELP } from '../help';
import { MetricChart } from './MetricChart';

const REDRAW_MS = 100;

/**
 * The latest value, updated at most once per interval (a throttle, not a debounce: a value
 * that keeps changing still shows every interval). Not a transition: zustand's synchronous
 * store updates arrive every ~100 ms and would restart it forever.
 */
export function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const lastShown = useRef(0);
  const latest = useRef(value);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  latest.current = value;
  useEffect(() => {
    if (timer.current !== null) return; // an update is already scheduled; it will take the latest value
    const wait = Math.max(0, lastShown.current + ms - performance.now());
    timer.current = setTimeout(() => {
      timer.current = null;
      lastShown.current = performance.now();
      setShown(latest.current);
    }, wait);
  }, [value, ms]);
  useEffect(() => () => void (timer.current !== null && clearTimeout(timer.current)), []);
  return shown;
}

export function Charts() {
  const version = useThrottled(useGrokStore((s) => s.seriesVersion), REDRAW_MS);
  const series = useGrokStore((s) => s.series);
  const grokStep = useGrokStore((s) => s.grokStep);
  const [xLog, setXLog] = useState(false);
  const t = series.train;
  const e = series.evals;
  const common = { xLog, grokStep, version };
  return (
    <div className="charts">
      <label className="xlog-toggle">
        <input type="checkbox" checked={xLog} onChange={(ev) => setXLog(ev.target.checked)} data-testid="xlog-toggle" /> log-scale steps
      </label>
      <MetricChart
        {...common}
        title="Accuracy"
        help={METRIC_HELP.accuracy}
        testId="chart-accuracy"
        yDomain={[0, 1]}
        lines={[
          { label: 'train (batch)', color: '#1f77b4', x: t.step, y: t.trainAcc },
          { label: 'validation', color: '#d62728', x: e.step, y: e.valAcc },
        ]}
      />
      <MetricChart
        {...common}
        title="Loss"
        help={METRIC_HELP.loss}
        testId="chart-loss"
        yLog
        lines={[
          { label: 'train (batch)', color: '#1f77b4', x: t.step, y: t.trainLoss },
          { label: 'validation', color: '#d62728', x: e.step, y: e.valLoss },
        ]}
      />
      <MetricChart {...common} title="Weight norm ‖θ‖" help={METRIC_HELP.weightNorm} testId="chart-weight-norm" lines={[{ label: 'weight norm', color: '#2ca02c', x: e.step, y: e.weightNorm }]} />
      <MetricChart
        {...common}
        title="Absolute gradient entropy (AGE)"
        help={METRIC_HELP.age}
        testId="chart-age"
        lines={[
          { label: 'raw gradient', color: '#9467bd', x: e.step, y: e.ageRaw },
          { label: 'applied gradient', color: '#ff7f0e', x: e.step, y: e.ageApplied },
        ]}
      />
    </div>
  );
}
