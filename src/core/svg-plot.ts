/** A dependency-free SVG line plot, for result figures that render on GitHub. */
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#17becf', '#7f7f7f'];

export interface PlotSeries {
  label: string;
  x: number[];
  y: number[];
  /** A colour of its own (default: the next of the palette). */
  color?: string;
  /** An SVG dash pattern, e.g. '4 3' (default: solid). */
  dash?: string;
  /** Whether it gets a legend entry (default true): seeds after the first share their arm's. */
  legend?: boolean;
}

export function svgLinePlot(
  series: PlotSeries[],
  o: { title: string; xLabel: string; yLabel: string; yMin: number; yMax: number; log10?: boolean },
): string {
  const W = 720;
  const H = 400;
  const m = { l: 60, r: 170, t: 36, b: 46 };
  const xMax = Math.max(1, ...series.flatMap((s) => s.x));
  const px = (x: number) => m.l + (x / xMax) * (W - m.l - m.r);
  // A log axis plots log10(y) between log10(yMin) and log10(yMax), clamping values below yMin.
  const t = (y: number) => (o.log10 ? Math.log10(Math.max(y, o.yMin)) : y);
  const [lo, hi] = [t(o.yMin), t(o.yMax)];
  const py = (y: number) => H - m.b - ((t(y) - lo) / (hi - lo)) * (H - m.t - m.b);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2 - m.r / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(o.title)}</text>`,
  ];
  const ticks = o.log10
    ? Array.from({ length: Math.round(hi - lo) + 1 }, (_, i) => 10 ** (Math.round(lo) + i))
    : Array.from({ length: 6 }, (_, i) => o.yMin + ((o.yMax - o.yMin) * i) / 5);
  for (const y of ticks)
    parts.push(
      `<line x1="${m.l}" x2="${W - m.r}" y1="${py(y)}" y2="${py(y)}" stroke="#ddd"/>`,
      `<text x="${m.l - 6}" y="${py(y) + 4}" text-anchor="end">${o.log10 ? `1e${Math.round(Math.log10(y))}` : y.toFixed(1)}</text>`,
    );
  for (let i = 0; i <= 5; i++) {
    const x = (xMax * i) / 5;
    parts.push(`<text x="${px(x)}" y="${H - m.b + 16}" text-anchor="middle">${Math.round(x)}</text>`);
  }
  parts.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 8}" text-anchor="middle">${escapeXml(o.xLabel)}</text>`);
  parts.push(`<text transform="translate(16 ${H / 2}) rotate(-90)" text-anchor="middle">${escapeXml(o.yLabel)}</text>`);
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="#333"/>`);
  let entries = 0;
  series.forEach((s, i) => {
    const color = s.color ?? COLORS[i % COLORS.length];
    const pts = s.x.map((x, j) => [x, s.y[j]!] as const).filter(([, y]) => Number.isFinite(y));
    if (pts.length)
      parts.push(
        `<polyline fill="none" stroke="${color}" stroke-width="1.5"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''} points="${pts.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ')}"/>`,
      );
    if (s.legend === false) return;
    const ly = m.t + 10 + entries++ * 18;
    parts.push(
      `<line x1="${W - m.r + 12}" x2="${W - m.r + 36}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="3"/>`,
      `<text x="${W - m.r + 42}" y="${ly + 4}">${escapeXml(s.label)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}
