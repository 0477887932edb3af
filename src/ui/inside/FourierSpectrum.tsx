/**
 * The Fourier spectrum of the number embeddings as bars, the strongest frequencies highlighted
 * and labelled, in plain SVG: it lives on the training page, whose 50 ms rule a recharts
 * version broke — while training (19 long tasks in 20 s), at the pause when the run grokked
 * (412 ms) and at start-up (one 51–91 ms task as the chunk loaded): docs/decisions.md.
 */
import { memo } from 'react';
import type { FourierSpectrum as Spectrum } from '../../core/inside';

const H = 190;
export const HIGHLIGHT = '#e6550d';
const BAR = '#6b8cae';
const W = 480;
// the top margin keeps the axis title above the tallest bar and its frequency label
const M = { l: 40, r: 8, t: 30, b: 26 };

interface Props {
  spectrum: Spectrum;
  /** A note shown under the chart where the Fourier picture does not apply. */
  note?: string | null;
}

/**
 * The spectrum while the run trains: plain SVG, redrawn with every snapshot in about a
 * millisecond. recharts here made the live page's long tasks 19 in 20 s (max 258 ms) against 4
 * (max 83 ms) without it, on the loaded 2-core machine; the live page keeps its 50 ms rule, so
 * recharts draws the spectrum when the run stands still (issue 32, docs/decisions.md).
 */
function LiveBars({ spectrum }: { spectrum: Spectrum }) {
  const K = spectrum.norms.length;
  const max = Math.max(1e-12, ...spectrum.norms);
  const top = new Set(spectrum.top);
  const slot = (W - M.l - M.r) / Math.max(K, 1);
  const bw = Math.max(1, slot * 0.8);
  const y = (v: number) => H - M.b - (v / max) * (H - M.t - M.b);
  const bars = (highlighted: boolean) => {
    let d = '';
    for (let k = 1; k <= K; k++) {
      if (top.has(k) !== highlighted) continue;
      const x = M.l + (k - 1) * slot + (slot - bw) / 2;
      d += `M${x.toFixed(1)} ${(H - M.b).toFixed(1)}V${y(spectrum.norms[k - 1]!).toFixed(1)}h${bw.toFixed(1)}V${(H - M.b).toFixed(1)}z`;
    }
    return d;
  };
  const tickStep = Math.max(1, Math.ceil(K / 10 / 5) * 5);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="chart-svg" role="img" aria-label="Fourier spectrum of the number embeddings">
      <line x1={M.l} x2={W - M.r} y1={H - M.b} y2={H - M.b} stroke="#99a" />
      <path d={bars(false)} fill={BAR} />
      <path d={bars(true)} fill={HIGHLIGHT} />
      {[...spectrum.top].map((k) => (
        <text key={k} x={M.l + (k - 0.5) * slot} y={y(spectrum.norms[k - 1]!) - 3} fontSize="10" textAnchor="middle" fill={HIGHLIGHT}>
          {k}
        </text>
      ))}
      {Array.from({ length: K }, (_, i) => i + 1)
        .filter((k) => k === 1 || k % tickStep === 0)
        .map((k) => (
          <text key={`t${k}`} x={M.l + (k - 0.5) * slot} y={H - M.b + 14} fontSize="10" textAnchor="middle">
            {k}
          </text>
        ))}
      <text x={W - M.r} y={H - 2} fontSize="10" textAnchor="end">
        frequency k
      </text>
      <text x={4} y={11} fontSize="10">
        ‖P_k E‖ (max {max.toPrecision(3)})
      </text>
    </svg>
  );
}

function FourierSpectrumInner({ spectrum, note }: Props) {
  return (
    <div data-testid="fourier-spectrum" data-top={[...spectrum.top].join(',')} data-sparsity={spectrum.sparsity.toFixed(4)}>
      <LiveBars spectrum={spectrum} />
      <p className="note">
        Sparsity (energy in the top {spectrum.top.length}): <b data-testid="fourier-sparsity">{(100 * spectrum.sparsity).toFixed(1)}%</b> ·
        strongest k = {[...spectrum.top].join(', ')}
      </p>
      {note && <p className="note inside-caveat">{note}</p>}
    </div>
  );
}

export const FourierSpectrum = memo(FourierSpectrumInner);
