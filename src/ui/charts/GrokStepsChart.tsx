/**
 * Steps to val ≥ 0.95 per run or per method, as bars (recharts), each seed a dot: the compare
 * summary and the multi-seed summary. It changes when a run groks, not with every metric batch
 * (the key below holds only what it draws), so it is a click-time chart (issue 32), animation off.
 */
import { memo } from 'react';
import { Bar, CartesianGrid, Cell, ComposedChart, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from 'recharts';

export interface GrokStepsRow {
  label: string;
  color: string;
  /** The bar: steps to val ≥ 0.95 (a run's, or a method's median); null while not reached. */
  steps: number | null;
  /** Each seed's steps to val ≥ 0.95, for the dots (a multi-seed summary). */
  seeds?: number[];
}

const HEIGHT = 180;

function GrokStepsChartInner({ rows, testId, title }: { rows: GrokStepsRow[]; testId: string; title: string }) {
  const data = rows.map((r) => ({ label: r.label, steps: r.steps }));
  const dots = rows.flatMap((r) => (r.seeds ?? []).map((s) => ({ label: r.label, seed: s })));
  const reached = rows.filter((r) => r.steps !== null).length;
  return (
    <figure className="grok-steps-chart" data-testid={testId} data-reached={reached}>
      <figcaption className="note">
        {title}
        {reached === 0 ? ' — no run has got there yet.' : ''}
      </figcaption>
      <ResponsiveContainer width="100%" height={reached === 0 ? 60 : HEIGHT} initialDimension={{ width: 520, height: HEIGHT }}>
        <ComposedChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }} title={title}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e6ec" vertical={false} />
          <XAxis dataKey="label" type="category" allowDuplicatedCategory={false} interval={0} tick={{ fontSize: 11 }} />
          <YAxis width={48} tick={{ fontSize: 11 }} allowDecimals={false} />
          <Tooltip isAnimationActive={false} formatter={(v) => [v === null ? 'not yet' : String(v), 'steps to 0.95']} />
          <Bar dataKey="steps" name="steps to val ≥ 0.95" isAnimationActive={false} maxBarSize={48}>
            {rows.map((r) => (
              <Cell key={r.label} fill={r.color} />
            ))}
          </Bar>
          {dots.length > 0 && <Scatter data={dots} dataKey="seed" name="a seed" fill="#111" isAnimationActive={false} />}
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** Redrawn only when what it draws changes (labels, colours, steps), not on every metric batch. */
const GrokStepsChart = memo(
  GrokStepsChartInner,
  (a, b) => a.testId === b.testId && a.title === b.title && JSON.stringify(a.rows) === JSON.stringify(b.rows),
);

export default GrokStepsChart;
