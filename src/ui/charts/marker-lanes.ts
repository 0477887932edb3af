/**
 * Marker labels laid out in lanes: each label sits beside its line (right of it, or left of
 * it near the right edge), inside the chart, in the first lane where it overlaps no other
 * label, in priority order (the order given). A label that fits no lane is left out (its line stays, with the label as a tooltip).
 * Pure, so a test can check a crowded run: no two labels overlap, none is clipped.
 */

/** Approximate text width at a font size: 0.62 em per character (wider than the sans-serif average). */
export const labelWidth = (label: string, fontSize: number): number => Math.ceil(label.length * fontSize * 0.62);

export interface MarkerLabelBox {
  /** Index into the markers passed in. */
  index: number;
  /** Left edge of the text (drawn with text-anchor start). */
  x: number;
  width: number;
  lane: number;
}

export interface LaneOptions {
  /** Horizontal extent labels must stay inside (the plot area). */
  left: number;
  right: number;
  fontSize: number;
  lanes: number;
  /** Space between the line and its label, and between two labels in a lane. */
  gap?: number;
}

export function layoutMarkerLabels(markers: readonly { x: number; label: string }[], o: LaneOptions): MarkerLabelBox[] {
  const gap = o.gap ?? 4;
  const laneEnds: number[][] = Array.from({ length: o.lanes }, () => []); // occupied [x0, x1] pairs, flattened
  const out: MarkerLabelBox[] = [];
  // in the order given, which is their priority: the first markers get the top lanes
  for (const m of markers.map((m, index) => ({ ...m, index }))) {
    const width = labelWidth(m.label, o.fontSize);
    if (width > o.right - o.left) continue;
    const rightOf = m.x + gap;
    const x = rightOf + width <= o.right ? rightOf : Math.max(o.left, m.x - gap - width);
    const lane = laneEnds.findIndex((spans) => {
      for (let i = 0; i < spans.length; i += 2) if (x < spans[i + 1]! + gap && x + width + gap > spans[i]!) return false;
      return true;
    });
    if (lane < 0) continue;
    laneEnds[lane]!.push(x, x + width);
    out.push({ index: m.index, x, width, lane });
  }
  return out.sort((a, b) => a.index - b.index);
}
