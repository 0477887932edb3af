/**
 * The charts of "The paper, checked", as plain SVG (docs/decisions.md, "recharts measured out"):
 * one `<svg>` per chart, its frame (grid, ticks, labels) and its series — bars, a path per curve,
 * a circle per seed — computed here from the same linear or log scales. recharts drew these
 * charts before; each of its charts was a 50–150 ms main-thread task on the quiet 2-core machine
 * once a task held ~16 curves, and layering them one chart per task no longer kept each task
 * under 50 ms. A path of ≤ 200 points per curve is a few milliseconds for the whole chart.
 *
 * Each series carries a `<title>` (its name and figure: a hover tooltip, and what a screen
 * reader reads). The width comes from a ResizeObserver on the box; the height is fixed.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import {
  PAPER_METHOD_LABELS,
  type Ablation,
  type PaperCell,
  type PaperCurve,
  type PaperMethod,
  type PaperTask,
} from '../../core/paper-table';
import { paperColor } from './paper-links';

const HEIGHT = 240;
const X_HEIGHT = 22;
const MARGIN = { top: 8, right: 14, bottom: 4, left: 4 };
const ABLATION_COLORS = ['#d62728', '#2ca02c', '#17becf', '#bcbd22', '#8c564b', '#e377c2'];

interface LegendEntry {
  label: string;
  color: string;
  kind?: 'line' | 'dot' | 'ring' | 'bar';
}

interface Axes {
  x:
    | { type: 'category'; categories: string[]; short?: (label: string) => string }
    | { type: 'number'; domain: [number, number]; ticks: number[]; format?: (v: number) => string };
  y: { domain: [number, number]; ticks: number[]; width: number; scale?: 'log'; format?: (v: number) => string };
}

/** The plot area inside the margins and the axes' room. */
const plotArea = (width: number, yWidth: number) => ({
  left: MARGIN.left + yWidth,
  right: width - MARGIN.right,
  top: MARGIN.top,
  bottom: HEIGHT - MARGIN.bottom - X_HEIGHT,
});

/** The scales of a chart `width` wide: x for numbers, the band of a category, y (linear or log10). */
export function scales(a: Axes, width: number) {
  const p = plotArea(width, a.y.width);
  const [y0, y1] = a.y.domain;
  const f = a.y.scale === 'log' ? Math.log10 : (v: number) => v;
  const y = (v: number) => p.bottom - ((f(v) - f(y0)) / (f(y1) - f(y0))) * (p.bottom - p.top);
  const [x0, x1] = a.x.type === 'number' ? a.x.domain : [0, 1];
  const x = (v: number) => p.left + ((v - x0) / (x1 - x0)) * (p.right - p.left);
  const categories = a.x.type === 'category' ? a.x.categories : [];
  const band = categories.length ? (p.right - p.left) / categories.length : 0;
  const bandStart = (label: string) => p.left + categories.indexOf(label) * band;
  return { p, x, y, band, bandStart };
}

/** A polyline through the points as an SVG path, rounded to 0.1 px (short strings). */
export const pathOf = (points: [number, number][]) =>
  points.map(([px, py], i) => `${i ? 'L' : 'M'}${Math.round(px * 10) / 10},${Math.round(py * 10) / 10}`).join('');

function Frame({ a, s }: { a: Axes; s: ReturnType<typeof scales> }) {
  const { p } = s;
  const fy = a.y.format ?? String;
  const xs: [number, string][] =
    a.x.type === 'category'
      ? a.x.categories.map((c, i) => [p.left + (i + 0.5) * s.band, s.band < 80 ? (a.x.type === 'category' && a.x.short?.(c)) || c : c])
      : a.x.ticks.map((t) => [s.x(t), (a.x.type === 'number' && a.x.format?.(t)) || String(t)]);
  return (
    <g className="paper-frame" aria-hidden="true">
      {a.y.ticks.map((t) => (
        <g key={`y${t}`}>
          <line x1={p.left} x2={p.right} y1={s.y(t)} y2={s.y(t)} stroke="#e3e6ec" strokeDasharray="3 3" />
          <text x={p.left - 4} y={s.y(t) + 4} textAnchor="end" fontSize={11} fill="#555">
            {fy(t)}
          </text>
        </g>
      ))}
      {xs.map(([x, label]) => (
        <g key={`x${label}`}>
          {a.x.type === 'number' && <line x1={x} x2={x} y1={p.top} y2={p.bottom} stroke="#e3e6ec" strokeDasharray="3 3" />}
          <text x={x} y={p.bottom + 14} textAnchor="middle" fontSize={11} fill="#555">
            {label}
          </text>
        </g>
      ))}
      <line x1={p.left} x2={p.right} y1={p.bottom} y2={p.bottom} stroke="#888" />
      <line x1={p.left} x2={p.left} y1={p.top} y2={p.bottom} stroke="#888" />
    </g>
  );
}

/**
 * A chart: the box's width (from a ResizeObserver), the frame and the series `draw` returns for
 * its scales. `version` (the task shown) and the series count are data attributes the e2e
 * tests wait on.
 */
function SvgChart({
  version,
  axes,
  series,
  draw,
  legend,
  label,
}: {
  version: string;
  axes: Axes;
  series: number;
  draw: (s: ReturnType<typeof scales>) => ReactNode;
  legend: LegendEntry[];
  label: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = box.current!;
    // the first callback comes after layout (no forced synchronous layout), before paint
    const ro = new ResizeObserver(([e]) => setWidth(Math.floor(e!.contentRect.width)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const s = width > 0 ? scales(axes, width) : null;
  return (
    <>
      <div
        ref={box}
        className="paper-chart-box"
        style={{ height: HEIGHT }}
        data-version={version}
        data-series={series}
        data-drawn={s ? 'true' : 'false'}
      >
        {s && (
          <svg className="paper-svg" width={width} height={HEIGHT} role="img" aria-label={label}>
            <Frame a={axes} s={s} />
            <g className="paper-series">{draw(s)}</g>
          </svg>
        )}
      </div>
      <ul className="paper-legend">
        {legend.map((l) => (
          <li key={l.label}>
            <i
              className={`key key-${l.kind ?? 'line'}`}
              style={{ background: l.kind === 'ring' ? '#fff' : l.color, borderColor: l.color }}
            />
            {l.label}
          </li>
        ))}
      </ul>
    </>
  );
}

const compact = (v: number) => (v >= 1000 ? `${+(v / 1000).toFixed(1)}k` : String(v));

/** "Nice" ticks from 0 to at least max: 4–6 of them. */
export function niceTicks(max: number): number[] {
  const raw = Math.max(max, 1) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw)!;
  return Array.from({ length: Math.ceil(max / step) + 1 }, (_, i) => +(i * step).toPrecision(6));
}

/** At most about `max` points, the last always kept (the bundle keeps 200; a chart this size needs fewer). */
export const thin = <T,>(xs: T[], max = 150): T[] =>
  xs.length <= max ? xs : xs.filter((_, i) => i % Math.ceil(xs.length / max) === 0 || i === xs.length - 1);

const SHORT_LABELS: Record<string, string> = {
  Standard: 'Std',
  'GrokFast-MA': 'MA',
  'GrokFast-EMA': 'EMA',
  NeuralGrok: 'NG',
  Matched: 'Match',
};
const shortLabel = (m: PaperMethod) => PAPER_METHOD_LABELS[m].replace('Matched normalization', 'Matched');

/** Seeds in one band spread a little sideways, so equal figures stay visible. */
const jitter = (i: number, n: number) => (n <= 1 ? 0 : (i / (n - 1) - 0.5) * 0.3);

/** Paper vs ours per method (grouped bars), each seed a dot; a seed that never reached sits at its budget as a ring. */
export function StepsBarChart({
  task,
  cells,
  yours,
}: {
  task: PaperTask;
  cells: PaperCell[];
  yours: { method: PaperMethod; steps: number }[];
}) {
  const row = cells.filter((c) => c.task === task);
  const bars = row.map((c) => ({
    label: shortLabel(c.method),
    method: c.method,
    paper: c.paper && 'steps' in c.paper ? c.paper.steps : null,
    ours: c.median,
  }));
  const seeds = row.flatMap((c) =>
    c.seeds.map((s, i) => ({
      label: shortLabel(c.method),
      method: c.method,
      seed: s.seed,
      reached: s.stepsTo95 !== null,
      steps: s.stepsTo95 ?? s.steps,
      dx: jitter(i, c.seeds.length),
    })),
  );
  const mine = yours.map((y, i) => ({ label: shortLabel(y.method), steps: y.steps, dx: jitter(i, yours.length) }));
  const ticks = niceTicks(
    Math.max(...bars.map((d) => Math.max(d.paper ?? 0, d.ours ?? 0)), ...seeds.map((n) => n.steps), ...mine.map((m) => m.steps)),
  );
  const axes: Axes = {
    x: { type: 'category', categories: bars.map((b) => b.label), short: (l) => SHORT_LABELS[l] ?? l },
    y: { domain: [0, ticks.at(-1)!], ticks, width: 44, format: compact },
  };
  const never = seeds.some((s) => !s.reached);
  return (
    <SvgChart
      version={task}
      axes={axes}
      series={bars.length}
      label={`Steps to 95 % validation accuracy on ${task}: the paper's figure and our median per method`}
      draw={(s) => {
        const w = s.band * 0.36;
        const mid = (label: string, dx = 0) => s.bandStart(label) + s.band * (0.5 + dx);
        return (
          <>
            {bars.map((b) => (
              <g key={b.label}>
                {b.paper !== null && (
                  <rect
                    className="paper-bar paper-bar-paper"
                    x={mid(b.label) - w}
                    y={s.y(b.paper)}
                    width={w}
                    height={s.p.bottom - s.y(b.paper)}
                    fill="#9aa7b8"
                  >
                    <title>{`${PAPER_METHOD_LABELS[b.method]}: paper ${b.paper} steps`}</title>
                  </rect>
                )}
                {b.ours !== null && (
                  <rect
                    className="paper-bar paper-bar-ours"
                    x={mid(b.label)}
                    y={s.y(b.ours)}
                    width={w}
                    height={s.p.bottom - s.y(b.ours)}
                    fill="#2a6fb0"
                  >
                    <title>{`${PAPER_METHOD_LABELS[b.method]}: our median ${b.ours} steps`}</title>
                  </rect>
                )}
              </g>
            ))}
            {seeds.map((d) => (
              <circle
                key={`${d.label}-${d.seed}`}
                className={`paper-seed ${d.reached ? 'paper-seed-reached' : 'paper-seed-never'}`}
                cx={mid(d.label, d.dx * 0.5 + 0.18)}
                cy={s.y(d.steps)}
                r={3.5}
                fill={d.reached ? '#111' : '#fff'}
                stroke={d.reached ? 'none' : '#c0392b'}
                strokeWidth={1.5}
              >
                <title>{`${PAPER_METHOD_LABELS[d.method]}, seed ${d.seed}: ${d.reached ? `95 % at step ${d.steps}` : `not within ${d.steps} steps`}`}</title>
              </circle>
            ))}
            {mine.map((m, i) => {
              const cx = mid(m.label, m.dx * 0.5 - 0.18);
              const cy = s.y(m.steps);
              return (
                <path
                  key={i}
                  className="paper-seed paper-seed-yours"
                  d={`M${cx},${cy - 5}L${cx + 5},${cy}L${cx},${cy + 5}L${cx - 5},${cy}Z`}
                  fill="#e67e22"
                >
                  <title>{`yours: 95 % at step ${m.steps}`}</title>
                </path>
              );
            })}
          </>
        );
      }}
      legend={[
        { label: 'paper', color: '#9aa7b8', kind: 'bar' },
        { label: 'ours (median)', color: '#2a6fb0', kind: 'bar' },
        { label: 'a seed', color: '#111', kind: 'dot' },
        ...(never ? [{ label: 'a seed that did not reach 95 % (at its budget)', color: '#c0392b', kind: 'ring' as const }] : []),
        ...(mine.length ? [{ label: 'yours', color: '#e67e22', kind: 'dot' as const }] : []),
      ]}
    />
  );
}

/** Validation accuracy over steps, one line per method and seed (seed 0 bold). */
export function ValAccuracyChart({ task, curves }: { task: PaperTask; curves: PaperCurve[] }) {
  const mine = curves.filter((c) => c.task === task);
  const ticks = niceTicks(Math.max(10, ...mine.map((c) => c.step.at(-1) ?? 0)));
  const methods = [...new Set(mine.map((c) => c.method))];
  return (
    <SvgChart
      version={task}
      axes={{
        x: { type: 'number', domain: [0, ticks.at(-1)!], ticks, format: compact },
        y: { domain: [0, 1], ticks: [0, 0.25, 0.5, 0.75, 1], width: 36 },
      }}
      series={mine.length}
      label={`Validation accuracy over steps on ${task}, one line per method and seed`}
      draw={(s) =>
        mine.map((c) => {
          const points = thin(c.step.flatMap((step, i) => (c.valAcc[i] == null ? [] : [[step, c.valAcc[i]!] as const])));
          return (
            <path
              key={`${c.method}-${c.seed}`}
              className="paper-line"
              d={pathOf(points.map(([st, v]) => [s.x(st), s.y(v)]))}
              fill="none"
              stroke={paperColor(c.method)}
              strokeWidth={c.seed === 0 ? 2 : 1}
              strokeOpacity={c.seed === 0 ? 1 : 0.5}
              strokeLinejoin="round"
            >
              <title>{`${PAPER_METHOD_LABELS[c.method]}, seed ${c.seed}`}</title>
            </path>
          );
        })
      }
      legend={methods.map((m) => ({ label: PAPER_METHOD_LABELS[m], color: paperColor(m) }))}
    />
  );
}

/** N·w std over steps per ablation arm (log scale: a uniform amplifier sits near 1e-4). */
export function AmplifierStdChart({ ablation }: { ablation: Ablation }) {
  const lines = ablation.arms.flatMap((a, i) =>
    a.curves.map((c) => ({
      key: `${a.arm}-${c.seed}`,
      name: `${a.label}, seed ${c.seed}`,
      color: ABLATION_COLORS[i % ABLATION_COLORS.length]!,
      points: thin(c.step.flatMap((step, j) => (c.nwStd[j] != null && c.nwStd[j]! > 0 ? [[step, c.nwStd[j]!] as const] : []))),
    })),
  );
  if (!lines.length) return <p className="note">No NeuralGrok run with amplifier diagnostics yet.</p>;
  const values = lines.flatMap((l) => l.points.map(([, v]) => v));
  const lo = Math.floor(Math.log10(Math.min(...values)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...values))));
  const yTicks = Array.from({ length: hi - lo + 1 }, (_, i) => 10 ** (lo + i));
  const xTicks = niceTicks(Math.max(10, ...lines.map((l) => l.points.at(-1)?.[0] ?? 0)));
  return (
    <SvgChart
      version="ablation"
      axes={{
        x: { type: 'number', domain: [0, xTicks.at(-1)!], ticks: xTicks, format: compact },
        y: { domain: [yTicks[0]!, yTicks.at(-1)!], ticks: yTicks, width: 48, scale: 'log', format: (v) => v.toExponential(0) },
      }}
      series={lines.length}
      label="Standard deviation of N·w over steps per ablation arm, log scale"
      draw={(s) =>
        lines.map((l) => (
          <path
            key={l.key}
            className="paper-line"
            d={pathOf(l.points.map(([st, v]) => [s.x(st), s.y(v)]))}
            fill="none"
            stroke={l.color}
            strokeWidth={1.5}
          >
            <title>{l.name}</title>
          </path>
        ))
      }
      legend={lines.map((l) => ({ label: l.name, color: l.color }))}
    />
  );
}
