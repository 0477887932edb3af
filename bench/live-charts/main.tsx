/**
 * The page bench/live-charts.ts drives: four live charts of two lines × 2 000 points, with
 * markers on each and phase bands on the first, redrawn 10 times a second as a training run
 * would (one new step per line per redraw, the oldest dropped), by the library `?lib=` names.
 */
import { useEffect, useState, type ComponentType } from 'react';
import { createRoot } from 'react-dom/client';
import { MetricChart, type ChartBand, type ChartMarker, type LineSpec } from '../../src/ui/charts/MetricChart';
import '../../src/ui/styles.css';
import '../../src/ui/class.css';
import { RechartsChart } from './RechartsChart';
import { SvgChart } from './SvgChart';

const N = 2000;
const lib = new URLSearchParams(location.search).get('lib') ?? 'uplot';
const Chart = { svg: SvgChart, recharts: RechartsChart, uplot: MetricChart }[lib] as unknown as ComponentType<Record<string, unknown>>;

/** A seeded noisy curve, so every library draws the same points. */
let seed = 1;
const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.05;
const curve = (kind: number, s: number) =>
  [1 / (1 + Math.exp(-(s - 900) / 80)), 0.05 + 4 * Math.exp(-s / 700), 30 + 10 * Math.exp(-s / 1500), 5 + Math.sin(s / 200)][kind]! +
  noise() * (kind === 1 ? 0.2 : 1);

const steps: number[] = Array.from({ length: N }, (_, i) => i + 1);
const ys = [0, 1, 2, 3].map((k) => [0, 1].map((line) => steps.map((s) => Math.max(1e-3, curve(k, s) + line * 0.03))));

function Page() {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => {
      const s = steps.at(-1)! + 1;
      steps.push(s);
      steps.shift();
      ys.forEach((k, kind) => k.forEach((line, l) => (line.push(Math.max(1e-3, curve(kind, s) + l * 0.03)), line.shift())));
      setVersion((v) => v + 1);
    }, 100);
    return () => clearInterval(timer);
  }, []);
  const x0 = steps[0]!;
  const markers: ChartMarker[] = [300, 700, 1100, 1500, 1900].map((d, i) => ({
    step: x0 + d - (x0 % 400),
    label: ['memorized', 'lr 1e-3 → 3e-3', 'grokked', 'slingshot', 'wd 1 → 0.5'][i]!,
    color: '#555',
  }));
  const bands: ChartBand[] = [
    { from: x0, to: x0 + 600, color: '#fde2b8', label: 'memorizing' },
    { from: x0 + 600, to: x0 + 1200, color: '#e5d7f5', label: 'circuit formation' },
    { from: x0 + 1200, to: x0 + N, color: '#d3f0d5', label: 'grokked' },
  ];
  const line = (k: number, i: number): LineSpec => ({
    label: i ? 'validation' : 'train (batch)',
    color: i ? '#d62728' : '#1f77b4',
    x: steps,
    y: ys[k]![i]!,
    dash: i ? undefined : '5 4',
  });
  const titles = ['Accuracy', 'Loss', 'Weight norm', 'AGE'];
  return (
    <div className="charts" style={{ maxWidth: 1100 }} data-version={version}>
      {titles.map((title, k) => (
        <Chart
          key={title}
          title={title}
          help=""
          testId={`chart-${k}`}
          xLog={false}
          yLog={k === 1}
          yLabel={title}
          version={version}
          lines={[line(k, 0), line(k, 1)]}
          markers={markers}
          bands={k === 0 ? bands : []}
        />
      ))}
    </div>
  );
}

createRoot(document.getElementById('root')!).render(<Page />);
