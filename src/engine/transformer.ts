/**
 * The transformer's forward pass, written once (ALGORITHMS.md): model.ts's `forward` (the
 * differentiable reference, evaluation and the inside views) and fastgrad.ts (the training
 * step, whose hand-written backward reads the caches these functions return) both call it.
 *
 * Block: a = LN1(x); x1 = a + Attn(a); out = x1 + MLP(LN2(x1)). Final LayerNorm, then a bias-free
 * head. The last block computes its query, attention output and MLP at the `=` position only
 * (keys and values still come from every position): the loss and accuracy read no other.
 */
import * as tf from '@tensorflow/tfjs';
import type { TensorMap } from './tensors';

export const LN_EPS = 1e-5;
export const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** −∞ (−1e9) above the diagonal: position i attends to positions ≤ i. */
export function causalMask(T: number): tf.Tensor2D {
  const m = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) m[i * T + j] = -1e9;
  return tf.tensor2d(m, [T, T]);
}

export interface LnCache {
  xhat: tf.Tensor;
  rstd: tf.Tensor;
}

/** LayerNorm over the last axis, keeping x̂ and 1/σ for the backward. */
export function lnForward(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): { y: tf.Tensor } & LnCache {
  const xc = tf.sub(x, tf.mean(x, -1, true));
  const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(xc), -1, true), LN_EPS));
  const xhat = tf.mul(xc, rstd);
  return { y: tf.add(tf.mul(xhat, g), b), xhat, rstd };
}

export const linear = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b);

export interface MlpCache {
  c: tf.Tensor;
  m: tf.Tensor;
  halfE: tf.Tensor;
  gl: tf.Tensor;
}

/** Linear → exact GELU (PyTorch's nn.GELU default) → Linear; GELU(m) = m · ½(1 + erf(m/√2)). */
export function mlpForward(c: tf.Tensor, P: TensorMap, b: string): { out: tf.Tensor } & MlpCache {
  const m = linear(c, P[`${b}mlp.wIn`]!, P[`${b}mlp.bIn`]!);
  const halfE = tf.mul(tf.add(tf.erf(tf.mul(m, Math.SQRT1_2)), 1), 0.5);
  const gl = tf.mul(m, halfE);
  return { out: linear(gl, P[`${b}mlp.wOut`]!, P[`${b}mlp.bOut`]!), c, m, halfE, gl };
}

/** Batch rows B, positions T, width d, heads h. */
export interface BlockDims {
  B: number;
  T: number;
  d: number;
  h: number;
}

/** What a full block's backward reads. */
export interface FullBlockCache {
  ln1: LnCache;
  a: tf.Tensor;
  q: tf.Tensor;
  k: tf.Tensor;
  v: tf.Tensor;
  /** Attention probabilities [B, h, T, T]. */
  p: tf.Tensor;
  merged: tf.Tensor;
  ln2: LnCache;
  mlp: MlpCache;
}

/** A block at every position: x [B·T, d] → [B·T, d], with its cache. */
export function fullBlockForward(
  x: tf.Tensor,
  P: TensorMap,
  b: string,
  s: BlockDims,
  mask: tf.Tensor2D,
): { x: tf.Tensor; cache: FullBlockCache } {
  const { B, T, d, h } = s;
  const dh = d / h;
  const ln1 = lnForward(x, P[`${b}ln1.gain`]!, P[`${b}ln1.bias`]!);
  const a = ln1.y;
  const heads = tf.transpose(tf.reshape(linear(a, P[`${b}attn.wQKV`]!, P[`${b}attn.bQKV`]!), [B, T, 3 * h, dh]), [0, 2, 1, 3]);
  const [q0, k, v] = tf.split(heads, 3, 1) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
  const q = tf.mul(q0, 1 / Math.sqrt(dh)) as tf.Tensor4D;
  const p = tf.softmax(tf.add(tf.matMul(q, k, false, true), mask));
  const merged = tf.reshape(tf.transpose(tf.matMul(p as tf.Tensor4D, v), [0, 2, 1, 3]), [B * T, d]);
  const x1 = tf.add(a, linear(merged, P[`${b}attn.wOut`]!, P[`${b}attn.bOut`]!));
  const ln2 = lnForward(x1, P[`${b}ln2.gain`]!, P[`${b}ln2.bias`]!);
  const mlp = mlpForward(ln2.y, P, b);
  return {
    x: tf.add(x1, mlp.out),
    cache: {
      ln1: { xhat: ln1.xhat, rstd: ln1.rstd },
      a,
      q,
      k,
      v,
      p,
      merged,
      ln2: { xhat: ln2.xhat, rstd: ln2.rstd },
      mlp: { c: mlp.c, m: mlp.m, halfE: mlp.halfE, gl: mlp.gl },
    },
  };
}

/** What the last block's backward reads. */
export interface LastBlockCache {
  ln1: LnCache;
  a: tf.Tensor;
  aLast: tf.Tensor;
  wQ: tf.Tensor;
  wKV: tf.Tensor;
  k: tf.Tensor4D;
  v: tf.Tensor4D;
  q: tf.Tensor4D;
  /** Attention probabilities of the `=` position [B, h, 1, T]. */
  p: tf.Tensor4D;
  o: tf.Tensor;
  ln2: LnCache;
  mlp: MlpCache;
}

/** The last block at the `=` position: x [B·T, d] → [B, d], with its cache. */
export function lastBlockForward(x: tf.Tensor, P: TensorMap, b: string, s: BlockDims): { y2: tf.Tensor; cache: LastBlockCache } {
  const { B, T, d, h } = s;
  const dh = d / h;
  const ln1 = lnForward(x, P[`${b}ln1.gain`]!, P[`${b}ln1.bias`]!);
  const a = ln1.y;
  // rows T−1, 2T−1, … → [B, d], as a column block of [B, T·d] (a strided slice is 3× slower on wasm)
  const aLast = tf.slice(tf.reshape(a, [B, T * d]), [0, (T - 1) * d], [B, d]);
  const [wQ, wKV] = tf.split(P[`${b}attn.wQKV`]!, [d, 2 * d], 1);
  const [bQ, bKV] = tf.split(P[`${b}attn.bQKV`]!, [d, 2 * d], 0);
  const kvh = tf.transpose(tf.reshape(linear(a, wKV!, bKV!), [B, T, 2 * h, dh]), [0, 2, 1, 3]);
  const [k, v] = tf.split(kvh, 2, 1) as [tf.Tensor4D, tf.Tensor4D];
  const q = tf.reshape(tf.mul(linear(aLast, wQ!, bQ!), 1 / Math.sqrt(dh)), [B, h, 1, dh]) as tf.Tensor4D;
  const p = tf.softmax(tf.matMul(q, k, false, true)) as tf.Tensor4D; // [B, h, 1, T]
  const o = tf.reshape(tf.matMul(p, v), [B, d]);
  const y1 = tf.add(aLast, linear(o, P[`${b}attn.wOut`]!, P[`${b}attn.bOut`]!));
  const ln2 = lnForward(y1, P[`${b}ln2.gain`]!, P[`${b}ln2.bias`]!);
  const mlp = mlpForward(ln2.y, P, b);
  return {
    y2: tf.add(y1, mlp.out),
    cache: {
      ln1: { xhat: ln1.xhat, rstd: ln1.rstd },
      a,
      aLast,
      wQ: wQ!,
      wKV: wKV!,
      k,
      v,
      q,
      p,
      o,
      ln2: { xhat: ln2.xhat, rstd: ln2.rstd },
      mlp,
    },
  };
}
