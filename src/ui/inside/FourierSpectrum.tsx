/**
 * The Fourier spectrum of the number embeddings as bars (recharts), the strongest frequencies
 * highlighted and labelled. It changes per snapshot or slider move, not at 10 Hz: a click's
 * chart (issue 32), animation off.
 */
import { lazy, memo, Suspense } from 'react';
import type { FourierSpectrum as Spectrum } from '../../core/inside';

/** recharts sits in its own chunk, shared with the paper view and the compare summary (the main chunk stays small). */
const FourierBars = lazy(() => import('./FourierBars'));

const H = 190;
export const HIGHLIGHT = '#e6550d';

interface Props {
  spectrum: Spectrum;
  /** A note shown under the chart where the Fourier picture does not apply. */
  note?: string | null;
}

function FourierSpectrumInner({ spectrum, note }: Props) {
  const K = spectrum.norms.length;
  const max = Math.max(1e-12, ...spectrum.norms);
  const top = new Set(spectrum.top);
  const data = Array.from(spectrum.norms, (norm, i) => ({ k: i + 1, norm, top: top.has(i + 1) }));
  const tickStep = Math.max(1, Math.ceil(K / 10 / 5) * 5);
  const ticks = data.map((d) => d.k).filter((k) => k === 1 || k % tickStep === 0);
  return (
    <div data-testid="fourier-spectrum" data-top={[...spectrum.top].join(',')} data-sparsity={spectrum.sparsity.toFixed(4)}>
      <p className="chart-axis-title">‖P_k E‖ (max {max.toPrecision(3)}) against frequency k</p>
      <Suspense fallback={<div style={{ height: H }} />}>
        <FourierBars data={data} ticks={ticks} top={[...spectrum.top]} />
      </Suspense>
      <p className="note">
        Sparsity (energy in the top {spectrum.top.length}): <b data-testid="fourier-sparsity">{(100 * spectrum.sparsity).toFixed(1)}%</b> ·
        strongest k = {[...spectrum.top].join(', ')}
      </p>
      {note && <p className="note inside-caveat">{note}</p>}
    </div>
  );
}

export const FourierSpectrum = memo(FourierSpectrumInner);
