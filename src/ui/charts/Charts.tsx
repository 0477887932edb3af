/** The four live charts, redrawn at most ~10 times a second whatever the step rate. */
import { useEffect, useMemo, useState } from 'react';
import { runStory, type RunStory } from '../run-story';
import { useGrokStore } from '../store';
import { METRIC_HELP } from '../help';
import { MetricChart } from './MetricChart';

const REDRAW_MS = 100;

/**
 * The store's series version, sampled every `ms`: charts redraw at most that often however
 * fast metrics arrive (setting an unchanged value re-renders nothing).
 */
export function useSampledSeriesVersion(ms: number): number {
  return useSampledValue(() => useGrokStore.getState().run.seriesVersion, ms);
}

/** A value read from the store every `ms` (setting an unchanged value re-renders nothing). */
export function useSampledValue<T>(read: () => T, ms: number): T {
  const [value, setValue] = useState(read);
  useEffect(() => {
    const id = setInterval(() => setValue(read()), ms);
    return () => clearInterval(id);
  }, [ms]); // eslint-disable-line react-hooks/exhaustive-deps -- `read` is a fresh closure each render; the interval reads the store
  return value;
}

/** The run's story (markers, phase bands, phase, delay), recomputed only when the series or edits change. */
export function useRunStory(): RunStory {
  const version = useSampledSeriesVersion(REDRAW_MS);
  const insideSteps = useGrokStore((s) => s.run.insideHistory);
  const edits = useGrokStore((s) => s.edits);
  const evalEvery = useGrokStore((s) => (s.run.workerConfig ?? s.config).evalEvery);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the series grow in place; `version` says when
  return useMemo(() => runStory(useGrokStore.getState().run.series.evals, insideSteps, edits, evalEvery), [version, insideSteps, edits, evalEvery]);
}

export function Charts() {
  const version = useSampledSeriesVersion(REDRAW_MS);
  const series = useGrokStore((s) => s.run.series);
  const isNeuralGrok = useGrokStore((s) => (s.run.workerConfig ?? s.config).method === 'neuralgrok');
  const story = useRunStory();
  const [xLog, setXLog] = useState(false);
  const t = series.train;
  const e = series.evals;
  const common = { xLog, version, markers: story.markers };
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
        bands={story.bands}
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
      {isNeuralGrok && (
        <MetricChart
          {...common}
          title="Is the amplifier doing anything?"
          help={METRIC_HELP.amplifier}
          testId="chart-amplifier"
          yLog
          lines={[
            { label: 'N·w std (0 = uniform)', color: '#8c564b', x: e.step, y: e.ampWeightStd },
            { label: '1 − cos(applied, normalized)', color: '#e377c2', x: e.step, y: e.cosToNorm.map((cos) => 1 - cos) },
            { label: 'meta-gradient RMS', color: '#17becf', x: e.step, y: e.metaGradRms },
            { label: 'meta weight-decay RMS', color: '#7f7f7f', x: e.step, y: e.metaDecayRms },
          ]}
        />
      )}
    </div>
  );
}
