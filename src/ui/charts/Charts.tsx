/** The four live charts, redrawn at most ~10 times a second whatever the step rate. */
import { useEffect, useRef, useState } from 'react';
import { PRESENT_FOCUS, type PresentFocus } from '../state/lesson-slice';
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
export function useChartHeight(box?: React.RefObject<HTMLElement | null>, rows = 2): number {
  const presentation = useGrokStore((s) => s.presentation);
  const read = () =>
    typeof window === 'undefined'
      ? { w: 1400, h: 900, top: undefined }
      : {
          w: window.innerWidth,
          h: window.innerHeight,
          top: box?.current ? box.current.getBoundingClientRect().top + window.scrollY : undefined,
        };
  const [viewport, setViewport] = useState(read);
  useEffect(() => {
    // the charts' top moves with the toolbar, notices and the lesson card: measured, not guessed
    const onResize = () =>
      setViewport((v) => {
        const n = read();
        return n.w === v.w && n.h === v.h && n.top === v.top ? v : n;
      });
    onResize();
    window.addEventListener('resize', onResize);
    const ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(onResize);
    ro?.observe(document.body);
    return () => {
      window.removeEventListener('resize', onResize);
      ro?.disconnect();
    };
  }, [presentation]); // eslint-disable-line react-hooks/exhaustive-deps -- `read` reads the ref at call time
  return chartHeight(viewport.w, viewport.h, presentation, viewport.top, rows);
}

/** Pure: the chart height for a viewport (see useChartHeight). */
export function chartHeight(width: number, height: number, presentation: boolean, top = 150, rows = 2): number {
  if (width < 600) return 200;
  // `rows` rows of charts under whatever is above them; each chart adds ≈ 95 px of title, legend
  // and padding (110 with presentation's larger fonts)
  // (a floor of 100: a banner and the lesson card above must not push a chart off a 1366×768 screen, issue 32)
  if (presentation) return Math.max(100, Math.min(rows === 1 ? 900 : 340, Math.floor((height - top - 40) / rows) - 110));
  return 260;
}

const FOCUS_LABELS: Record<PresentFocus, string> = {
  all: 'all four charts',
  'chart-accuracy': 'accuracy, large',
  'chart-loss': 'loss, large',
  'chart-weight-norm': 'weight norm, large',
  'chart-age': 'AGE, large',
};

/** Presentation mode's choice: the 2 × 2 grid or one large chart. */
function PresentFocusSelect() {
  const presentation = useGrokStore((s) => s.presentation);
  const focus = useGrokStore((s) => s.presentFocus);
  const setFocus = useGrokStore((s) => s.setPresentFocus);
  if (!presentation) return null;
  return (
    <label className="present-focus">
      show{' '}
      <select data-testid="present-focus" value={focus} onChange={(e) => setFocus(e.target.value as PresentFocus)}>
        {PRESENT_FOCUS.map((f) => (
          <option key={f} value={f}>
            {FOCUS_LABELS[f]}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Charts() {
  const version = useSampledSeriesVersion(REDRAW_MS);
  const series = useGrokStore((s) => s.run.series);
  const isNeuralGrok = useGrokStore((s) => (s.run.workerConfig ?? s.config).method === 'neuralgrok');
  const story = useRunStory();
  const [xLog, setXLog] = useState(false);
  const t = series.train;
  const e = series.evals;
  const focus = useGrokStore((s) => (s.presentation ? s.presentFocus : 'all'));
  const presentation = useGrokStore((s) => s.presentation);
  const box = useRef<HTMLDivElement>(null);
  const height = useChartHeight(box, focus === 'all' ? 2 : 1);
  const placeholder = useGrokStore((s) => emptyChartHint(s.run.workerConfig ?? s.config));
  // Softmax collapse is the regime without weight decay (and what ⊥Grad and StableMax address):
  // its chart appears there, not beside every run — one live chart less to redraw on the default run
  const collapseRegime = useGrokStore((s) => {
    const c = s.run.workerConfig ?? s.config;
    return c.weightDecay === 0 || c.loss === 'stablemax' || c.method === 'orthograd';
  });
  const common = { xLog, version, markers: story.markers, placeholder, height };
  const shown = (id: string) => focus === 'all' || focus === id;
  return (
    <div className={`charts${focus === 'all' ? '' : ' focused'}`} ref={box}>
      <PresentFocusSelect />
      <label className="xlog-toggle">
        <input type="checkbox" checked={xLog} onChange={(ev) => setXLog(ev.target.checked)} data-testid="xlog-toggle" /> log-scale steps
      </label>
      {shown('chart-accuracy') && (
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
      )}
      {shown('chart-loss') && (
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
      )}
      {shown('chart-weight-norm') && (
        <MetricChart
          {...common}
          title="Weight norm ‖θ‖"
          help={METRIC_HELP.weightNorm}
          testId="chart-weight-norm"
          yLabel="‖θ‖₂"
          lines={[{ label: 'weight norm', color: '#2ca02c', x: e.step, y: e.weightNorm }]}
        />
      )}
      {shown('chart-age') && (
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
      )}
      {focus === 'all' && !presentation && collapseRegime && (
        <MetricChart
          {...common}
          title="Softmax collapse"
          help={METRIC_HELP.collapse}
          testId="chart-collapse"
          yDomain={[-1, 1]}
          yLabel="fraction / cosine"
          lines={[
            { label: 'rows with zero gradient', color: '#8c564b', x: e.step, y: e.collapseFraction },
            { label: 'cos(Δθ, θ)', color: '#17becf', x: e.step, y: e.nlmCosine, dash: '5 4' },
          ]}
        />
      )}
      {isNeuralGrok && focus === 'all' && (
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
