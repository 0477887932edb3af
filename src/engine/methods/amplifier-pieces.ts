/**
 * The amplifier as the piecewise-linear function it is. A ReLU MLP of one scalar input is
 * linear between breakpoints: with one hidden layer of width H there are at most H of them
 * (where a unit's pre-activation x·w₀ + b₀ crosses 0), with two hidden layers at most
 * H₁ + (H₁ + 1)·H₂ (each layer-2 unit crosses 0 at most once between two layer-1 breakpoints).
 * So instead of pushing all N gradient components through the MLP (N × Σ wᵢwᵢ₊₁ multiply-adds:
 * 7 GMAC on the paper model at 128,128, four such passes per meta step), this builds the table
 * of pieces once per change of φ — breakpoints, and per piece the slope and intercept of s and
 * of every hidden activation — and then
 *   - scores: s_i = slope[k]·x_i + intercept[k], k = the piece of x_i (a sorted search);
 *   - meta-gradient: within a piece every ∂s/∂φ is affine in x, so Σ_i dS_i ∂s(x_i)/∂φ needs
 *     only S0_k = Σ dS_i and S1_k = Σ dS_i·x_i over the piece's components: the MLP's backward
 *     runs over the pieces (≤ 16 640 rows at 128,128), not over the N components.
 * Exact: the same function and the same sums, in another order (float32 rounding differs at
 * the 1e-6 level; tests/amplifier-pieces.test.ts). Two implementations of the same table:
 * `buildPieceTable` & co. are tensor ops over every piece, with no read-back (WebGPU, WebGL);
 * `HostPieces` evaluates only the pieces that hold a component, in JavaScript, on the backends
 * whose tensors live in this process's memory (wasm, cpu).
 */
import * as tf from '@tensorflow/tfjs';
import type { TensorMap, VariableMap } from '../tensors';
import { sumByIndex } from './segments';
import { FUSED_PIECEWISE_SCORES_KERNEL, fusedOr } from '../fused';

/** Stands in for ±∞ in the breakpoint list (finite, so midpoints and comparisons stay defined). */
const BIG = 1e30;

/** Breakpoints of an MLP with these hidden widths (the table has one more piece). */
export function pieceBreakpointCount(hidden: readonly number[]): number {
  if (hidden.length === 0) return 0;
  if (hidden.length === 1) return hidden[0]!;
  if (hidden.length === 2) return hidden[0]! + (hidden[0]! + 1) * hidden[1]!;
  return Infinity; // deeper amplifiers are evaluated component by component
}

/** Per piece: the affine form of each hidden activation, h = α·x + β, and its ReLU pattern. */
interface HiddenAffine {
  alpha: tf.Tensor2D; // [P, H]
  beta: tf.Tensor2D; // [P, H]
  mask: tf.Tensor2D; // [P, H], 1 where the unit is active on the piece
}

export interface PieceTable {
  /** [M] ascending; unused slots hold BIG (at the end). */
  breaks: tf.Tensor1D;
  /** [M + 1] slope and intercept of s on each piece. */
  slope: tf.Tensor1D;
  intercept: tf.Tensor1D;
}

/** A point inside each interval (left, right): the midpoint, or 1 beyond the finite end. */
function representatives(left: tf.Tensor1D, right: tf.Tensor1D): tf.Tensor1D {
  const leftReal = tf.less(tf.abs(left), BIG / 2);
  const rightReal = tf.less(tf.abs(right), BIG / 2);
  const mid = tf.add(tf.mul(left, 0.5), tf.mul(right, 0.5));
  const oneSided = tf.where(leftReal, tf.add(left, 1), tf.where(rightReal, tf.sub(right, 1), tf.zerosLike(left)));
  return tf.where(tf.logicalAnd(leftReal, rightReal), mid, oneSided) as tf.Tensor1D;
}

/** Ascending sort of a 1-D tensor (TopK of the negation: every backend has it). */
function sortAscending(x: tf.Tensor1D): tf.Tensor1D {
  return tf.neg(tf.topk(tf.neg(x), x.shape[0], true).values) as tf.Tensor1D;
}

/** Intervals between sorted breakpoints, as [left, right] per piece (M + 1 pieces). */
function intervals(sorted: tf.Tensor1D): { left: tf.Tensor1D; right: tf.Tensor1D } {
  return {
    left: tf.concat([tf.tensor1d([-BIG]), sorted]) as tf.Tensor1D,
    right: tf.concat([sorted, tf.tensor1d([BIG])]) as tf.Tensor1D,
  };
}

/** Layer-1 breakpoints x = −b₀/w₀ (BIG where w₀ = 0: that unit is constant in x). */
function firstLayerBreaks(vars: VariableMap): tf.Tensor1D {
  const w0 = tf.reshape(vars.w0!, [-1]);
  const b0 = vars.b0! as tf.Tensor1D;
  const nonzero = tf.notEqual(w0, 0);
  return tf.where(nonzero, tf.div(tf.neg(b0), tf.where(nonzero, w0, tf.onesLike(w0))), tf.fill([w0.shape[0]!], BIG)) as tf.Tensor1D;
}

/** Every breakpoint of s, sorted (length pieceBreakpointCount). */
function allBreaks(vars: VariableMap, depth: number): tf.Tensor1D {
  const t1 = firstLayerBreaks(vars);
  if (depth === 1) return sortAscending(t1);
  // Depth 2: on each layer-1 interval h₁ is affine, so is z₂ = h₁·W₁ + b₁; each unit of
  // layer 2 changes state where z₂ = 0, if that point lies inside the interval.
  const { left, right } = intervals(sortAscending(t1));
  const layer1 = hiddenAffine(representatives(left, right), vars, 1)[0]!;
  const w1 = vars.w1! as tf.Tensor2D;
  const a2 = tf.matMul(layer1.alpha, w1); // [I, H₂]
  const c2 = tf.add(tf.matMul(layer1.beta, w1), vars.b1!);
  const nonzero = tf.notEqual(a2, 0);
  const t2 = tf.div(tf.neg(c2), tf.where(nonzero, a2, tf.onesLike(a2)));
  const inside = tf.logicalAnd(tf.logicalAnd(nonzero, tf.greater(t2, tf.reshape(left, [-1, 1]))), tf.less(t2, tf.reshape(right, [-1, 1])));
  return sortAscending(tf.concat([t1, tf.reshape(tf.where(inside, t2, tf.fill(t2.shape, BIG)), [-1])]) as tf.Tensor1D);
}

/**
 * The hidden activations' affine forms on the pieces containing the points r [P]: the ReLU
 * pattern is read at r, then α = D ⊙ (α_prev·W), β = D ⊙ (β_prev·W + b), starting from x (α 1, β 0).
 */
function hiddenAffine(r: tf.Tensor1D, vars: VariableMap, depth: number): HiddenAffine[] {
  const out: HiddenAffine[] = [];
  const P = r.shape[0];
  let alpha = tf.ones([P, 1]) as tf.Tensor2D;
  let beta = tf.zeros([P, 1]) as tf.Tensor2D;
  const rCol = tf.reshape(r, [P, 1]);
  for (let l = 0; l < depth; l++) {
    const w = vars[`w${l}`] as tf.Tensor2D;
    const zAlpha = tf.matMul(alpha, w);
    const zBeta = tf.add(tf.matMul(beta, w), vars[`b${l}`]!);
    const mask = tf.step(tf.add(tf.mul(zAlpha, rCol), zBeta)) as tf.Tensor2D; // ReLU′ at r (0 at 0, as torch)
    alpha = tf.mul(zAlpha, mask);
    beta = tf.mul(zBeta, mask);
    out.push({ alpha, beta, mask });
  }
  return out;
}

/** Builds the table for φ = vars (depth = number of hidden layers, 0–2). Call inside a tidy. */
export function buildPieceTable(vars: VariableMap, depth: number): PieceTable {
  const breaks = depth === 0 ? tf.zeros([0]) : allBreaks(vars, depth);
  const { left, right } = intervals(breaks as tf.Tensor1D);
  const r = depth === 0 ? tf.zeros([1]) : representatives(left, right);
  const layers = hiddenAffine(r as tf.Tensor1D, vars, depth);
  const last = layers[depth - 1];
  const P = r.shape[0]!;
  const wOut = vars[`w${depth}`] as tf.Tensor2D;
  const alpha = last ? last.alpha : tf.ones([P, 1]);
  const beta = last ? last.beta : tf.zeros([P, 1]);
  return {
    breaks: breaks as tf.Tensor1D,
    slope: tf.reshape(tf.matMul(alpha as tf.Tensor2D, wOut), [P]) as tf.Tensor1D,
    intercept: tf.reshape(tf.add(tf.matMul(beta as tf.Tensor2D, wOut), vars[`b${depth}`]!), [P]) as tf.Tensor1D,
  };
}

/** The piece of every component: the number of breakpoints ≤ x. */
export function pieceIndex(table: PieceTable, x: tf.Tensor1D): tf.Tensor1D {
  if (table.breaks.shape[0] === 0) return tf.zeros(x.shape, 'int32') as tf.Tensor1D;
  // tf.searchSorted answers 1-D values as [1, n]
  return tf.reshape(tf.searchSorted(table.breaks, x, 'right'), x.shape) as tf.Tensor1D;
}

/** s(x) for a flat vector x, from the table. Call inside a tidy. */
export function piecewiseScores(table: PieceTable, x: tf.Tensor1D): tf.Tensor1D {
  const { breaks, slope, intercept } = table;
  // one kernel where the backend has it (WebGPU); else a SearchSorted, two Gathers, a Mul and an Add
  return fusedOr(FUSED_PIECEWISE_SCORES_KERNEL, { breaks, slope, intercept, x }, () => {
    const k = pieceIndex(table, x);
    return tf.add(tf.mul(tf.gather(slope, k), x), tf.gather(intercept, k));
  }) as tf.Tensor1D;
}

/**
 * Σ_i dS_i ∂s(x_i)/∂φ, by variable name, from the pieces. With δ⁽ˡ⁾ = ∂s/∂z⁽ˡ⁾ (constant on a
 * piece) and each layer's input affine on it (α·x + β):
 *   ∂W_l = Σ_k (α S1 + β S0)_kᵀ δ_k⁽ˡ⁾,  ∂b_l = Σ_k S0_k δ_k⁽ˡ⁾,  δ⁽ˡ⁾ = (δ⁽ˡ⁺¹⁾ W_{l+1}ᵀ) ⊙ D⁽ˡ⁾, δ⁽ᵈᵉᵖᵗʰ⁾ = 1.
 * Call inside a tidy.
 */
export function piecewiseMetaGradient(vars: VariableMap, depth: number, table: PieceTable, x: tf.Tensor1D, dS: tf.Tensor1D): TensorMap {
  const P = table.slope.shape[0];
  const k = pieceIndex(table, x);
  const s0 = sumByIndex(dS, k, P); // Σ dS per piece
  const s1 = sumByIndex(tf.mul(dS, x) as tf.Tensor1D, k, P); // Σ dS·x
  const { left, right } = intervals(table.breaks);
  return metaGradientFromSums(vars, depth, depth === 0 ? [] : hiddenAffine(representatives(left, right), vars, depth), s0, s1);
}

/** The meta-gradient from per-piece sums S0, S1 [P] and the pieces' hidden affine forms. Call inside a tidy. */
function metaGradientFromSums(vars: VariableMap, depth: number, layers: HiddenAffine[], S0: tf.Tensor1D, S1: tf.Tensor1D): TensorMap {
  const P = S0.shape[0];
  const s0 = tf.reshape(S0, [1, P]) as tf.Tensor2D;
  const s1 = tf.reshape(S1, [1, P]) as tf.Tensor2D;
  const s0Col = tf.reshape(S0, [P, 1]);
  const s1Col = tf.reshape(S1, [P, 1]);
  const grads: TensorMap = {};
  let delta: tf.Tensor2D = tf.ones([P, 1]);
  for (let l = depth; l >= 0; l--) {
    // Σ over the piece of the layer's input: x for layer 0, else the previous hidden activation.
    const input = l === 0 ? null : layers[l - 1]!;
    const w = vars[`w${l}`] as tf.Tensor2D;
    // (α S1 + β S0)ᵀ δ, transposed explicitly (tfjs-wasm's transposed matmul is several times slower)
    grads[`w${l}`] = input
      ? tf.matMul(tf.transpose(tf.add(tf.mul(input.alpha, s1Col), tf.mul(input.beta, s0Col))) as tf.Tensor2D, delta)
      : tf.matMul(s1, delta);
    grads[`b${l}`] = tf.reshape(tf.matMul(s0, delta), [w.shape[1]]);
    if (input) delta = tf.mul(tf.matMul(delta, tf.transpose(w)), input.mask);
  }
  return grads;
}

/**
 * On the host backends (wasm, cpu: tensors live in this process's memory, reading one is a
 * copy), the per-component work is a few JavaScript loops — tfjs-wasm's Gather and
 * SearchSorted took 30 ms each on the paper model's 422 656 components — and only the pieces
 * that hold a component are evaluated (tens to hundreds, not 16 641).
 */
export class HostPieces {
  /** The finite breakpoints, ascending. */
  readonly breaks: Float32Array;

  constructor(
    private readonly vars: VariableMap,
    private readonly depth: number,
  ) {
    const all = depth === 0 ? new Float32Array(0) : (tf.tidy(() => allBreaks(vars, depth)).dataSync() as Float32Array);
    let m = 0;
    while (m < all.length && all[m]! < BIG / 2) m++;
    this.breaks = all.slice(0, m);
  }

  /** The occupied pieces (in the order first met) and each component's slot among them. */
  private locate(x: Float32Array): { occupied: Int32Array; slot: Int32Array } {
    const b = this.breaks;
    const m = b.length;
    const piece = new Int32Array(x.length);
    const seen = new Int32Array(m + 1).fill(-1);
    let count = 0;
    // Gradient components span a narrow range that few breakpoints cross: search only there.
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const from = min <= max ? this.upper(min) : 0; // no finite component: search everything
    const to = min <= max ? this.upper(max) : m;
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      // the number of breakpoints ≤ v, between those of min and max (a NaN lands in piece `from`)
      let lo = from;
      let hi = to;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (b[mid]! <= v) lo = mid + 1;
        else hi = mid;
      }
      piece[i] = lo;
      if (seen[lo] === -1) seen[lo] = count++;
    }
    const occupied = new Int32Array(count);
    for (let k = 0; k <= m; k++) if (seen[k]! >= 0) occupied[seen[k]!] = k;
    const slot = piece; // reused: piece id → its slot in `occupied`
    for (let i = 0; i < x.length; i++) slot[i] = seen[piece[i]!]!;
    return { occupied, slot };
  }

  /** The hidden affine forms and s's slope and intercept on the given pieces. Call inside a tidy. */
  private affine(occupied: Int32Array): { layers: HiddenAffine[]; slope: tf.Tensor1D; intercept: tf.Tensor1D } {
    const b = this.breaks;
    const left = Float32Array.from(occupied, (k) => (k === 0 ? -BIG : b[k - 1]!));
    const right = Float32Array.from(occupied, (k) => (k === b.length ? BIG : b[k]!));
    const r = this.depth === 0 ? tf.zeros([occupied.length]) : representatives(tf.tensor1d(left), tf.tensor1d(right));
    const layers = hiddenAffine(r as tf.Tensor1D, this.vars, this.depth);
    const P = occupied.length;
    const last = layers[this.depth - 1];
    const wOut = this.vars[`w${this.depth}`] as tf.Tensor2D;
    const slope = tf.reshape(tf.matMul((last ? last.alpha : tf.ones([P, 1])) as tf.Tensor2D, wOut), [P]) as tf.Tensor1D;
    const intercept = tf.reshape(
      tf.add(tf.matMul((last ? last.beta : tf.zeros([P, 1])) as tf.Tensor2D, wOut), this.vars[`b${this.depth}`]!),
      [P],
    ) as tf.Tensor1D;
    return { layers, slope, intercept };
  }

  /** The number of breakpoints ≤ v. */
  private upper(v: number): number {
    const b = this.breaks;
    let lo = 0;
    let hi = b.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (b[mid]! <= v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * The one piece holding every component, when no breakpoint lies between the smallest and
   * the largest (the common case: gradient components span a range of about 1e-2 that few
   * breakpoints cross); else null. Two scalar reads instead of a pass in JavaScript.
   */
  private singlePiece(x: tf.Tensor1D): number | null {
    const [min, max] = tf.tidy(() => tf.stack([tf.min(x), tf.max(x)]).dataSync());
    const k = this.upper(min!);
    return k === this.upper(max!) ? k : null;
  }

  /** s(x). Call inside a tidy. */
  scores(x: tf.Tensor1D): tf.Tensor1D {
    const single = this.singlePiece(x);
    if (single !== null) {
      // every component on one piece: s = slope·x + intercept as two kernels
      const { slope, intercept } = this.affine(Int32Array.of(single));
      return tf.add(tf.mul(x, slope), intercept) as tf.Tensor1D;
    }
    const xs = x.dataSync() as Float32Array;
    const { occupied, slot } = this.locate(xs);
    const { slope, intercept } = this.affine(occupied);
    const a = slope.dataSync();
    const c = intercept.dataSync();
    const out = new Float32Array(xs.length);
    for (let i = 0; i < xs.length; i++) out[i] = a[slot[i]!]! * xs[i]! + c[slot[i]!]!;
    return tf.tensor1d(out);
  }

  /** Σ_i dS_i ∂s(x_i)/∂φ. Call inside a tidy. */
  metaGradient(x: tf.Tensor1D, dS: tf.Tensor1D): TensorMap {
    const single = this.singlePiece(x);
    if (single !== null) {
      const { layers } = this.affine(Int32Array.of(single));
      return metaGradientFromSums(
        this.vars,
        this.depth,
        layers,
        tf.reshape(tf.sum(dS), [1]) as tf.Tensor1D,
        tf.reshape(tf.sum(tf.mul(dS, x)), [1]) as tf.Tensor1D,
      );
    }
    const xs = x.dataSync();
    const ds = dS.dataSync();
    const { occupied, slot } = this.locate(xs as Float32Array);
    const s0 = new Float64Array(occupied.length);
    const s1 = new Float64Array(occupied.length);
    for (let i = 0; i < xs.length; i++) {
      s0[slot[i]!]! += ds[i]!;
      s1[slot[i]!]! += ds[i]! * xs[i]!;
    }
    const { layers } = this.affine(occupied);
    return metaGradientFromSums(this.vars, this.depth, layers, tf.tensor1d(Float32Array.from(s0)), tf.tensor1d(Float32Array.from(s1)));
  }
}
