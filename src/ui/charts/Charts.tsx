/** The four live charts, redrawn at most ~10 times a second whatever the step rate. */
import { useEffect, useState } from 'react';
import { useRunStory, useThrottledSelector } from '../state/selectors';
import { useGrokStore } from '../store';
import { METRIC_HELP } from '../help';
import { emptyChartHint } from '../class-texts';
import { MetricChart } from './MetricChart';

const REDRAW_MS = 100;

/**
 * The store's series version, at most once every `ms`: charts redraw at most that often however
 * fast metrics arrive (a store subscription, no polling).
 */
export function useSampledSeriesVersion(ms: number): number {
  return useThrottledSelector((s) => s.run.seriesVersion, ms);
}

export { useRunStory };

/**
 * Chart height in CSS pixels: presentation mode fits the four charts (two rows) on one
 * screen of 768 px or more without scrolling; a phone gets shorter charts.
 */
export function useChartHeight(): number {
  const presentation = useGrokStore((s) => s.presentation);
  const [viewport, setViewport] = useState(() =>
    typeof window === 'undefined' ? { w: 1400, h: 900 } : { w: window.innerWidth, h: window.innerHeight },
  );
  useEffect(() => {
    const onResize = () => setViewport({ w: window.innerWidth, h: window.innerHeight });
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return chartHeight(viewport.w, viewport.h, presentation);
}

/** Pure: the chart height for a viewport (see useChartHeight). */
export function chartHeight(width: number, height: number, presentation: boolean): number {
  if (width < 600) return 200;
  // two rows of charts under the toolbar; each chart adds ≈ 95 px of title, legend and padding
  if (presentation) return Math.max(160, Math.min(340, Math.floor((height - 150) / 2) - 95));
  return 260;
}

export function Charts() {
  const version = useSampledSeriesVersion(REDRAW_MS);
  const series = useGrokStore((s) => s.run.series);
  const isNeuralGrok = useGrokStore((s) => (s.run.workerConfig ?? s.config).method === 'neuralgrok');
  const story = useRunStory();
  const [xLog, setXLog] = useState(false);
  const t = series.train;
  const e = series.evals;
  const height = useChartHeight();
  const placeholder = useGrokStore((s) => emptyChartHint(s.run.workerConfig ?? s.config));
  const common = { xLog, version, markers: story.markers, placeholder, height };
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
        yLabel="accuracy"
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
        yLabel="cross-entropy (nats)"
        lines={[
          { label: 'train (batch)', color: '#1f77b4', x: t.step, y: t.trainLoss },
          { label: 'validation', color: '#d62728', x: e.step, y: e.valLoss },
        ]}
      />
      <MetricChart
        {...common}
        title="Weight norm ‖θ‖"
        help={METRIC_HELP.weightNorm}
        testId="chart-weight-norm"
        yLabel="‖θ‖₂"
        lines={[{ label: 'weight norm', color: '#2ca02c', x: e.step, y: e.weightNorm }]}
      />
      <MetricChart
        {...common}
        title="Absolute gradient entropy (AGE)"
        help={METRIC_HELP.age}
        testId="chart-age"
        yLabel="AGE"
        lines={[
          { label: 'applied gradient', color: '#ff7f0e', x: e.step, y: e.ageApplied },
          // dashed and drawn on top: for methods that leave the gradient as it is, the two coincide
          { label: 'raw gradient', color: '#5b2a86', x: e.step, y: e.ageRaw, dash: '5 4' },
        ]}
      />
      {isNeuralGrok && (
        <MetricChart
          {...common}
          title="Is the amplifier doing anything?"
          help={METRIC_HELP.amplifier}
          testId="chart-amplifier"
          yLog
          yLabel="ratio / RMS"
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
