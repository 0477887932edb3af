/**
 * One live chart on uPlot (canvas): the lines over decimated points, nice ticks (scales.ts),
 * linear or log axes with titles, a hover readout (uPlot's live legend), and markers and phase
 * bands as a plugin (chart-layers.ts); one point is a dot. A redraw is `setData`, not a render.
 *
 * Why uPlot: at 10 redraws a second, four charts of 2 000 points, it is the option that holds
 * the training page's 50 ms rule with the least code of our own (bench/live-charts.ts,
 * docs/performance.md; the hand-written SVG chart it replaced is kept there as the baseline).
 */
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { bandLegend, sameChartProps } from './chart-legend';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { HelpText } from '../layout/HelpText';
import { chartPng, download } from '../files/browser-files';
import { layersPlugin, type ChartBand, type ChartMarker, type Layers } from './chart-layers';
import { decimateMinMax } from './decimate';
import { niceTicks, tickLabels, yRange } from './scales';

export type { ChartBand, ChartMarker } from './chart-layers';
export const MAX_POINTS = 2000;

export interface LineSpec {
  label: string;
  color: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Dash pattern, e.g. "5 4" for a training curve next to its validation curve. */
  dash?: string;
}

interface Props {
  title: string;
  help: string;
  testId: string;
  lines: LineSpec[];
  yLog?: boolean;
  xLog: boolean;
  yDomain?: [number, number];
  /** Axis titles with units ("step", "cross-entropy (nats)"). */
  xLabel?: string;
  yLabel?: string;
  /** Shown in an empty chart ("press Play — about 20 s"). */
  placeholder?: string;
  /** Drawing height in CSS pixels (the width follows the container). */
  height?: number;
  /** Vertical markers with a label (memorized, generalized, live edits…). */
  markers?: ChartMarker[];
  /** Shaded step ranges under the curves (the run's phases). */
  bands?: ChartBand[];
  version: number;
}

/**
 * A rotated axis title that fits the plot's height (a short chart in presentation mode clipped
 * "cross-entropy (nats)"): the parenthetical goes first, then letters, ending in "…".
 */
export function fitAxisTitle(label: string, room: number, charWidth = 12 * 0.6): string {
  const fits = (t: string) => t.length * charWidth <= room;
  if (fits(label)) return label;
  const short = label.replace(/\s*\([^)]*\)\s*$/, '');
  if (fits(short)) return short;
  const n = Math.max(1, Math.floor(room / charWidth) - 1);
  return short.slice(0, n).trimEnd() + '…';
}

/** The lines decimated (spikes kept) and joined on one step axis, as uPlot wants its data. */
function chartData(lines: readonly LineSpec[], xLog: boolean, yLog: boolean): { data: uPlot.AlignedData; count: number } {
  const tables = lines.map((l) => {
    const points = decimateMinMax(l.x, l.y, MAX_POINTS).filter((p) => (!xLog || p.x > 0) && (!yLog || p.y > 0));
    return [points.map((p) => p.x), points.map((p) => p.y)] as [number[], number[]];
  });
  const count = tables.reduce((n, [xs]) => n + xs.length, 0);
  return { data: count === 0 ? [[], ...lines.map(() => [])] : uPlot.join(tables), count };
}

/** The value shown for series `si` at the hovered index: its own latest point at or before it. */
function valueAt(u: uPlot, si: number, idx: number | null | undefined): string {
  const ys = u.data[si]!;
  for (let i = idx ?? -1; i >= 0; i--) if (ys[i] != null) return (ys[i] as number).toPrecision(4);
  return '';
}

const onePoint = (ys: ArrayLike<number | null | undefined>) => {
  let n = 0;
  for (let i = 0; i < ys.length && n < 2; i++) if (ys[i] != null) n++;
  return n === 1;
};

/** The chart's font size: the page's CSS says (presentation mode draws larger text). */
const fontOf = (el: HTMLElement) => parseFloat(getComputedStyle(el).getPropertyValue('--chart-font')) || 12;

function MetricChartInner({
  title,
  help,
  testId,
  lines,
  yLog = false,
  xLog,
  yDomain,
  xLabel = 'step',
  yLabel,
  placeholder,
  height = 260,
  markers = [],
  bands = [],
}: Props) {
  const [showHelp, setShowHelp] = useState(false);
  const boxRef = useRef<HTMLDivElement>(null);
  const plotEl = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const legendEl = useRef<HTMLSpanElement>(null);
  const [size, setSize] = useState({ width: 0, font: 12 });
  const sectionRef = useRef<HTMLElement>(null);
  const [empty, setEmpty] = useState(true);
  // what the plot's callbacks and the pending draw read when they run, kept current
  const layers = useRef<Layers>({ markers, bands, fontSize: size.font });
  const latest = useRef({ lines, xLog, yLog });
  useLayoutEffect(() => {
    layers.current = { markers, bands, fontSize: size.font };
    latest.current = { lines, xLog, yLog };
  });
  /** Decimates the latest lines and hands them to the plot. */
  const draw = useCallback((u: uPlot | null, now = false) => {
    const { data, count } = chartData(latest.current.lines, latest.current.xLog, latest.current.yLog);
    sectionRef.current!.dataset.points = String(count);
    setEmpty(count === 0);
    if (!now) u?.setData(data);
    return data;
  }, []);
  const ticks = useRef<Record<string, string[]>>({});
  // What needs a new plot; data, markers and bands only redraw the one there.
  const shape = JSON.stringify([lines.map((l) => [l.label, l.color, l.dash]), xLog, yLog, yDomain, xLabel, yLabel, height, size.font]);

  useLayoutEffect(() => {
    const el = boxRef.current!;
    const measure = () => {
      const next = { width: Math.max(240, Math.round(el.clientWidth)), font: fontOf(el) };
      setSize((s) => (s.width === next.width && s.font === next.font ? s : next));
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useLayoutEffect(() => {
    if (size.width === 0) return;
    const font = `${size.font}px sans-serif`;
    const axis = (key: 'x' | 'y', label: string, count: number, log: boolean): uPlot.Axis => ({
      scale: key,
      label,
      font,
      labelFont: font,
      labelSize: size.font + 8,
      stroke: '#555',
      grid: { stroke: '#eee', width: 1 },
      ticks: { show: false },
      size: key === 'y' ? 48 : 24,
      splits: (_u, _i, min, max) => niceTicks(min, max, count, { log }),
      filter: (_u, splits) => splits, // every tick labelled (uPlot thins log axes' labels by default)
      values: (_u, splits) => (ticks.current[key] = tickLabels(splits)),
    });
    const plotH = height - 24 - size.font - 8 - 10;
    const u = new uPlot(
      {
        width: size.width,
        height,
        padding: [10, 16, 0, 0],
        scales: {
          x: {
            time: false,
            distr: xLog ? 3 : 1,
            range: (_u, lo, hi) =>
              xLog ? [Math.max(1, lo ?? 1), Math.max(hi ?? 10, Math.max(1, lo ?? 1) + 1)] : [0, Math.max(hi ?? 1, 1)],
          },
          y: {
            distr: yLog ? 3 : 1,
            range: (_u, lo, hi) => (lo == null || hi == null ? [yLog ? 0.1 : 0, 1] : yRange([lo, hi], yLog, yDomain)),
          },
        },
        axes: [
          axis('x', xLabel, size.width < 420 ? 3 : 5, xLog),
          axis('y', fitAxisTitle(yLabel ?? '', plotH, size.font * 0.6), height < 200 ? 3 : 4, yLog),
        ],
        series: [
          // the readout's first entry: the hovered step, nothing while the pointer is elsewhere
          { label: xLabel, value: (_u, v) => (v == null ? '' : `${xLabel} ${v}`) },
          ...lines.map((l): uPlot.Series => ({
            label: l.label,
            stroke: l.color,
            width: l.dash ? 1.8 : 1.6,
            dash: l.dash?.split(' ').map(Number),
            spanGaps: true,
            value: (u, _v, si, idx) => valueAt(u, si, idx),
            // one point is not a line: draw it as a dot
            points: { show: (u, si) => onePoint(u.data[si]!), size: 7, fill: l.color },
          })),
        ],
        cursor: { y: false, drag: { x: false, y: false } },
        select: { show: false, left: 0, top: 0, width: 0, height: 0 },
        // in the legend row beside the phase swatches, as one line (a 1366×768 screen has no room for two)
        legend: { live: true, mount: (_u, table) => legendEl.current!.append(table) },
        plugins: [layersPlugin(() => layers.current)],
        hooks: { draw: [(u) => (u.root.dataset.ticks = JSON.stringify([ticks.current.x, ticks.current.y]))] },
      },
      draw(null, true), // the data for this plot's series, now: the pending draw may hold fewer
      plotEl.current!,
    );
    plotRef.current = u;
    return () => {
      u.destroy();
      plotRef.current = null;
    };
  }, [shape, size.width > 0]); // eslint-disable-line react-hooks/exhaustive-deps -- `shape` stands for the options

  useEffect(() => plotRef.current?.setSize({ width: size.width, height }), [size.width, height]);
  // Each chart decimates and draws in a task of its own (a timer), not in the commit that
  // re-rendered all of them: the main thread's longest task is one chart's draw, not four
  // (bench/live-charts.ts). One pending draw at a time, with the latest lines when it runs.
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    pending.current ??= setTimeout(() => {
      pending.current = null;
      // React detaches a removed chart's refs at commit and clears this timer only in its passive
      // cleanup, which can run after the timer (the inside view's charts go at a reset)
      if (sectionRef.current) draw(plotRef.current);
    }, 0);
  }, [lines, xLog, yLog, draw]);
  useEffect(() => () => clearTimeout(pending.current ?? undefined), []);
  const layerKey = JSON.stringify([markers, bands]);
  useEffect(() => plotRef.current?.redraw(false), [layerKey]);

  const savePng = () => {
    const canvas = boxRef.current?.querySelector('canvas');
    if (canvas)
      void chartPng(
        canvas,
        title,
        lines.map((l) => ({ label: l.label, color: l.color, dash: l.dash })),
      ).then((png) => download(`groklab-${testId}.png`, png));
  };

  return (
    <section
      ref={sectionRef}
      className="chart"
      data-testid={testId}
      data-series={JSON.stringify(lines.map((l) => [l.color, l.dash ?? 'solid']))}
      role="img"
      aria-label={`${title}: ${yLabel ?? ''} against ${xLabel}`}
    >
      <h2>
        {title}{' '}
        <button className="help-button" aria-label={`What is ${title}?`} onClick={() => setShowHelp((v) => !v)}>
          ?
        </button>
        <button className="png-button" data-testid={`${testId}-png`} aria-label={`Save ${title} as PNG`} onClick={savePng}>
          PNG
        </button>
      </h2>
      {showHelp && <HelpText text={help} />}
      <div ref={boxRef} className="chart-box">
        {empty && placeholder && (
          <p className="chart-placeholder" data-testid={`${testId}-placeholder`} style={{ top: height / 2 - 20 }}>
            {placeholder}
          </p>
        )}
        <div ref={plotEl} />
      </div>
      <div className="legend">
        <span ref={legendEl} />
        {bandLegend(bands)}
      </div>
    </section>
  );
}

/** Re-renders only when the series version, the axes, the markers, the bands or the size change. */
export const MetricChart = memo(MetricChartInner, sameChartProps);
