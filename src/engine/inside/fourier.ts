/**
 * The Fourier picture of the number embeddings, on the CPU: E = tokEmbed[0…p−1] is a p × d
 * matrix (a few thousand floats), read back once per snapshot; the DFT along its number axis
 * costs p·(p−1)·d multiply-adds, about a millisecond for p = 97, d = 128.
 *
 * Basis (Nanda et al.'s, orthonormal): the constant 1/√p and, for k = 1…(p−1)/2,
 * cos(2πkx/p)·√(2/p) and sin(2πkx/p)·√(2/p). For odd p these p vectors are orthonormal, so
 * ‖E‖²_F = constant² + Σ_k ‖P_k E‖² (Parseval).
 */
import { SPARSITY_TOP, type EmbeddingClock, type FourierSpectrum } from '../../core/inside';

export function frequencyCount(p: number): number {
  return (p - 1) >> 1;
}

/**
 * Coefficient vectors of E: row 2(k−1) is the d-vector ⟨cos_k, E⟩, row 2(k−1)+1 ⟨sin_k, E⟩
 * (normalized basis), k = 1…(p−1)/2. Angles use (k·x mod p), so they are exact for every p.
 */
export function fourierCoefficients(E: ArrayLike<number>, p: number, d: number): Float64Array {
  const K = frequencyCount(p);
  const scale = Math.sqrt(2 / p);
  const cos = new Float64Array(p);
  const sin = new Float64Array(p);
  for (let m = 0; m < p; m++) {
    cos[m] = Math.cos((2 * Math.PI * m) / p) * scale;
    sin[m] = Math.sin((2 * Math.PI * m) / p) * scale;
  }
  const out = new Float64Array(2 * K * d);
  for (let k = 1; k <= K; k++) {
    const c = out.subarray(2 * (k - 1) * d, (2 * (k - 1) + 1) * d);
    const s = out.subarray((2 * (k - 1) + 1) * d, 2 * k * d);
    for (let x = 0; x < p; x++) {
      const m = (k * x) % p;
      const cw = cos[m]!;
      const sw = sin[m]!;
      const row = x * d;
      for (let j = 0; j < d; j++) {
        const e = E[row + j]!;
        c[j]! += cw * e;
        s[j]! += sw * e;
      }
    }
  }
  return out;
}

/** Frequencies sorted by norm, strongest first (ties: lower k first). */
function strongestFirst(norms: ArrayLike<number>): number[] {
  return Array.from({ length: norms.length }, (_, i) => i + 1).sort((a, b) => norms[b - 1]! - norms[a - 1]! || a - b);
}

/**
 * The spectrum, its strongest frequencies and the sparsity scalar: the share of the
 * non-constant energy (squared norms) held by the SPARSITY_TOP strongest frequencies. A random
 * embedding scores about SPARSITY_TOP/K (0.33 for p = 31, 0.10 for p = 97); one built from
 * at most SPARSITY_TOP frequencies scores 1.
 */
export function embeddingSpectrum(
  E: ArrayLike<number>,
  p: number,
  d: number,
  coefficients = fourierCoefficients(E, p, d),
): FourierSpectrum {
  const K = frequencyCount(p);
  const norms = new Float32Array(K);
  let total = 0;
  for (let k = 0; k < K; k++) {
    let sq = 0;
    for (let j = 0; j < 2 * d; j++) sq += coefficients[2 * k * d + j]! ** 2;
    norms[k] = Math.sqrt(sq);
    total += sq;
  }
  const order = strongestFirst(norms);
  const top = Uint16Array.from(order.slice(0, Math.min(SPARSITY_TOP, K)));
  let topEnergy = 0;
  for (const k of top) topEnergy += norms[k - 1]! ** 2;
  let constant = 0;
  for (let j = 0; j < d; j++) {
    let sum = 0;
    for (let x = 0; x < p; x++) sum += E[x * d + j]!;
    constant += (sum / Math.sqrt(p)) ** 2;
  }
  return { norms, top, sparsity: total > 0 ? topEnergy / total : 0, constantNorm: Math.sqrt(constant) };
}

/**
 * Key frequencies for the progress measures: those whose norm exceeds a quarter of the
 * largest (the rule of the TransformerLens grokking demo), at most SPARSITY_TOP, strongest first.
 */
export function keyFrequencies(spectrum: FourierSpectrum): number[] {
  const max = Math.max(0, ...spectrum.norms);
  return strongestFirst(spectrum.norms)
    .filter((k) => spectrum.norms[k - 1]! > max / 4)
    .slice(0, SPARSITY_TOP);
}

/**
 * The numbers 0…p−1 on the plane of frequency k: the plane of E's coefficient vectors
 * ⟨cos_k, E⟩ and ⟨sin_k, E⟩ in embedding space, made orthonormal (Gram–Schmidt), and each
 * centred embedding row projected on it. An embedding E_x = cos(2πkx/p)·u + sin(2πkx/p)·v
 * with u ⊥ v, ‖u‖ = ‖v‖ gives a circle in the order x·k mod p; other frequencies add noise.
 */
export function embeddingClock(
  E: ArrayLike<number>,
  p: number,
  d: number,
  k: number,
  coefficients = fourierCoefficients(E, p, d),
): EmbeddingClock {
  const c = Array.from(coefficients.subarray(2 * (k - 1) * d, (2 * (k - 1) + 1) * d));
  const s = Array.from(coefficients.subarray((2 * (k - 1) + 1) * d, 2 * k * d));
  const dot = (a: number[], b: number[]) => a.reduce((acc, v, j) => acc + v * b[j]!, 0);
  const unit = (a: number[]) => {
    const n = Math.sqrt(dot(a, a));
    return n > 0 ? a.map((v) => v / n) : a.map(() => 0);
  };
  const e1 = unit(c);
  const sc = dot(s, e1);
  const e2 = unit(s.map((v, j) => v - sc * e1[j]!));
  const mean = new Float64Array(d);
  for (let x = 0; x < p; x++) for (let j = 0; j < d; j++) mean[j]! += E[x * d + j]! / p;
  const xs = new Float32Array(p);
  const ys = new Float32Array(p);
  for (let x = 0; x < p; x++) {
    let px = 0;
    let py = 0;
    for (let j = 0; j < d; j++) {
      const v = E[x * d + j]! - mean[j]!;
      px += v * e1[j]!;
      py += v * e2[j]!;
    }
    xs[x] = px;
    ys[x] = py;
  }
  return { frequency: k, x: xs, y: ys, radiusSpread: radiusSpread(xs, ys) };
}

/** std(r)/mean(r) of the distances from the origin. */
export function radiusSpread(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  const r = Array.from({ length: n }, (_, i) => Math.hypot(x[i]!, y[i]!));
  const mean = r.reduce((a, b) => a + b, 0) / n;
  if (!(mean > 0)) return 0;
  const variance = r.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
  return Math.sqrt(variance) / mean;
}
