/** Browser glue for files: a download, and one chart's canvas as a PNG. */
import { chartExportSvg, type LegendEntry } from '../charts/export-markup';

export function download(name: string, data: Blob | string, type = 'application/json'): void {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data;
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** Renders one chart's canvas, with its title and legend, onto a canvas at 2× and returns a PNG. */
export async function chartPng(chart: HTMLCanvasElement, title: string, legend: readonly LegendEntry[]): Promise<Blob> {
  const [width, height] = [chart.clientWidth, chart.clientHeight];
  const image = `<image href="${chart.toDataURL('image/png')}" width="${width}" height="${height}"/>`;
  const doc = chartExportSvg(image, width, height, title, legend);
  const url = URL.createObjectURL(new Blob([doc.svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('could not render the chart'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = doc.width * 2;
    canvas.height = doc.height * 2;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
