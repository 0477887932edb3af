/**
 * The charts of "The paper, checked", in recharts: they change only when a task is chosen, so
 * recharts' cost is paid rarely; the live 10 Hz curves keep their own SVG path
 * (docs/decisions.md). Kept under 50 ms of main thread per task on the loaded 2-core machine:
 *
 * - recharts draws a chart synchronously (its items register through a store in layout effects)
 *   and the cost grows with what it holds: one chart of eleven curves was a 65–130 ms task, one
 *   of one curve well under 50. So each chart is **layers**: the frame (grid, ticks, labels) is
 *   plain SVG drawn at once from the same domains, and each series is a transparent recharts
 *   chart on top (axes hidden, same size, margins and domains), mounted one per task;
 * - animations off, no tooltip, a fixed size measured once (no ResponsiveContainer), HTML legends.
 */
import { startTransition, useEffect, useLayoutEffect, useRef, useState, type ReactElement } from 'react';
import { Bar, ComposedChart, Line, Scatter, XAxis, YAxis } from 'recharts';
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
  /** Category data (bars), or none for numeric x. */
  data?: Record<string, unknown>[];
  x: {
    dataKey: string;
    type: 'number' | 'category';
    domain?: [number, number];
    ticks?: number[];
    format?: (v: number | string) => string;
    /** A category's label where its band is narrow (a phone). */
    short?: (label: string) => string;
  };
  y: { domain: [number, number]; ticks: number[]; width: number; scale?: 'log'; format?: (v: number | string) => string };
}

/** The plot area inside the margins and the axes' room. */
const plotArea = (width: number, yWidth: number) => ({
  left: MARGIN.left + yWidth,
  right: width - MARGIN.right,
  top: MARGIN.top,
  bottom: HEIGHT - MARGIN.bottom - X_HEIGHT,
});

/** The frame as plain SVG: horizontal grid lines at the y ticks, x ticks (vertical lines for numbers), labels. */
function Frame({ a, width }: { a: Axes; width: number }) {
  const p = plotArea(width, a.y.width);
  const [y0, y1] = a.y.domain;
  const f = a.y.scale === 'log' ? Math.log10 : (v: number) => v;
  const sy = (v: number) => p.bottom - ((f(v) - f(y0)) / (f(y1) - f(y0))) * (p.bottom - p.top);
  const categories = a.data?.map((d) => String(d[a.x.dataKey])) ?? [];
  const band = categories.length ? (p.right - p.left) / categories.length : 0;
  const [x0, x1] = a.x.domain ?? [0, 1];
  const sx = (v: number) => p.left + ((v - x0) / (x1 - x0)) * (p.right - p.left);
  const fy = a.y.format ?? String;
  const fx = a.x.format ?? String;
  const xs: [number, string][] =
    a.x.type === 'category'
      ? categories.map((c, i) => [p.left + (i + 0.5) * band, band < 80 ? (a.x.short?.(c) ?? c) : c])
      : (a.x.ticks ?? []).map((t) => [sx(t), fx(t)]);
  return (
    <svg className="paper-frame" width={width} height={HEIGHT} aria-hidden="true">
      {a.y.ticks.map((t) => (
        <g key={`y${t}`}>
          <line x1={p.left} x2={p.right} y1={sy(t)} y2={sy(t)} stroke="#e3e6ec" strokeDasharray="3 3" />
          <text x={p.left - 4} y={sy(t) + 4} textAnchor="end" fontSize={11} fill="#555">
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
    </svg>
  );
}

/** The hidden axes of a layer: the frame's scales, no space taken. */
function hiddenAxes(a: Axes) {
  return [
    <XAxis
      key="x"
      hide
      dataKey={a.x.dataKey}
      type={a.x.type}
      allowDuplicatedCategory={false}
      // a band per category in every layer, as the bars have (the frame's labels sit at its centre)
      {...(a.x.type === 'category' ? { scale: 'band' as const } : {})}
      {...(a.x.domain ? { domain: a.x.domain, allowDataOverflow: true } : {})}
      tickCount={2}
    />,
    <YAxis key="y" hide type="number" domain={a.y.domain} allowDataOverflow tickCount={2} {...(a.y.scale ? { scale: a.y.scale } : {})} />,
  ];
}

/** One recharts layer as drawn: its series with the axes they were drawn for. */
interface Slot {
  version: string;
  axes: Axes;
  series: ReactElement[];
}

/**
 * A chart as layers: the frame at once, then each of `layers` (a series, or a few drawn
 * together, like grouped bars) in a recharts chart of its own on top, one per task. When
 * `version` changes (another task), the layers are updated in place one per task, not
 * remounted (unmounting a dozen charts in one commit was itself a long task); a layer not yet
 * updated is hidden. Width measured from the box (and on resize).
 */
function LayeredChart({
  version,
  axes: a,
  layers,
  legend,
}: {
  version: string;
  axes: Axes;
  layers: ReactElement[][];
  legend: LegendEntry[];
}) {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [slots, setSlots] = useState<Slot[]>([]);
  useLayoutEffect(() => {
    const el = box.current!;
    const ro = new ResizeObserver(([e]) => setWidth(Math.floor(e!.contentRect.width)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  // the next slot to bring up to date: update it, or drop the last one if there are too many
  const next = slots.findIndex((sl) => sl.version !== version);
  const pending = next >= 0 ? next : slots.length < layers.length ? slots.length : slots.length > layers.length ? -2 : -1;
  useEffect(() => {
    if (width === 0 || pending === -1) return;
    const t = window.setTimeout(
      () =>
        startTransition(() =>
          setSlots((old) => {
            if (pending === -2) return old.slice(0, -1);
            if (pending >= layers.length) return old.slice(0, pending);
            const copy = old.slice();
            copy[pending] = { version, axes: a, series: layers[pending]! };
            return copy;
          }),
        ),
      0,
    );
    return () => window.clearTimeout(t);
  }, [width, pending, version, a, layers]);
  const done = slots.filter((sl) => sl.version === version).length;
  return (
    <>
      <div
        ref={box}
        className="paper-chart-box"
        style={{ height: HEIGHT }}
        data-version={version}
        data-layers={layers.length}
        data-shown={done}
      >
        {width > 0 && <Frame a={a} width={width} />}
        {width > 0 &&
          slots.map((sl, i) => {
            const p = plotArea(width, sl.axes.y.width);
            const inner = { top: p.top, left: p.left, right: MARGIN.right, bottom: HEIGHT - p.bottom };
            return (
              <div key={i} className="paper-layer" style={{ visibility: sl.version === version ? 'visible' : 'hidden' }}>
                <ComposedChart width={width} height={HEIGHT} data={sl.axes.data} margin={inner}>
                  {hiddenAxes(sl.axes)}
                  {sl.series}
                </ComposedChart>
              </div>
            );
          })}
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

const compact = (v: number | string) => (typeof v === 'number' && v >= 1000 ? `${+(v / 1000).toFixed(1)}k` : String(v));

/** "Nice" ticks from 0 to at least max: 4–6 of them. */
function niceTicks(max: number): number[] {
  const raw = Math.max(max, 1) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw)!;
  return Array.from({ length: Math.ceil(max / step) + 1 }, (_, i) => +(i * step).toPrecision(6));
}

/** At most about `max` points (the bundle keeps 200; a chart this size needs fewer). */
const thin = <T,>(xs: T[], max = 100): T[] =>
  xs.length <= max ? xs : xs.filter((_, i) => i % Math.ceil(xs.length / max) === 0 || i === xs.length - 1);

const SHORT_LABELS: Record<string, string> = {
  Standard: 'Std',
  'GrokFast-MA': 'MA',
  'GrokFast-EMA': 'EMA',
  NeuralGrok: 'NG',
  Matched: 'Match',
};
const shortLabel = (m: PaperMethod) => PAPER_METHOD_LABELS[m].replace('Matched normalization', 'Matched');

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
  const data = row.map((c) => ({
    label: shortLabel(c.method),
    paper: c.paper && 'steps' in c.paper ? c.paper.steps : null,
    ours: c.median,
  }));
  const reached = row.flatMap((c) =>
    c.seeds.filter((s) => s.stepsTo95 !== null).map((s) => ({ label: shortLabel(c.method), seed: s.stepsTo95 })),
  );
  const never = row.flatMap((c) =>
    c.seeds.filter((s) => s.stepsTo95 === null).map((s) => ({ label: shortLabel(c.method), seed: s.steps })),
  );
  const mine = yours.map((y) => ({ label: shortLabel(y.method), seed: y.steps }));
  const ticks = niceTicks(
    Math.max(...data.map((d) => Math.max(d.paper ?? 0, d.ours ?? 0)), ...never.map((n) => n.seed), ...mine.map((m) => m.seed)),
  );
  const layers = [
    [
      <Bar key="paper" dataKey="paper" fill="#9aa7b8" isAnimationActive={false} />,
      <Bar key="ours" dataKey="ours" fill="#2a6fb0" isAnimationActive={false} />,
    ],
    [<Scatter key="reached" data={reached} dataKey="seed" fill="#111" isAnimationActive={false} />],
    ...(never.length ? [[<Scatter key="never" data={never} dataKey="seed" fill="#fff" stroke="#c0392b" isAnimationActive={false} />]] : []),
    ...(mine.length ? [[<Scatter key="yours" data={mine} dataKey="seed" fill="#e67e22" shape="diamond" isAnimationActive={false} />]] : []),
  ];
  return (
    <LayeredChart
      version={task}
      axes={{
        data,
        x: { dataKey: 'label', type: 'category', short: (l) => SHORT_LABELS[l] ?? l },
        y: { domain: [0, ticks.at(-1)!], ticks, width: 44, format: compact },
      }}
      layers={layers}
      legend={[
        { label: 'paper', color: '#9aa7b8', kind: 'bar' },
        { label: 'ours (median)', color: '#2a6fb0', kind: 'bar' },
        { label: 'a seed', color: '#111', kind: 'dot' },
        { label: 'a seed that did not reach 95 % (at its budget)', color: '#c0392b', kind: 'ring' },
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
    <LayeredChart
      version={task}
      axes={{
        x: { dataKey: 'step', type: 'number', domain: [0, ticks.at(-1)!], ticks, format: compact },
        y: { domain: [0, 1], ticks: [0, 0.25, 0.5, 0.75, 1], width: 36 },
      }}
      layers={mine.map((c) => [
        <Line
          key={`${c.method}-${c.seed}`}
          data={thin(c.step.map((step, i) => ({ step, v: c.valAcc[i] })))}
          dataKey="v"
          stroke={paperColor(c.method)}
          strokeWidth={c.seed === 0 ? 2 : 1}
          strokeOpacity={c.seed === 0 ? 1 : 0.5}
          dot={false}
          connectNulls
          isAnimationActive={false}
        />,
      ])}
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
      data: thin(c.step.map((step, j) => ({ step, v: c.nwStd[j] })).filter((p) => p.v != null && p.v > 0)),
    })),
  );
  if (!lines.length) return <p className="note">No NeuralGrok run with amplifier diagnostics yet.</p>;
  const values = lines.flatMap((l) => l.data.map((p) => p.v as number));
  const lo = Math.floor(Math.log10(Math.min(...values)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...values))));
  const yTicks = Array.from({ length: hi - lo + 1 }, (_, i) => 10 ** (lo + i));
  const xTicks = niceTicks(Math.max(10, ...lines.map((l) => l.data.at(-1)?.step ?? 0)));
  return (
    <LayeredChart
      version="ablation"
      axes={{
        x: { dataKey: 'step', type: 'number', domain: [0, xTicks.at(-1)!], ticks: xTicks, format: compact },
        y: { domain: [yTicks[0]!, yTicks.at(-1)!], ticks: yTicks, width: 48, scale: 'log', format: (v) => Number(v).toExponential(0) },
      }}
      layers={lines.map((l) => [<Line key={l.key} data={l.data} dataKey="v" stroke={l.color} dot={false} isAnimationActive={false} />])}
      legend={lines.map((l) => ({ label: l.name, color: l.color }))}
    />
  );
}
