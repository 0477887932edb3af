/** The Fourier spectrum's bars on recharts (FourierSpectrum.tsx loads this chunk lazily). */
import { Bar, BarChart, Cell, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

const H = 190;
const HIGHLIGHT = '#e6550d';
const BAR = '#6b8cae';

export default function FourierBars({
  data,
  ticks,
  top: topList,
}: {
  data: { k: number; norm: number; top: boolean }[];
  ticks: number[];
  top: readonly number[];
}) {
  const top = new Set(topList);
  return (
    <ResponsiveContainer width="100%" height={H} initialDimension={{ width: 480, height: H }}>
      <BarChart
        data={data}
        margin={{ top: 16, right: 8, bottom: 0, left: 0 }}
        barCategoryGap="20%"
        title="Fourier spectrum of the number embeddings"
      >
        <XAxis dataKey="k" ticks={ticks} interval={0} tick={{ fontSize: 10 }} />
        <YAxis width={40} tick={{ fontSize: 10 }} tickFormatter={(v: number) => v.toPrecision(2)} />
        <Tooltip isAnimationActive={false} formatter={(v) => [Number(v).toPrecision(3), '‖P_k E‖']} labelFormatter={(k) => `k = ${k}`} />
        <Bar dataKey="norm" isAnimationActive={false}>
          {data.map((d) => (
            <Cell key={d.k} fill={d.top ? HIGHLIGHT : BAR} />
          ))}
          <LabelList dataKey="k" position="top" fontSize={10} fill={HIGHLIGHT} formatter={(k) => (top.has(Number(k)) ? String(k) : '')} />
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}
