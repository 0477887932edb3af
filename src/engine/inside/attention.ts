/**
 * The model's forward pass, returning also each layer's attention probabilities from the last
 * (`=`) position. It mirrors src/engine/model.ts `forward` op for op (same kernels in the same
 * order, so the logits are the same numbers): embeddings as one-hot matmuls, the block
 * `x = LN1(x); x = x + Attn(x); x = x + MLP(LN2(x))` (the residual starts from the normalized
 * x), the causal mask, and the last-position shortcut in the last block. Inference only: plain
 * matmuls, no custom gradients. A test checks the logits against `forward`.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../model';
import type { TensorMap } from '../tensors';

const LN_EPS = 1e-5;

function layerNorm(x: tf.Tensor2D, gain: tf.Tensor, bias: tf.Tensor): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, LN_EPS))), gain), bias) as tf.Tensor2D;
}

function gelu(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
}

function linear(x: tf.Tensor2D, w: tf.Tensor, b?: tf.Tensor): tf.Tensor2D {
  const y = tf.matMul(x, w as tf.Tensor2D) as tf.Tensor2D;
  return b ? (tf.add(y, b) as tf.Tensor2D) : y;
}

/** [B·T, d] → [B, h, T, dh] */
function splitHeads(x: tf.Tensor2D, B: number, T: number, h: number): tf.Tensor4D {
  const dh = x.shape[1] / h;
  return tf.transpose(tf.reshape(x, [B, T, h, dh]), [0, 2, 1, 3]);
}

/** [B, h, T, dh] → [B·T, d] */
function mergeHeads(x: tf.Tensor4D): tf.Tensor2D {
  const [B, h, T, dh] = x.shape;
  return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [B * T, h * dh]);
}

function causalMask(T: number): tf.Tensor2D {
  const m = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) m[i * T + j] = -1e9;
  return tf.tensor2d(m, [T, T]);
}

function mlp(x: tf.Tensor2D, P: TensorMap, b: string): tf.Tensor2D {
  return linear(gelu(linear(x, P[`${b}mlp.wIn`]!, P[`${b}mlp.bIn`])) as tf.Tensor2D, P[`${b}mlp.wOut`]!, P[`${b}mlp.bOut`]);
}

export interface ForwardWithAttention {
  /** Logits at the last position, [B, V]. */
  logits: tf.Tensor2D;
  /** Per layer, attention probabilities from the last position to every position, [B, h, T]. */
  attention: tf.Tensor3D[];
}

/** Logits at `=` and the attention from `=`, for token ids [B, T]. Call inside tf.tidy. */
export function forwardWithAttention(P: TensorMap, tokens: tf.Tensor2D, c: ModelConfig): ForwardWithAttention {
  const [B, T] = tokens.shape;
  const d = c.dModel;
  const h = c.heads;
  const dh = d / h;
  const scale = 1 / Math.sqrt(dh);
  const oneHot = tf.oneHot(tf.reshape(tokens, [B * T]), c.vocabSize);
  const tokE = tf.matMul(oneHot as tf.Tensor2D, P.tokEmbed as tf.Tensor2D);
  let x = tf.reshape(tf.add(tf.reshape(tokE, [B, T, d]), P.posEmbed!.slice([0, 0], [T, d])), [B * T, d]) as tf.Tensor2D;
  const mask = causalMask(T);
  const attention: tf.Tensor3D[] = [];
  let last: tf.Tensor2D | null = null;
  for (let l = 0; l < c.layers; l++) {
    const b = `blocks.${l}.`;
    x = layerNorm(x, P[`${b}ln1.gain`]!, P[`${b}ln1.bias`]!);
    const wQKV = P[`${b}attn.wQKV`]!;
    const bQKV = P[`${b}attn.bQKV`]!;
    if (l < c.layers - 1) {
      const qkv = linear(x, wQKV, bQKV);
      const [q, k, v] = tf.split(qkv, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      const scores = tf.add(tf.mul(tf.matMul(splitHeads(q, B, T, h), splitHeads(k, B, T, h), false, true), scale), mask);
      const probs = tf.softmax(scores); // [B, h, T, T]
      attention.push(tf.reshape(tf.slice(probs, [0, 0, T - 1, 0], [B, h, 1, T]), [B, h, T]));
      const att = mergeHeads(tf.matMul(probs, splitHeads(v, B, T, h)) as tf.Tensor4D);
      x = tf.add(x, linear(att, P[`${b}attn.wOut`]!, P[`${b}attn.bOut`])) as tf.Tensor2D;
      x = tf.add(x, mlp(layerNorm(x, P[`${b}ln2.gain`]!, P[`${b}ln2.bias`]!), P, b)) as tf.Tensor2D;
    } else {
      // Last-position shortcut, as in model.ts: query, attention output and MLP for `=` only.
      const xLast = tf.reshape(tf.slice(tf.reshape(x, [B, T, d]), [0, T - 1, 0], [B, 1, d]), [B, d]) as tf.Tensor2D;
      const kv = linear(x, tf.slice(wQKV, [0, d], [d, 2 * d]), tf.slice(bQKV, [d], [2 * d]));
      const [k, v] = tf.split(kv, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
      const q = linear(xLast, tf.slice(wQKV, [0, 0], [d, d]), tf.slice(bQKV, [0], [d]));
      const q4 = tf.reshape(q, [B, h, 1, dh]);
      const scores = tf.mul(tf.matMul(q4, splitHeads(k, B, T, h), false, true), scale); // [B, h, 1, T]; the last row needs no mask
      const probs = tf.softmax(scores);
      attention.push(tf.reshape(probs, [B, h, T]));
      const att = tf.reshape(tf.matMul(probs, splitHeads(v, B, T, h)), [B, d]) as tf.Tensor2D;
      let y = tf.add(xLast, linear(att, P[`${b}attn.wOut`]!, P[`${b}attn.bOut`])) as tf.Tensor2D;
      y = tf.add(y, mlp(layerNorm(y, P[`${b}ln2.gain`]!, P[`${b}ln2.bias`]!), P, b)) as tf.Tensor2D;
      last = y;
    }
  }
  const logits = linear(layerNorm(last!, P['lnFinal.gain']!, P['lnFinal.bias']!), P.head!);
  return { logits, attention };
}
