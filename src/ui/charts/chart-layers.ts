/**
 * The live charts' own layers as a uPlot plugin: phase bands under the curves, dashed marker
 * lines over them with their labels in lanes (marker-lanes.ts), and a marker's label as the
 * tooltip when the pointer is on its line (a label that fits no lane is still readable).
 */
import uPlot from 'uplot';
import { layoutMarkerLabels } from './marker-lanes';

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
  /** What the band means (the legend's tooltip). */
  meaning?: string;
}
export interface Layers {
  markers: readonly ChartMarker[];
  bands: readonly ChartBand[];
  fontSize: number;
}

/** `layers()` is read at every redraw, so new markers need only `u.redraw()`. */
export function layersPlugin(layers: () => Layers): uPlot.Plugin {
  // in CSS pixels, from the canvas's left edge
  const xAt = (u: uPlot, step: number) => u.bbox.left / uPlot.pxRatio + u.valToPos(step, 'x');
  const plot = (u: uPlot, draw: (ctx: CanvasRenderingContext2D, top: number, bottom: number, left: number, right: number) => void) => {
    const r = uPlot.pxRatio;
    const { left, top, width, height } = u.bbox;
    u.ctx.save();
    u.ctx.beginPath();
    u.ctx.rect(left, top, width, height);
    u.ctx.clip();
    u.ctx.scale(r, r);
    draw(u.ctx, top / r, (top + height) / r, left / r, (left + width) / r);
    u.ctx.restore();
  };
  const shown = (u: uPlot) => layers().markers.filter((m) => m.step >= (u.scales.x!.min ?? 0));
  return {
    hooks: {
      // after the grid, before the series: bands lie under the curves
      drawAxes: (u) =>
        plot(u, (ctx, top, bottom) => {
          ctx.globalAlpha = 0.6;
          for (const b of layers().bands) {
            const x0 = xAt(u, Math.max(b.from, u.scales.x!.min ?? b.from));
            ctx.fillStyle = b.color;
            ctx.fillRect(x0, top, Math.max(0, xAt(u, b.to) - x0), bottom - top);
          }
        }),
      draw: (u) =>
        plot(u, (ctx, top, bottom, left, right) => {
          const { fontSize } = layers();
          const markers = shown(u);
          ctx.setLineDash([6, 3]);
          ctx.lineWidth = 1;
          for (const m of markers) {
            ctx.strokeStyle = m.color ?? '#666';
            ctx.beginPath();
            ctx.moveTo(Math.round(xAt(u, m.step)) + 0.5, top);
            ctx.lineTo(Math.round(xAt(u, m.step)) + 0.5, bottom);
            ctx.stroke();
          }
          ctx.setLineDash([]);
          // laid out for presentation mode's larger text, so they stay apart there too
          const boxes = layoutMarkerLabels(
            markers.map((m) => ({ x: xAt(u, m.step), label: m.label })),
            { left: left + 2, right: right - 2, fontSize: fontSize + 2, lanes: bottom - top < 150 ? 3 : 4 },
          );
          ctx.font = `${fontSize}px sans-serif`;
          ctx.textAlign = 'left'; // uPlot leaves its axes' alignment on the context
          ctx.textBaseline = 'alphabetic';
          ctx.lineWidth = 3;
          ctx.strokeStyle = '#fff';
          for (const b of boxes) {
            const y = top + 14 + 15 * b.lane;
            ctx.fillStyle = markers[b.index]!.color ?? '#444';
            ctx.strokeText(markers[b.index]!.label, b.x, y);
            ctx.fillText(markers[b.index]!.label, b.x, y);
          }
        }),
      setCursor: (u) => {
        const left = u.cursor.left ?? -1;
        const near = left < 0 ? undefined : shown(u).find((m) => Math.abs(u.valToPos(m.step, 'x') - left) <= 3);
        u.over.title = near?.label ?? '';
      },
    },
  };
}
