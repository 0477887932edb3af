/**
 * The decoder-only transformer of ALGORITHMS.md as a pure function of a parameter map, so the
 * same code evaluates the real weights θ and NeuralGrok's virtual weights θ − η·G_φ(g).
 *
 * Block (reference): x = LN1(x); x = x + Attn(x); x = x + MLP(LN2(x)). Final LayerNorm, then a
 * bias-free head. Embedding lookups are one-hot matmuls: tf.gather has no gradient on wasm.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from './rng';
import type { TensorMap, VariableMap } from './tensors';

export interface ModelConfig {
  vocabSize: number;
  seqLen: number;
  layers: number;
  dModel: number;
  heads: number;
}

const LN_EPS = 1e-5;

interface ParamSpec {
  shape: number[];
  init: 'normal' | 'uniform' | 'ones' | 'zeros';
  fanIn?: number;
  /** Bound of a uniform init other than PyTorch's Linear default ±1/√fan_in (xavier). */
  bound?: number;
  /** Biases, LayerNorm and embeddings can be exempted from weight decay. */
  decayExempt: boolean;
}

function parameterSpecs(c: ModelConfig): Record<string, ParamSpec> {
  const d = c.dModel;
  const specs: Record<string, ParamSpec> = {
    tokEmbed: { shape: [c.vocabSize, d], init: 'normal', decayExempt: true },
    posEmbed: { shape: [c.seqLen, d], init: 'normal', decayExempt: true },
  };
  for (let l = 0; l < c.layers; l++) {
    const b = `blocks.${l}.`;
    Object.assign(specs, {
      [`${b}ln1.gain`]: { shape: [d], init: 'ones', decayExempt: true },
      [`${b}ln1.bias`]: { shape: [d], init: 'zeros', decayExempt: true },
      // torch.nn.MultiheadAttention's own reset: packed in-projection xavier-uniform
      // ±√(6/(d+3d)), its bias 0; the out-projection keeps the Linear default weight, bias 0.
      [`${b}attn.wQKV`]: { shape: [d, 3 * d], init: 'uniform', bound: Math.sqrt(6 / (d + 3 * d)), decayExempt: false },
      [`${b}attn.bQKV`]: { shape: [3 * d], init: 'zeros', decayExempt: true },
      [`${b}attn.wOut`]: { shape: [d, d], init: 'uniform', fanIn: d, decayExempt: false },
      [`${b}attn.bOut`]: { shape: [d], init: 'zeros', decayExempt: true },
      [`${b}ln2.gain`]: { shape: [d], init: 'ones', decayExempt: true },
      [`${b}ln2.bias`]: { shape: [d], init: 'zeros', decayExempt: true },
      [`${b}mlp.wIn`]: { shape: [d, 4 * d], init: 'uniform', fanIn: d, decayExempt: false },
      [`${b}mlp.bIn`]: { shape: [4 * d], init: 'uniform', fanIn: d, decayExempt: true },
      [`${b}mlp.wOut`]: { shape: [4 * d, d], init: 'uniform', fanIn: 4 * d, decayExempt: false },
      [`${b}mlp.bOut`]: { shape: [d], init: 'uniform', fanIn: 4 * d, decayExempt: true },
    });
  }
  specs['lnFinal.gain'] = { shape: [d], init: 'ones', decayExempt: true };
  specs['lnFinal.bias'] = { shape: [d], init: 'zeros', decayExempt: true };
  specs.head = { shape: [d, c.vocabSize], init: 'uniform', fanIn: d, decayExempt: false };
  return specs;
}

/** Names of parameters exempt from weight decay when the user turns "decay everything" off. */
export function decayExemptNames(c: ModelConfig): Set<string> {
  return new Set(
    Object.entries(parameterSpecs(c))
      .filter(([, s]) => s.decayExempt)
      .map(([n]) => n),
  );
}

/**
 * PyTorch-default initialisation drawn from our own seeded RNG on the CPU, so the initial
 * weights are bit-identical on every backend.
 */
export function initParameters(c: ModelConfig, seed: number): VariableMap {
  if (c.dModel % c.heads !== 0) throw new Error(`dModel ${c.dModel} not divisible by heads ${c.heads}`);
  const rng = new Rng(seed, 'init');
  const params: VariableMap = {};
  for (const [name, spec] of Object.entries(parameterSpecs(c))) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(n);
    const bound = spec.bound ?? (spec.fanIn ? 1 / Math.sqrt(spec.fanIn) : 0);
    for (let i = 0; i < n; i++) {
      values[i] =
        spec.init === 'normal' ? rng.normal() : spec.init === 'uniform' ? (2 * rng.next() - 1) * bound : spec.init === 'ones' ? 1 : 0;
    }
    params[name] = tf.tidy(() => tf.variable(tf.tensor(values, spec.shape, 'float32'), true, uniqueVariableName(name)));
  }
  return params;
}

let variableCounter = 0;
/** tfjs variable names are global; parameters of two live models must not collide. */
function uniqueVariableName(name: string): string {
  return `groklab/model/${name}/${variableCounter++}`;
}

function layerNorm(x: tf.Tensor2D, gain: tf.Tensor, bias: tf.Tensor): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, LN_EPS))), gain), bias) as tf.Tensor2D;
}

/** Exact (erf) GELU, as PyTorch's nn.GELU default. */
function gelu(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
}

/**
 * x @ w whose backward uses explicit transposes and plain matmuls: tfjs-wasm's matmul with a
 * transposed operand is 10–30× slower than without (measured: 390 ms vs 12 ms for the MLP
 * weight gradient at batch 512), and a 2-D transpose costs about a millisecond.
 */
const matMulPlainBackward = tf.customGrad((a, b, save) => {
  (save as tf.GradSaveFunc)([a as tf.Tensor, b as tf.Tensor]);
  return {
    value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    gradFunc: (dy, saved) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(dy as tf.Tensor2D, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy as tf.Tensor2D)];
    },
  };
}) as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

function linear(x: tf.Tensor2D, w: tf.Tensor, b?: tf.Tensor): tf.Tensor2D {
  const y = matMulPlainBackward(x, w as tf.Tensor2D);
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

/** The last `n` positions of each row: [B·T, d] → [B·n, d]. */
function lastPositions(x: tf.Tensor2D, B: number, T: number, n: number): tf.Tensor2D {
  if (n === T) return x;
  const d = x.shape[1];
  return tf.reshape(tf.slice(tf.reshape(x, [B, T, d]), [0, T - n, 0], [B, n, d]), [B * n, d]); // (B, n, d) → (B·n, d)
}

interface Shape {
  B: number;
  T: number;
  /** Query positions per row: T, or 1 when only the `=` position is needed. */
  Tq: number;
  heads: number;
  /** Receives the attention probabilities from the last position, [B, h, T] (the inside view). */
  onLastRowAttention?: (probs: tf.Tensor3D) => void;
}

/**
 * Causal multi-head self-attention of the last `Tq` positions over all T, with the packed
 * in-projection split into its query and key/value parts. x: [B·T, d] → [B·Tq, d]. With Tq = T
 * this is the full computation; with Tq = 1 the last-position shortcut (no mask needed: the
 * last position sees every position).
 */
function attention(x: tf.Tensor2D, P: TensorMap, b: string, s: Shape, mask: tf.Tensor2D): tf.Tensor2D {
  const d = x.shape[1];
  const dh = d / s.heads;
  const wQKV = P[`${b}attn.wQKV`]!;
  const bQKV = P[`${b}attn.bQKV`]!;
  const q = linear(lastPositions(x, s.B, s.T, s.Tq), tf.slice(wQKV, [0, 0], [d, d]), tf.slice(bQKV, [0], [d])); // (B·Tq, d)
  const [k, v] = tf.split(linear(x, tf.slice(wQKV, [0, d], [d, 2 * d]), tf.slice(bQKV, [d], [2 * d])), 2, 1) as [tf.Tensor2D, tf.Tensor2D]; // (B·T, d) each
  let scores = tf.mul(tf.matMul(splitHeads(q, s.B, s.Tq, s.heads), splitHeads(k, s.B, s.T, s.heads), false, true), 1 / Math.sqrt(dh)); // (B, h, Tq, T)
  if (s.Tq === s.T) scores = tf.add(scores, mask);
  const probs = tf.softmax(scores);
  s.onLastRowAttention?.(tf.reshape(tf.slice(probs, [0, 0, s.Tq - 1, 0], [s.B, s.heads, 1, s.T]), [s.B, s.heads, s.T])); // (B, h, T)
  const y = tf.matMul(probs, splitHeads(v, s.B, s.T, s.heads)) as tf.Tensor4D; // (B, h, Tq, dh)
  return linear(mergeHeads(y), P[`${b}attn.wOut`]!, P[`${b}attn.bOut`]); // (B·Tq, d)
}

/** One block: x = LN1(x); x = x + Attn(x); x = x + MLP(LN2(x)) — for the last Tq positions. */
function block(x: tf.Tensor2D, P: TensorMap, b: string, s: Shape, mask: tf.Tensor2D): tf.Tensor2D {
  const xn = layerNorm(x, P[`${b}ln1.gain`]!, P[`${b}ln1.bias`]!);
  const y = tf.add(lastPositions(xn, s.B, s.T, s.Tq), attention(xn, P, b, s, mask)) as tf.Tensor2D;
  return tf.add(y, mlp(layerNorm(y, P[`${b}ln2.gain`]!, P[`${b}ln2.bias`]!), P, b)) as tf.Tensor2D;
}

export interface ForwardOptions {
  /** Return logits for every position ([B, T, V]) instead of only the last ([B, V]). */
  allPositions?: boolean;
  /** Receives each layer's attention probabilities from the last position, [B, h, T]. */
  onAttention?: (layer: number, probs: tf.Tensor3D) => void;
}

/**
 * Logits of the model at parameters P for token ids [B, T]. Loss and accuracy only use the
 * last (`=`) position, so by default the last block computes its query, attention output and
 * MLP for that position alone (keys and values still come from every position): the same
 * numbers as the full computation for a third less work.
 */
export function forward(P: TensorMap, tokens: tf.Tensor2D, c: ModelConfig, opts: ForwardOptions = {}): tf.Tensor {
  const [B, T] = tokens.shape;
  const d = c.dModel;
  const oneHot = tf.oneHot(tf.reshape(tokens, [B * T]), c.vocabSize); // embeddings as one-hot matmuls: tf.gather has no gradient on wasm
  const tokE = matMulPlainBackward(oneHot as tf.Tensor2D, P.tokEmbed as tf.Tensor2D);
  let x = tf.reshape(tf.add(tf.reshape(tokE, [B, T, d]), P.posEmbed!.slice([0, 0], [T, d])), [B * T, d]) as tf.Tensor2D; // (B·T, d)
  const mask = causalMask(T);
  for (let l = 0; l < c.layers; l++) {
    const lastOnly = !opts.allPositions && l === c.layers - 1;
    const onLastRowAttention = opts.onAttention && ((probs: tf.Tensor3D) => opts.onAttention!(l, probs));
    x = block(x, P, `blocks.${l}.`, { B, T, Tq: lastOnly ? 1 : T, heads: c.heads, onLastRowAttention }, mask); // (B·Tq, d)
  }
  const logits = linear(layerNorm(x, P['lnFinal.gain']!, P['lnFinal.bias']!), P.head!); // (B·Tq, V)
  return opts.allPositions ? tf.reshape(logits, [B, T, c.vocabSize]) : logits;
}
