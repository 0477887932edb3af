/**
 * What the live chart (MetricChart) shares with the hand-written SVG chart kept as the
 * benchmark's baseline (bench/live-charts/SvgChart.tsx): the phase legend and the memo rule.
 */
import type { ChartBand, ChartMarker } from './chart-layers';

/** The phases shaded in this chart, each once, in order: a swatch and the name, the rule as a tooltip. */
export function bandLegend(bands: readonly ChartBand[]) {
  const seen = [...new Map(bands.map((b) => [b.label, b])).values()];
  if (seen.length === 0) return null;
  return (
    <span className="band-legend" data-testid="phase-legend">
      shaded:{' '}
      {seen.map((b) => (
        <span key={b.label} className="band-key" title={b.meaning ?? b.label}>
          <i className="swatch" style={{ background: b.color }} /> {b.label}
        </span>
      ))}
    </span>
  );
}

/** The props a live chart redraws on. */
export interface ChartRedrawProps {
  version: number;
  xLog: boolean;
  yLog?: boolean;
  height?: number;
  placeholder?: string;
  lines: readonly { label: string; color: string }[];
  markers?: ChartMarker[];
  bands?: ChartBand[];
}

/** A chart re-renders only when the series version, the axes, the markers, the bands or the size change (React.memo's comparator). */
export const sameChartProps = (a: ChartRedrawProps, b: ChartRedrawProps): boolean =>
  a.version === b.version &&
  a.xLog === b.xLog &&
  a.yLog === b.yLog &&
  a.height === b.height &&
  a.placeholder === b.placeholder &&
  a.lines.length === b.lines.length &&
  a.lines.every((l, i) => l.label === b.lines[i]!.label && l.color === b.lines[i]!.color) &&
  JSON.stringify([a.markers, a.bands]) === JSON.stringify([b.markers, b.bands]);
