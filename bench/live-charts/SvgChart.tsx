/**
 * The benchmark's baseline (bench/live-charts.ts): the hand-written SVG live chart as it was
 * in the app until issue 32 (src/ui/charts/MetricChart.tsx at ce0335a), with the scales from
 * the shared module and without its PNG button. Not used by the app.
 *
 * One live chart, drawn as plain SVG: a path per series over decimated points, nice ticks,
 * linear or log axes with titles, a hover readout, markers and phase bands; one point is a dot.
 * Drawn at the container's real width, so tick labels keep their size on a phone.
 *
 * Why not recharts: with four recharts line charts a redraw cost 100–300 ms of main-thread
 * time on a 2-core machine (PerformanceObserver `longtask`, even with a few hundred points),
 * which breaks the "no long task over 50 ms" rule. This component redraws in about a
 * millisecond (one <path> per series).
 */
import { HelpText } from '../../src/ui/layout/HelpText';
import { memo, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { bandLegend, sameChartProps } from '../../src/ui/charts/chart-legend';
import { decimateMinMax, type Point } from '../../src/ui/charts/decimate';
import { labelWidth, layoutMarkerLabels } from '../../src/ui/charts/marker-lanes';
import { niceTicks, tickLabels, yRange } from '../../src/ui/charts/scales';
import type { ChartBand, ChartMarker, LineSpec } from '../../src/ui/charts/MetricChart';

export const MAX_POINTS = 2000;

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

const DEFAULT_W = 560;
const DEFAULT_H = 260;

/**
 * A rotated axis title that fits the plot's height (a short chart in presentation mode clipped
 * "cross-entropy (nats)"): the parenthetical goes first, then letters, ending in "…".
 */
export function fitAxisTitle(label: string, room: number, charWidth = FONT * 0.6): string {
  const fits = (t: string) => t.length * charWidth <= room;
  if (fits(label)) return label;
  const short = label.replace(/\s*\([^)]*\)\s*$/, '');
  if (fits(short)) return short;
  const n = Math.max(1, Math.floor(room / charWidth) - 1);
  return short.slice(0, n).trimEnd() + '…';
}
const M = { l: 64, r: 12, t: 10, b: 40 };
const FONT = 12;

/** Scale from data to pixels; log scales clamp at a positive floor. */
function makeScale(lo: number, hi: number, a: number, b: number, log: boolean) {
  const f = log ? (v: number) => Math.log10(Math.max(v, 1e-12)) : (v: number) => v;
  const [flo, fhi] = [f(lo), f(hi) === f(lo) ? f(lo) + 1 : f(hi)];
  return (v: number) => a + ((f(v) - flo) / (fhi - flo)) * (b - a);
}

/** The container's width in CSS pixels (so the chart's text is drawn at its real size). */
function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(DEFAULT_W);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setWidth(Math.max(240, Math.round(el.clientWidth)));
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return width;
}

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
  height = DEFAULT_H,
  markers = [],
  bands = [],
}: Props) {
  const [showHelp, setShowHelp] = useState(false);
  const [hoverX, setHoverX] = useState<number | null>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const W = useWidth(boxRef);
  const H = height;
  const view = useMemo(() => {
    const series = lines.map((l) => ({
      ...l,
      points: decimateMinMax(l.x, l.y, MAX_POINTS).filter((p) => (!xLog || p.x > 0) && (!yLog || p.y > 0)),
    }));
    const all = series.flatMap((s) => s.points);
    if (all.length === 0) return { series, count: 0, geo: null };
    const xs = all.map((p) => p.x);
    const ys = all.map((p) => p.y);
    const xLo = xLog ? Math.max(1, Math.min(...xs)) : 0;
    const xHi = Math.max(...xs, xLo + 1);
    const [yLo, yHi] = yRange(ys, yLog, yDomain);
    const sx = makeScale(xLo, xHi, M.l, W - M.r, xLog);
    const sy = makeScale(yLo, yHi, H - M.b, M.t, yLog);
    const paths = series.map((s) => s.points.map((p, i) => `${i ? 'L' : 'M'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(''));
    const xTicks = niceTicks(xLo, xHi, W < 420 ? 3 : 5, { log: xLog });
    const yTicks = niceTicks(yLo, yHi, H < 200 ? 3 : 4, { log: yLog });
    return {
      series,
      count: all.length,
      geo: { sx, sy, xLo, xHi, paths, xTicks, xLabels: tickLabels(xTicks), yTicks, yLabels: tickLabels(yTicks) },
    };
  }, [lines, xLog, yLog, yDomain, W, H]);

  const nearest = (pts: Point[], x: number): Point | null => {
    let best: Point | null = null;
    for (const p of pts) if (p.x <= x && (!best || p.x > best.x)) best = p;
    return best;
  };
  const onMove = (e: React.MouseEvent<SVGSVGElement>) => {
    if (!view.geo || !svgRef.current) return;
    const r = svgRef.current.getBoundingClientRect();
    const px = ((e.clientX - r.left) / r.width) * W;
    const { xLo, xHi } = view.geo;
    const t = (px - M.l) / (W - M.l - M.r);
    setHoverX(xLog ? 10 ** (Math.log10(xLo) + t * (Math.log10(xHi) - Math.log10(xLo))) : xLo + t * (xHi - xLo));
  };
  const geo = view.geo;
  const plotW = W - M.l - M.r;
  // Marker labels in lanes below the top edge: none overlaps another or leaves the plot.
  const shownMarkers = geo ? markers.filter((m) => m.step >= geo.xLo) : [];
  const laneBoxes = geo
    ? layoutMarkerLabels(
        shownMarkers.map((m) => ({ x: geo.sx(m.step), label: m.label })),
        // laid out for presentation mode's larger text (14 px), so they stay apart there too
        { left: M.l + 2, right: W - M.r - 2, fontSize: FONT + 2, lanes: H < 200 ? 3 : 4 },
      )
    : [];
  const labelAt = new Map(laneBoxes.map((b) => [b.index, b]));
  return (
    <section className="chart" data-testid={testId} data-points={view.count}>
      <h2>
        {title}{' '}
        <button className="help-button" aria-label={`What is ${title}?`} onClick={() => setShowHelp((v) => !v)}>
          ?
        </button>
      </h2>
      {showHelp && <HelpText text={help} />}
      <div ref={boxRef} className="chart-box">
        <svg
          ref={svgRef}
          viewBox={`0 0 ${W} ${H}`}
          width={W}
          height={H}
          className="chart-svg"
          onMouseMove={onMove}
          onMouseLeave={() => setHoverX(null)}
          role="img"
          aria-label={title}
          fontSize={FONT}
        >
          <rect x={M.l} y={M.t} width={plotW} height={H - M.t - M.b} fill="none" stroke="#ccd" />
          <text className="axis-title" x={M.l + plotW / 2} y={H - 4} textAnchor="middle" fill="#555">
            {xLabel}
          </text>
          {yLabel && (
            <text
              className="axis-title"
              transform={`translate(13 ${M.t + (H - M.t - M.b) / 2}) rotate(-90)`}
              textAnchor="middle"
              fill="#555"
            >
              {fitAxisTitle(yLabel, H - M.t - M.b)}
            </text>
          )}
          {!geo && placeholder && (
            <text
              className="chart-placeholder"
              data-testid={`${testId}-placeholder`}
              x={M.l + plotW / 2}
              y={M.t + (H - M.t - M.b) / 2}
              textAnchor="middle"
              fill="#888"
              fontSize={FONT + 2}
            >
              {placeholder}
            </text>
          )}
          {geo && (
            <>
              {geo.yTicks.map((v, i) => (
                <g key={`y${v}`}>
                  <line x1={M.l} x2={W - M.r} y1={geo.sy(v)} y2={geo.sy(v)} stroke="#eee" />
                  <text className="tick" x={M.l - 4} y={geo.sy(v) + 4} textAnchor="end">
                    {geo.yLabels[i]}
                  </text>
                </g>
              ))}
              {geo.xTicks.map((v, i) => {
                // the last tick at the right edge would be cut in half: right-align it there
                const atEdge = geo.sx(v) + labelWidth(geo.xLabels[i]!, FONT + 2) / 2 > W - 1;
                return (
                  <text
                    className="tick"
                    key={`x${v}`}
                    x={atEdge ? W - 1 : geo.sx(v)}
                    y={H - M.b + 15}
                    textAnchor={atEdge ? 'end' : 'middle'}
                  >
                    {geo.xLabels[i]}
                  </text>
                );
              })}
              {bands
                .filter((b) => b.to >= geo.xLo)
                .map((b) => (
                  <rect
                    key={`band${b.from}`}
                    className="phase-band"
                    x={geo.sx(Math.max(b.from, geo.xLo))}
                    width={Math.max(0, geo.sx(b.to) - geo.sx(Math.max(b.from, geo.xLo)))}
                    y={M.t}
                    height={H - M.t - M.b}
                    fill={b.color}
                    opacity={0.6}
                  >
                    <title>{b.label}</title>
                  </rect>
                ))}
              {geo.paths.map((d, i) => {
                const s = view.series[i]!;
                // One point is not a line: draw it as a dot.
                return s.points.length === 1 ? (
                  <circle
                    key={s.label}
                    className="single-point"
                    cx={geo.sx(s.points[0]!.x)}
                    cy={geo.sy(s.points[0]!.y)}
                    r={3.5}
                    fill={s.color}
                  />
                ) : (
                  <path key={s.label} d={d} fill="none" stroke={s.color} strokeWidth={s.dash ? 1.8 : 1.6} strokeDasharray={s.dash} />
                );
              })}
              {shownMarkers.map((m, i) => {
                const at = labelAt.get(i);
                return (
                  <g key={`m${m.step}-${m.label}`} className="chart-marker">
                    <title>{m.label}</title>
                    <line x1={geo.sx(m.step)} x2={geo.sx(m.step)} y1={M.t} y2={H - M.b} stroke={m.color ?? '#666'} strokeDasharray="6 3" />
                    {at && (
                      <text
                        className="marker-label"
                        x={at.x}
                        y={M.t + 14 + 15 * at.lane}
                        textAnchor="start"
                        fill={m.color ?? '#444'}
                        stroke="#fff"
                        strokeWidth={3}
                        paintOrder="stroke"
                      >
                        {m.label}
                      </text>
                    )}
                  </g>
                );
              })}
              {hoverX !== null && (
                <g pointerEvents="none">
                  <line x1={geo.sx(hoverX)} x2={geo.sx(hoverX)} y1={M.t} y2={H - M.b} stroke="#999" />
                  {view.series.map((s, i) => {
                    const p = nearest(s.points, hoverX);
                    return p ? (
                      <text
                        key={s.label}
                        x={W - M.r - 6}
                        textAnchor="end"
                        y={H - M.b - 8 - 14 * i}
                        fill={s.color}
                        stroke="#fff"
                        strokeWidth={3}
                        paintOrder="stroke"
                      >
                        step {p.x}: {s.label} {p.y.toPrecision(4)}
                      </text>
                    ) : null;
                  })}
                </g>
              )}
            </>
          )}
        </svg>
      </div>
      <div className="legend">
        {bandLegend(bands)}
        {lines.map((l) => (
          <span key={l.label}>
            <svg width="22" height="8" aria-hidden="true">
              <line x1="1" x2="21" y1="4" y2="4" stroke={l.color} strokeWidth="3" strokeDasharray={l.dash} />
            </svg>{' '}
            {l.label}
          </span>
        ))}
      </div>
    </section>
  );
}

/** Re-renders only when the series version, the axes, the markers, the bands or the size change. */
export const SvgChart = memo(MetricChartInner, sameChartProps);
