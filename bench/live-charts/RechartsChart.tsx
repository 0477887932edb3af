/**
 * The benchmark's recharts candidate (bench/live-charts.ts): the live chart's props drawn with
 * recharts, animation off, over the same decimation and scales as the app's chart; markers as
 * ReferenceLines, phase bands as ReferenceAreas, the hover readout as recharts' Tooltip.
 * Not used by the app.
 */
import { memo, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceArea, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { decimateMinMax } from '../../src/ui/charts/decimate';
import { niceTicks, tickLabels, yRange } from '../../src/ui/charts/scales';
import type { ChartBand, ChartMarker, LineSpec } from '../../src/ui/charts/MetricChart';

interface Props {
  title: string;
  testId: string;
  lines: LineSpec[];
  yLog?: boolean;
  xLog: boolean;
  yDomain?: [number, number];
  yLabel?: string;
  height?: number;
  markers?: ChartMarker[];
  bands?: ChartBand[];
  version: number;
}

function RechartsInner({ title, testId, lines, yLog = false, xLog, yDomain, yLabel, height = 260, markers = [], bands = [] }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const ro = new ResizeObserver(() => setWidth(Math.round(box.current!.clientWidth)));
    ro.observe(box.current!);
    return () => ro.disconnect();
  }, []);
  const view = useMemo(() => {
    // one row per step, one key per line (recharts joins on the row)
    const rows = new Map<number, Record<string, number>>();
    lines.forEach((l, i) =>
      decimateMinMax(l.x, l.y, 2000).forEach((p) => {
        if ((xLog && p.x <= 0) || (yLog && p.y <= 0)) return;
        const r = rows.get(p.x) ?? { x: p.x };
        r[`s${i}`] = p.y;
        rows.set(p.x, r);
      }),
    );
    const data = [...rows.values()].sort((a, b) => a.x! - b.x!);
    const ys = data.flatMap((r) => lines.map((_, i) => r[`s${i}`]).filter((v): v is number => v !== undefined));
    const xHi = Math.max(1, data.at(-1)?.x ?? 1);
    const xLo = xLog ? Math.max(1, data[0]?.x ?? 1) : 0;
    const [yLo, yHi] = ys.length ? yRange(ys, yLog, yDomain) : [0, 1];
    return {
      data,
      xLo,
      xHi,
      yLo,
      yHi,
      xTicks: niceTicks(xLo, xHi, width < 420 ? 3 : 5, { log: xLog }),
      yTicks: niceTicks(yLo, yHi, 4, { log: yLog }),
    };
  }, [lines, xLog, yLog, yDomain, width]);
  const fmt = (ticks: number[]) => {
    const labels = tickLabels(ticks);
    return (v: number) => labels[ticks.indexOf(v)] ?? String(v);
  };
  return (
    <section className="chart" data-testid={testId}>
      <h2>{title}</h2>
      <div ref={box} className="chart-box">
        {width > 0 && (
          <LineChart width={width} height={height} data={view.data} margin={{ top: 10, right: 16, bottom: 4, left: 8 }}>
            <CartesianGrid stroke="#eee" />
            <XAxis
              dataKey="x"
              type="number"
              scale={xLog ? 'log' : 'linear'}
              domain={[view.xLo, view.xHi]}
              ticks={view.xTicks}
              tickFormatter={fmt(view.xTicks)}
              allowDataOverflow
            />
            <YAxis
              type="number"
              scale={yLog ? 'log' : 'linear'}
              domain={[view.yLo, view.yHi]}
              ticks={view.yTicks}
              tickFormatter={fmt(view.yTicks)}
              label={{ value: yLabel, angle: -90 }}
              allowDataOverflow
            />
            {bands.map((b) => (
              <ReferenceArea
                key={`b${b.from}`}
                x1={Math.max(b.from, view.xLo)}
                x2={b.to}
                fill={b.color}
                fillOpacity={0.6}
                ifOverflow="hidden"
              />
            ))}
            {lines.map((l, i) => (
              <Line
                key={l.label}
                dataKey={`s${i}`}
                name={l.label}
                stroke={l.color}
                strokeDasharray={l.dash}
                dot={false}
                isAnimationActive={false}
                connectNulls
              />
            ))}
            {markers.map((m) => (
              <ReferenceLine
                key={`m${m.step}`}
                x={m.step}
                stroke={m.color ?? '#666'}
                strokeDasharray="6 3"
                label={{ value: m.label, position: 'insideTopLeft' }}
                ifOverflow="hidden"
              />
            ))}
            <Tooltip isAnimationActive={false} />
          </LineChart>
        )}
      </div>
    </section>
  );
}

export const RechartsChart = memo(
  RechartsInner,
  (a, b) => a.version === b.version && JSON.stringify([a.markers, a.bands]) === JSON.stringify([b.markers, b.bands]),
);
