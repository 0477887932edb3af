/**
 * One live chart, drawn as plain SVG: a path per series over decimated points, nice ticks,
 * linear or log axes, a hover readout and a "grokked at" marker.
 *
 * Why not recharts: with four recharts line charts a redraw cost 100–300 ms of main-thread
 * time on a 2-core machine (PerformanceObserver `longtask`, even with a few hundred points),
 * which breaks the "no long task over 50 ms" rule. This component redraws in about a
 * millisecond (one <path> per series).
 */
import { memo, useMemo, useRef, useState } from 'react';
import { decimateMinMax, type Point } from './decimate';
import { chartPng, download } from '../files/browser-files';

export const MAX_POINTS = 2000;

export interface LineSpec {
  label: string;
  color: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

interface Props {
  title: string;
  help: string;
  testId: string;
  lines: LineSpec[];
  yLog?: boolean;
  xLog: boolean;
  yDomain?: [number, number];
  /** Vertical markers with a label (memorized, generalized, live edits…). */
  markers?: ChartMarker[];
  /** Shaded step ranges under the curves (the run's phases). */
  bands?: ChartBand[];
  version: number;
}

export interface ChartMarker {
  step: number;
  label: string;
  color?: string;
}
export interface ChartBand {
  from: number;
  to: number;
  color: string;
  label: string;
}

const W = 560;
const H = 260;
const M = { l: 52, r: 12, t: 10, b: 26 };

/** Scale from data to pixels; log scales clamp at a positive floor. */
function makeScale(lo: number, hi: number, a: number, b: number, log: boolean) {
  const f = log ? (v: number) => Math.log10(Math.max(v, 1e-12)) : (v: number) => v;
  const [flo, fhi] = [f(lo), f(hi) === f(lo) ? f(lo) + 1 : f(hi)];
  return (v: number) => a + ((f(v) - flo) / (fhi - flo)) * (b - a);
}

/** About `count` round tick values between lo and hi (powers of ten on log axes). */
export function niceTicks(lo: number, hi: number, count: number, log: boolean): number[] {
  if (!(hi > lo)) return [lo];
  if (log) {
    const ticks = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) if (10 ** e >= lo * 0.999 && 10 ** e <= hi * 1.001) ticks.push(10 ** e);
    return ticks.length >= 2 ? ticks : [lo, hi];
  }
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const ticks = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

const fmt = (v: number) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-2 && v !== 0) ? v.toExponential(0) : Number(v.toPrecision(3)).toString());

function MetricChartInner({ title, help, testId, lines, yLog = false, xLog, yDomain, markers = [], bands = [] }: Props) {
  const [showHelp, setShowHelp] = useState(false);
  const [hoverX, setHoverX] = useState<number | null>(null);
  const svgRef = useRef<SVGSVGElement>(null);
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
    let [yLo, yHi] = yDomain ?? [Math.min(...ys), Math.max(...ys)];
    if (yHi === yLo) [yLo, yHi] = yLog ? [yLo / 2, yHi * 2] : [yLo - 1, yHi + 1];
    const sx = makeScale(xLo, xHi, M.l, W - M.r, xLog);
    const sy = makeScale(yLo, yHi, H - M.b, M.t, yLog);
    const paths = series.map((s) => s.points.map((p, i) => `${i ? 'L' : 'M'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(''));
    return { series, count: all.length, geo: { sx, sy, xLo, xHi, paths, xTicks: niceTicks(xLo, xHi, 5, xLog), yTicks: niceTicks(yLo, yHi, 4, yLog) } };
  }, [lines, xLog, yLog, yDomain]);

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
  return (
    <section className="chart" data-testid={testId} data-points={view.count}>
      <h2>
        {title}{' '}
        <button className="help-button" aria-label={`What is ${title}?`} onClick={() => setShowHelp((v) => !v)}>
          ?
        </button>
        <button className="png-button" data-testid={`${testId}-png`} aria-label={`Save ${title} as PNG`} onClick={() => svgRef.current && void chartPng(svgRef.current).then((png) => download(`groklab-${testId}.png`, png))}>
          PNG
        </button>
      </h2>
      {showHelp && <p className="help-text">{help}</p>}
      <svg ref={svgRef} viewBox={`0 0 ${W} ${H}`} className="chart-svg" onMouseMove={onMove} onMouseLeave={() => setHoverX(null)} role="img" aria-label={title}>
        <rect x={M.l} y={M.t} width={W - M.l - M.r} height={H - M.t - M.b} fill="none" stroke="#ccd" />
        {geo && (
          <>
            {geo.yTicks.map((v) => (
              <g key={`y${v}`}>
                <line x1={M.l} x2={W - M.r} y1={geo.sy(v)} y2={geo.sy(v)} stroke="#eee" />
                <text x={M.l - 4} y={geo.sy(v) + 4} textAnchor="end" fontSize="11">
                  {fmt(v)}
                </text>
              </g>
            ))}
            {geo.xTicks.map((v) => (
              <text key={`x${v}`} x={geo.sx(v)} y={H - M.b + 15} textAnchor="middle" fontSize="11">
                {fmt(v)}
              </text>
            ))}
            {bands
              .filter((b) => b.to >= geo.xLo)
              .map((b) => (
                <rect key={`band${b.from}`} className="phase-band" x={geo.sx(Math.max(b.from, geo.xLo))} width={Math.max(0, geo.sx(b.to) - geo.sx(Math.max(b.from, geo.xLo)))} y={M.t} height={H - M.t - M.b} fill={b.color} opacity={0.6}>
                  <title>{b.label}</title>
                </rect>
              ))}
            {markers
              .filter((m) => m.step >= geo.xLo)
              .map((m, i) => (
                <g key={`m${m.step}-${m.label}`} className="chart-marker">
                  <line x1={geo.sx(m.step)} x2={geo.sx(m.step)} y1={M.t} y2={H - M.b} stroke={m.color ?? '#666'} strokeDasharray="6 3" />
                  <text x={geo.sx(m.step) + 4} y={M.t + 12 + 13 * (i % 4)} fontSize="11" fill={m.color ?? '#444'}>
                    {m.label}
                  </text>
                </g>
              ))}
            {geo.paths.map((d, i) => (
              <path key={view.series[i]!.label} d={d} fill="none" stroke={view.series[i]!.color} strokeWidth={1.6} />
            ))}
            {hoverX !== null && (
              <g pointerEvents="none">
                <line x1={geo.sx(hoverX)} x2={geo.sx(hoverX)} y1={M.t} y2={H - M.b} stroke="#999" />
                {view.series.map((s, i) => {
                  const p = nearest(s.points, hoverX);
                  return p ? (
                    <text key={s.label} x={W - M.r - 6} textAnchor="end" y={H - M.b - 8 - 14 * i} fontSize="11" fill={s.color}>
                      step {p.x}: {s.label} {p.y.toPrecision(4)}
                    </text>
                  ) : null;
                })}
              </g>
            )}
          </>
        )}
      </svg>
      <div className="legend">
        {lines.map((l) => (
          <span key={l.label}>
            <i style={{ background: l.color }} /> {l.label}
          </span>
        ))}
      </div>
    </section>
  );
}

/** Re-renders only when the series version, the axes, the markers or the bands change. */
export const MetricChart = memo(
  MetricChartInner,
  (a, b) => a.version === b.version && a.xLog === b.xLog && a.yLog === b.yLog && JSON.stringify([a.markers, a.bands]) === JSON.stringify([b.markers, b.bands]),
);
