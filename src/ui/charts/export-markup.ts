/**
 * A chart as a standalone SVG document for export: its title above and its legend below the
 * drawing, so a PNG pasted into slides still says what it shows. Pure string work (tested
 * without a DOM); the browser glue renders it to a PNG.
 */
export interface LegendEntry {
  label: string;
  color: string;
  dash?: string;
}

export const EXPORT_TITLE_H = 30;
export const EXPORT_LEGEND_H = 26;

const escapeXml = (s: string) =>
  s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/** `chart` is the serialized chart SVG (width × height); the result is (width × height + title + legend). */
export function chartExportSvg(
  chart: string,
  width: number,
  height: number,
  title: string,
  legend: readonly LegendEntry[],
): { svg: string; width: number; height: number } {
  const total = height + EXPORT_TITLE_H + EXPORT_LEGEND_H;
  let x = 12;
  const entries = legend.map((l) => {
    const g = `<g transform="translate(${x} ${EXPORT_TITLE_H + height + 17})"><line x1="0" x2="22" y1="-4" y2="-4" stroke="${escapeXml(l.color)}" stroke-width="3"${l.dash ? ` stroke-dasharray="${escapeXml(l.dash)}"` : ''}/><text x="28" y="0" font-size="12" fill="#222">${escapeXml(l.label)}</text></g>`;
    x += 40 + l.label.length * 7;
    return g;
  });
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${total}" viewBox="0 0 ${width} ${total}" font-family="sans-serif">` +
    `<rect width="${width}" height="${total}" fill="#fff"/>` +
    `<text x="12" y="21" font-size="16" font-weight="bold" fill="#222">${escapeXml(title)}</text>` +
    `<g transform="translate(0 ${EXPORT_TITLE_H})">${chart}</g>` +
    entries.join('') +
    `</svg>`;
  return { svg, width, height: total };
}
