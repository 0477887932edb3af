/**
 * The charts of "The paper, checked", on recharts (issue 32): the paper's figure and our median
 * per method as bars with a dot per seed, validation accuracy over steps, and the amplifier
 * ablation. These charts change on a click (open the view, switch the task), so their bar is the
 * interaction's latency — ≤ 200 ms from input to the next paint, measured in Chromium by
 * tests/e2e/paper.test.ts — not the live training page's 50 ms rule (docs/decisions.md).
 * Animation is off: a click shows its answer at once. Each series keeps a `<title>` (the hover
 * text a screen reader reads too) beside recharts' own tooltip.
 */
import { memo, useDeferredValue, useEffect, useRef, useState, type ReactNode } from 'react';
import { Bar, CartesianGrid, ComposedChart, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { Ablation } from '../../paper/ablation';
import type { PaperCell, PaperCurve } from '../../paper/table';
import { PAPER_METHOD_LABELS, type PaperMethod, type PaperTask } from '../../paper/table1';
import { paperColor } from './paper-links';
import { niceTicks } from '../charts/scales';

const HEIGHT = 240;
const MARGIN = { top: 8, right: 14, bottom: 4, left: 4 };
const ABLATION_COLORS = ['#d62728', '#2ca02c', '#17becf', '#bcbd22', '#8c564b', '#e377c2'];
const AXIS_TICK = { fontSize: 11, fill: '#555' };

/**
 * A chart that follows its props at the urgency of a transition: a click (a task's tab) paints
 * its own change first, and the chart redraws right after, time-sliced by React instead of in
 * the click's task (and a chart whose props did not change is not redrawn at all).
 */
function deferred<P extends object>(Inner: (props: P) => ReactNode): (props: P) => ReactNode {
  const Chart = memo(Inner);
  return function Deferred(props: P) {
    const later = useDeferredValue(props);
    return <Chart {...later} />;
  };
}

interface LegendEntry {
  label: string;
  color: string;
  kind?: 'line' | 'dot' | 'ring' | 'bar';
}

/**
 * A chart's box: its width from a ResizeObserver (the chart gets it as a number, so the first
 * render draws at once), and data attributes the e2e tests wait on: `version` (the task shown),
 * the series count and whether it is drawn.
 */
function ChartBox({
  version,
  series,
  legend,
  children,
}: {
  version: string;
  series: number;
  legend: LegendEntry[];
  children: (width: number) => ReactNode;
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
  return (
    <>
      <div
        ref={box}
        className="paper-chart-box"
        style={{ height: HEIGHT }}
        data-version={version}
        data-series={series}
        data-drawn={width > 0 ? 'true' : 'false'}
      >
        {width > 0 && children(width)}
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

/** Ticks from 0 to at least max: 4–6 of them (quarter steps allowed: 0, 2 500, 5 000…). */
export const axisTicks = (max: number): number[] => niceTicks(0, max, 5, { cover: true, factors: [1, 2, 2.5, 5, 10] });

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

/** What recharts hands a custom bar shape or dot. */
interface ShapeProps {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  cx?: number;
  cy?: number;
  index?: number;
  value?: unknown;
}

interface BarRow {
  label: string;
  method: PaperMethod;
  paper: number | null;
  ours: number | null;
  /** Seed i's steps (to 95 %, or its budget when it never reached), for the seed dots. */
  [seed: `s${number}`]: number | null;
  [yours: `y${number}`]: number | null;
}

/** Paper vs ours per method (grouped bars), each seed a dot; a seed that never reached sits at its budget as a ring. */
export const StepsBarChart = deferred(function StepsBarChart({
  task,
  cells,
  yours,
}: {
  task: PaperTask;
  cells: PaperCell[];
  yours: { method: PaperMethod; steps: number }[];
}) {
  const row = cells.filter((c) => c.task === task);
  const seedSlots = Math.max(0, ...row.map((c) => c.seeds.length));
  const mineBy = (m: PaperMethod) => yours.filter((y) => y.method === m);
  const yourSlots = Math.max(0, ...row.map((c) => mineBy(c.method).length));
  const data: BarRow[] = row.map((c) => {
    const r: BarRow = {
      label: shortLabel(c.method),
      method: c.method,
      paper: c.paper && 'steps' in c.paper ? c.paper.steps : null,
      ours: c.median,
    };
    c.seeds.forEach((s, i) => (r[`s${i}`] = s.stepsTo95 ?? s.steps));
    mineBy(c.method).forEach((y, i) => (r[`y${i}`] = y.steps));
    return r;
  });
  const max = Math.max(0, ...data.flatMap((d) => Object.values(d).filter((v): v is number => typeof v === 'number')));
  const ticks = axisTicks(max);
  const never = row.some((c) => c.seeds.some((s) => s.stepsTo95 === null));
  const bars = (key: 'paper' | 'ours', fill: string, what: (v: number) => string) => (props: unknown) => {
    const { x = 0, y = 0, width = 0, height = 0, index = 0 } = props as ShapeProps;
    const d = data[index]!;
    const v = d[key];
    if (v === null) return <g />;
    return (
      <rect className={`paper-bar paper-bar-${key}`} x={x} y={y} width={width} height={height} fill={fill}>
        <title>{`${PAPER_METHOD_LABELS[d.method]}: ${what(v)}`}</title>
      </rect>
    );
  };
  return (
    <ChartBox
      version={task}
      series={data.length}
      legend={[
        { label: 'paper', color: '#9aa7b8', kind: 'bar' },
        { label: 'ours (median)', color: '#2a6fb0', kind: 'bar' },
        { label: 'a seed', color: '#111', kind: 'dot' },
        ...(never ? [{ label: 'a seed that did not reach 95 % (at its budget)', color: '#c0392b', kind: 'ring' as const }] : []),
        ...(yours.length ? [{ label: 'yours', color: '#e67e22', kind: 'dot' as const }] : []),
      ]}
    >
      {(width) => {
        // a band's width in pixels: the seed dots spread within their band
        const band = (width - MARGIN.left - MARGIN.right - 44) / Math.max(1, data.length);
        const seedDot = (slot: number) => (props: unknown) => {
          const { cx = 0, cy, index = 0 } = props as ShapeProps;
          const c = row[index];
          const seed = c?.seeds[slot];
          if (!c || !seed || cy == null) return <g key={`s${slot}-${index}`} />;
          const reached = seed.stepsTo95 !== null;
          return (
            <circle
              key={`s${slot}-${index}`}
              className={`paper-seed ${reached ? 'paper-seed-reached' : 'paper-seed-never'}`}
              cx={cx + band * (jitter(slot, c.seeds.length) * 0.5 + 0.18)}
              cy={cy}
              r={3.5}
              fill={reached ? '#111' : '#fff'}
              stroke={reached ? 'none' : '#c0392b'}
              strokeWidth={1.5}
            >
              <title>{`${PAPER_METHOD_LABELS[c.method]}, seed ${seed.seed}: ${reached ? `95 % at step ${seed.stepsTo95}` : `not within ${seed.steps} steps`}`}</title>
            </circle>
          );
        };
        const yourDot = (slot: number) => (props: unknown) => {
          const { cx = 0, cy, index = 0 } = props as ShapeProps;
          const c = row[index];
          const mine = c ? mineBy(c.method) : [];
          const m = mine[slot];
          if (!m || cy == null) return <g key={`y${slot}-${index}`} />;
          const x = cx + band * (jitter(slot, mine.length) * 0.5 - 0.18);
          return (
            <path
              key={`y${slot}-${index}`}
              className="paper-seed paper-seed-yours"
              d={`M${x},${cy - 5}L${x + 5},${cy}L${x},${cy + 5}L${x - 5},${cy}Z`}
              fill="#e67e22"
            >
              <title>{`yours: 95 % at step ${m.steps}`}</title>
            </path>
          );
        };
        return (
          <ComposedChart
            width={width}
            height={HEIGHT}
            data={data}
            margin={MARGIN}
            barCategoryGap="28%"
            barGap={0}
            accessibilityLayer
            title={`Steps to 95 % validation accuracy on ${task}: the paper's figure and our median per method`}
          >
            <CartesianGrid strokeDasharray="3 3" stroke="#e3e6ec" vertical={false} />
            <XAxis dataKey="label" tick={AXIS_TICK} interval={0} tickFormatter={(l: string) => (band < 80 ? (SHORT_LABELS[l] ?? l) : l)} />
            <YAxis width={44} tick={AXIS_TICK} domain={[0, ticks.at(-1)!]} ticks={ticks} tickFormatter={compact} />
            <Tooltip isAnimationActive={false} cursor={{ fill: 'rgba(0,0,0,0.04)' }} />
            <Bar
              dataKey="paper"
              name="paper"
              fill="#9aa7b8"
              isAnimationActive={false}
              shape={bars('paper', '#9aa7b8', (v) => `paper ${v} steps`)}
            />
            <Bar
              dataKey="ours"
              name="ours (median)"
              fill="#2a6fb0"
              isAnimationActive={false}
              shape={bars('ours', '#2a6fb0', (v) => `our median ${v} steps`)}
            />
            {Array.from({ length: seedSlots }, (_, i) => (
              <Line
                key={`s${i}`}
                dataKey={`s${i}`}
                name={`seed ${i + 1}`}
                stroke="none"
                legendType="none"
                isAnimationActive={false}
                dot={seedDot(i)}
                activeDot={false}
                tooltipType="none"
              />
            ))}
            {Array.from({ length: yourSlots }, (_, i) => (
              <Line
                key={`y${i}`}
                dataKey={`y${i}`}
                name="yours"
                stroke="none"
                isAnimationActive={false}
                dot={yourDot(i)}
                activeDot={false}
                tooltipType="none"
              />
            ))}
          </ComposedChart>
        );
      }}
    </ChartBox>
  );
});

/** Lines over steps on a shared number axis, each with its own points (recharts reads a line's own `data`). */
function StepLines({
  width,
  lines,
  xMax,
  y,
  label,
}: {
  width: number;
  lines: { key: string; name: string; color: string; strokeWidth: number; opacity: number; points: { step: number; v: number }[] }[];
  xMax: number;
  y: { domain: [number, number]; ticks: number[]; width: number; scale?: 'log'; format?: (v: number) => string };
  label: string;
}) {
  const xTicks = axisTicks(xMax);
  return (
    <LineChart width={width} height={HEIGHT} margin={MARGIN} title={label} accessibilityLayer>
      <CartesianGrid strokeDasharray="3 3" stroke="#e3e6ec" />
      <XAxis
        type="number"
        dataKey="step"
        domain={[0, xTicks.at(-1)!]}
        ticks={xTicks}
        tickFormatter={compact}
        tick={AXIS_TICK}
        allowDuplicatedCategory={false}
      />
      <YAxis
        width={y.width}
        tick={AXIS_TICK}
        domain={y.domain}
        ticks={y.ticks}
        scale={y.scale ?? 'auto'}
        tickFormatter={y.format}
        allowDataOverflow
      />
      {lines.map((l) => (
        <Line
          key={l.key}
          className="paper-line"
          data={l.points}
          dataKey="v"
          name={l.name}
          type="linear"
          stroke={l.color}
          strokeWidth={l.strokeWidth}
          strokeOpacity={l.opacity}
          dot={false}
          activeDot={false}
          isAnimationActive={false}
        />
      ))}
    </LineChart>
  );
}

/** Validation accuracy over steps, one line per method and seed (seed 0 bold). */
export const ValAccuracyChart = deferred(function ValAccuracyChart({ task, curves }: { task: PaperTask; curves: PaperCurve[] }) {
  const mine = curves.filter((c) => c.task === task);
  const methods = [...new Set(mine.map((c) => c.method))];
  const lines = mine.map((c) => ({
    key: `${c.method}-${c.seed}`,
    name: `${PAPER_METHOD_LABELS[c.method]}, seed ${c.seed}`,
    color: paperColor(c.method),
    strokeWidth: c.seed === 0 ? 2 : 1,
    opacity: c.seed === 0 ? 1 : 0.5,
    points: thin(c.step.flatMap((step, i) => (c.valAcc[i] == null ? [] : [{ step, v: c.valAcc[i]! }]))),
  }));
  return (
    <ChartBox version={task} series={mine.length} legend={methods.map((m) => ({ label: PAPER_METHOD_LABELS[m], color: paperColor(m) }))}>
      {(width) => (
        <StepLines
          width={width}
          lines={lines}
          xMax={Math.max(10, ...mine.map((c) => c.step.at(-1) ?? 0))}
          y={{ domain: [0, 1], ticks: [0, 0.25, 0.5, 0.75, 1], width: 36 }}
          label={`Validation accuracy over steps on ${task}, one line per method and seed`}
        />
      )}
    </ChartBox>
  );
});

/** N·w std over steps per ablation arm (log scale: a uniform amplifier sits near 1e-4). */
export const AmplifierStdChart = deferred(function AmplifierStdChart({ ablation }: { ablation: Ablation }) {
  const lines = ablation.arms.flatMap((a, i) =>
    a.curves.map((c) => ({
      key: `${a.arm}-${c.seed}`,
      name: `${a.label}, seed ${c.seed}`,
      color: ABLATION_COLORS[i % ABLATION_COLORS.length]!,
      strokeWidth: 1.5,
      opacity: 1,
      points: thin(c.step.flatMap((step, j) => (c.nwStd[j] != null && c.nwStd[j]! > 0 ? [{ step, v: c.nwStd[j]! }] : []))),
    })),
  );
  if (!lines.length) return <p className="note">No NeuralGrok run with amplifier diagnostics yet.</p>;
  const values = lines.flatMap((l) => l.points.map((p) => p.v));
  const lo = Math.floor(Math.log10(Math.min(...values)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...values))));
  const yTicks = Array.from({ length: hi - lo + 1 }, (_, i) => 10 ** (lo + i));
  return (
    <ChartBox version="ablation" series={lines.length} legend={lines.map((l) => ({ label: l.name, color: l.color }))}>
      {(width) => (
        <StepLines
          width={width}
          lines={lines}
          xMax={Math.max(10, ...lines.map((l) => l.points.at(-1)?.step ?? 0))}
          y={{ domain: [yTicks[0]!, yTicks.at(-1)!], ticks: yTicks, width: 48, scale: 'log', format: (v) => v.toExponential(0) }}
          label="Standard deviation of N·w over steps per ablation arm, log scale"
        />
      )}
    </ChartBox>
  );
});
