/** A dependency-free SVG line plot, for result figures that render on GitHub. */
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#17becf', '#7f7f7f'];

export interface PlotSeries {
  label: string;
  x: number[];
  y: number[];
}

export function svgLinePlot(
  series: PlotSeries[],
  o: { title: string; xLabel: string; yLabel: string; yMin: number; yMax: number },
): string {
  const W = 720;
  const H = 400;
  const m = { l: 60, r: 170, t: 36, b: 46 };
  const xMax = Math.max(1, ...series.flatMap((s) => s.x));
  const px = (x: number) => m.l + (x / xMax) * (W - m.l - m.r);
  const py = (y: number) => H - m.b - ((y - o.yMin) / (o.yMax - o.yMin)) * (H - m.t - m.b);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2 - m.r / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(o.title)}</text>`,
  ];
  for (let i = 0; i <= 5; i++) {
    const y = o.yMin + ((o.yMax - o.yMin) * i) / 5;
    parts.push(
      `<line x1="${m.l}" x2="${W - m.r}" y1="${py(y)}" y2="${py(y)}" stroke="#ddd"/>`,
      `<text x="${m.l - 6}" y="${py(y) + 4}" text-anchor="end">${y.toFixed(1)}</text>`,
    );
    const x = (xMax * i) / 5;
    parts.push(`<text x="${px(x)}" y="${H - m.b + 16}" text-anchor="middle">${Math.round(x)}</text>`);
  }
  parts.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 8}" text-anchor="middle">${escapeXml(o.xLabel)}</text>`);
  parts.push(`<text transform="translate(16 ${H / 2}) rotate(-90)" text-anchor="middle">${escapeXml(o.yLabel)}</text>`);
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="#333"/>`);
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const pts = s.x.map((x, j) => [x, s.y[j]!] as const).filter(([, y]) => Number.isFinite(y));
    if (pts.length)
      parts.push(
        `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${pts.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ')}"/>`,
      );
    const ly = m.t + 10 + i * 18;
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
