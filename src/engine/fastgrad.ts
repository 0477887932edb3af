/**
 * The training loss and its gradient with a hand-written backward pass: the same model as
 * `forward` in model.ts (which stays the reference, and the differentiable path NeuralGrok's
 * meta-gradient needs), computed with about a third of the kernels.
 *
 * Why: small models are bound by per-kernel overhead (20–60 µs per kernel on wasm). Under
 * tfjs autograd every taped op also clones the tensors its gradient needs (one `Identity`
 * kernel each), every broadcast add reshapes its gradient, every multiply casts, and the
 * gradient of a reshape is a reshape. Here nothing is taped: the forward keeps the few
 * activations the backward needs, and the backward is written out per layer — LayerNorm,
 * exact GELU, attention with the causal mask, the last-position shortcut of the last block,
 * the loss (softmax or StableMax cross-entropy, losses.ts); the MLP's (mlp.ts) at the end.
 * tests/fastgrad.test.ts checks both against autograd on every parameter, and finite differences.
 *
 * Other choices, each measured (docs/performance.md):
 * - Token and position embeddings are one matmul: the batch's inputs are built on the CPU as
 *   one-hot rows [token | position] (and their transpose, for the embedding gradient), so the
 *   step needs no OneHot/Cast/Reshape kernels for them.
 * - Weight gradients use an explicit transpose and a plain matmul: tfjs-wasm's matmul with a
 *   transposed 2-D operand is 6–20× slower. Where the matmul is OpenBLAS's (Node, GROKLAB_BLAS=1),
 *   which transposes for free while packing, the operand is passed transposed instead
 *   (`transposedMatMulIsFast`).
 * - `tf.fused.matMul` is not used: it reshapes both operands to 3-D (three more kernels than
 *   matmul + add) and was no faster here.
 * - Sums over the batch rows (bias and LayerNorm gradients) are a ones-row matmul: tfjs-wasm
 *   reduces over a non-innermost axis by transposing first (2.5 ms for [2048, 128], 12.8 ms for
 *   [2048, 512]); `1ᵀ·dy` runs in XNNPACK in about 0.1 ms. On the paper model this alone was
 *   ≈ 65 of 360 ms per step.
 */
import * as tf from '@tensorflow/tfjs';
import { FUSED_GELU_BACKWARD_KERNEL, FUSED_LN_BACKWARD_KERNEL, FUSED_SOFTMAX_BACKWARD_KERNEL, fusedOr } from './fused';
import type { LossId } from '../config/fields';
import { lossHead } from './losses';
import type { ModelConfig } from './model';
import { mlpClasses, mlpInputFromEmbedding } from './mlp';
import { transposedMatMulIsFast } from './wasm-kernels';
import type { TensorMap } from './tensors';
import {
  causalMask,
  fullBlockForward,
  INV_SQRT_2PI,
  lastBlockForward,
  lnForward,
  type BlockDims,
  type FullBlockCache,
  type LnCache,
  type MlpCache,
} from './transformer';

/** One batch in the form the fast path reads. */
export interface FastBatch {
  rows: number;
  /** [N, V + T] (N = rows·T): a one at the token id and one at V + position. */
  embedIn: tf.Tensor2D;
  /** Its transpose [V + T, N] (only for training: the embedding gradient). */
  embedInT: tf.Tensor2D | null;
  /** [rows, V] one-hot targets. */
  targetsOneHot: tf.Tensor2D;
  /** [rows] target ids. */
  targets: tf.Tensor1D;
}

/**
 * Builds a batch from rows of a token table (inputs: rows × T ids, targets: one id per row).
 * Plain typed arrays on the CPU, uploaded once: no kernels.
 */
export function buildFastBatch(
  inputs: Int32Array,
  targets: Int32Array,
  rows: ArrayLike<number>,
  T: number,
  V: number,
  forTraining: boolean,
): FastBatch {
  const n = rows.length;
  const N = n * T;
  const W = V + T;
  const embed = new Float32Array(N * W);
  const embedT = forTraining ? new Float32Array(N * W) : null;
  const y = new Float32Array(n * V);
  const ids = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    for (let t = 0; t < T; t++) {
      const row = i * T + t;
      const tok = inputs[r * T + t]!;
      embed[row * W + tok] = 1;
      embed[row * W + V + t] = 1;
      if (embedT) {
        embedT[tok * N + row] = 1;
        embedT[(V + t) * N + row] = 1;
      }
    }
    ids[i] = targets[r]!;
    y[i * V + ids[i]!] = 1;
  }
  return {
    rows: n,
    embedIn: tf.tensor2d(embed, [N, W]),
    embedInT: embedT ? tf.tensor2d(embedT, [W, N]) : null,
    targetsOneHot: tf.tensor2d(y, [n, V]),
    targets: tf.tensor1d(ids, 'int32'),
  };
}

export function disposeFastBatch(b: FastBatch): void {
  b.embedIn.dispose();
  b.embedInT?.dispose();
  b.targetsOneHot.dispose();
  b.targets.dispose();
}

/** Σ over rows of a [n, c] tensor, as 1ᵀ·x (see the header): returns [c]. */
function columnSum(x: tf.Tensor, onesRow: tf.Tensor2D): tf.Tensor1D {
  return tf.reshape(tf.matMul(onesRow, x as tf.Tensor2D), [x.shape[1]!]);
}

/** Ones rows by length, made once per call of fastLossAndGradients (inside its tidy). */
type OnesRows = (n: number) => tf.Tensor2D;

function onesRowCache(): OnesRows {
  const made = new Map<number, tf.Tensor2D>();
  return (n) => {
    let t = made.get(n);
    if (!t) made.set(n, (t = tf.ones([1, n])));
    return t;
  };
}

/** dx = rstd · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ ⊙ x̂)), dx̂ = dy ⊙ g. */
function lnBackward(dy: tf.Tensor, c: LnCache, g: tf.Tensor, grads: TensorMap, gName: string, bName: string, ones: OnesRows): tf.Tensor {
  const one = ones(dy.shape[0]!);
  grads[gName] = columnSum(tf.mul(dy, c.xhat), one);
  grads[bName] = columnSum(dy, one);
  // one kernel where the backend has it (fused.ts), else eight tf ops
  return fusedOr(FUSED_LN_BACKWARD_KERNEL, { dy, xhat: c.xhat, gain: g, rstd: c.rstd }, () => {
    const dxhat = tf.mul(dy, g);
    return tf.mul(tf.sub(tf.sub(dxhat, tf.mean(dxhat, -1, true)), tf.mul(c.xhat, tf.mean(tf.mul(dxhat, c.xhat), -1, true))), c.rstd);
  });
}

/** Weight and bias gradients of y = x·W + b, and dx (when wanted). */
function linearBackward(
  dy: tf.Tensor,
  x: tf.Tensor,
  w: tf.Tensor,
  grads: TensorMap,
  wName: string,
  bName: string | null,
  ones: OnesRows,
  wantDx = true,
): tf.Tensor | null {
  const x2 = x as tf.Tensor2D;
  const dy2 = dy as tf.Tensor2D;
  const w2 = w as tf.Tensor2D;
  const fast = transposedMatMulIsFast();
  grads[wName] = fast ? tf.matMul(x2, dy2, true, false) : tf.matMul(tf.transpose(x2), dy2);
  if (bName) grads[bName] = columnSum(dy, ones(dy.shape[0]!));
  if (!wantDx) return null;
  return fast ? tf.matMul(dy2, w2, false, true) : tf.matMul(dy2, tf.transpose(w2));
}

function mlpBackward(dOut: tf.Tensor, k: MlpCache, P: TensorMap, b: string, grads: TensorMap, ones: OnesRows): tf.Tensor {
  const dgl = linearBackward(dOut, k.gl, P[`${b}mlp.wOut`]!, grads, `${b}mlp.wOut`, `${b}mlp.bOut`, ones)!;
  // GELU'(m) = ½(1 + erf(m/√2)) + m · φ(m), φ the standard normal density
  const dm = fusedOr(FUSED_GELU_BACKWARD_KERNEL, { dy: dgl, m: k.m, halfE: k.halfE }, () =>
    tf.mul(dgl, tf.add(k.halfE, tf.mul(tf.mul(k.m, expNonPositive(tf.mul(tf.square(k.m), -0.5))), INV_SQRT_2PI))),
  );
  return linearBackward(dm, k.c, P[`${b}mlp.wIn`]!, grads, `${b}mlp.wIn`, `${b}mlp.bIn`, ones)!;
}

/**
 * eᶻ for z ≤ 0, as σ(z) / σ(−z). tfjs-wasm's Exp is a scalar loop (8 ms for the paper model's
 * [2048, 512] GELU input); its Sigmoid runs in XNNPACK's vectorized kernel (1.4 ms), so this is
 * ≈ 3× faster there, and within a few float32 ulps (tests/fastgrad.test.ts). For z < −87 both
 * are 0 in float32.
 */
/** The softmax's backward over the last axis: dS = p ⊙ (dP − Σ dP ⊙ p); one kernel where the backend fuses it. */
export function softmaxBackward(dP: tf.Tensor, p: tf.Tensor): tf.Tensor {
  return fusedOr(FUSED_SOFTMAX_BACKWARD_KERNEL, { dP, p }, () => tf.mul(p, tf.sub(dP, tf.sum(tf.mul(dP, p), -1, true))));
}

export function expNonPositive(z: tf.Tensor): tf.Tensor {
  return tf.div(tf.sigmoid(z), tf.sigmoid(tf.neg(z)));
}

export interface FastResult {
  /** Mean loss over the batch (softmax or StableMax cross-entropy). */
  loss: tf.Scalar;
  /** Rows whose arg-max equals the target. */
  correct: tf.Scalar;
  /** Gradient of the loss per parameter name (null when not asked for). */
  grads: TensorMap | null;
  /** Rows whose loss gradient with respect to the logits is exactly 0 (softmax collapse; only when asked for). */
  collapsed: tf.Scalar | null;
}

export interface FastOptions {
  /** The loss on the logits (default softmax cross-entropy). */
  loss?: LossId;
  /** Count the rows whose loss gradient is exactly 0 (softmax collapse), in the same pass. */
  countCollapsed?: boolean;
}

/**
 * Loss, correct count and (with `withGrads`) the gradient of the mean loss at the last
 * position, for parameters P. Call inside tf.tidy.
 */
export function fastLossAndGradients(
  P: TensorMap,
  batch: FastBatch,
  c: ModelConfig,
  withGrads: boolean,
  opts: FastOptions = {},
): FastResult {
  if (c.kind === 'mlp') return mlpLossAndGradients(P, batch, c, withGrads, opts);
  const B = batch.rows;
  const T = c.seqLen;
  const N = B * T;
  const V = c.vocabSize;
  const d = c.dModel;
  const h = c.heads;
  const dh = d / h;
  const scale = 1 / Math.sqrt(dh);
  const L = c.layers;
  if (P.posEmbed!.shape[0] !== T) throw new Error('fast path: sequence length must equal the position table');
  const mask = L > 1 ? causalMask(T) : null;

  // ---- forward (transformer.ts: the one definition of the model), keeping what the backward needs
  const dims: BlockDims = { B, T, d, h };
  let x = tf.matMul(batch.embedIn, tf.concat([P.tokEmbed as tf.Tensor2D, P.posEmbed as tf.Tensor2D], 0)) as tf.Tensor;
  const full: FullBlockCache[] = [];
  // Each block runs in its own tidy that keeps only its output and (for the backward) its
  // cache: inside one tidy every intermediate of the whole step lived to its end — 1.2 GB for
  // the 4-layer poly5 model at batch 512, which broke the wasm heap past 2 GB.
  for (let l = 0; l < L - 1; l++) {
    const xIn = x;
    const out = tf.tidy(() => {
      const r = fullBlockForward(xIn, P, `blocks.${l}.`, dims, mask!);
      return (withGrads ? { x: r.x, cache: r.cache } : { x: r.x }) as unknown as tf.TensorContainerObject;
    }) as unknown as { x: tf.Tensor; cache?: FullBlockCache };
    xIn.dispose(); // the backward needs only the cache (ln1 keeps x̂ and 1/σ)
    x = out.x;
    if (out.cache) full.push(out.cache);
  }
  const bl = `blocks.${L - 1}.`;
  const { y2, cache: last } = lastBlockForward(x, P, bl, dims);
  const { ln1, a, aLast, wQ, wKV, k, v, q, p, o, ln2, mlp } = last;
  const lnF = lnForward(y2, P['lnFinal.gain']!, P['lnFinal.bias']!);
  const logits = tf.matMul(lnF.y as tf.Tensor2D, P.head as tf.Tensor2D);
  const head = lossHead(logits as tf.Tensor2D, batch.targetsOneHot, opts.loss ?? 'softmax', withGrads, opts.countCollapsed);
  const { loss, collapsed } = head;
  const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), batch.targets), 'float32')) as tf.Scalar;
  if (!withGrads) return { loss, correct, grads: null, collapsed };
  if (!batch.embedInT) throw new Error('fast path: a training batch needs the transposed embedding input');

  // ---- backward
  const grads: TensorMap = {};
  const ones = onesRowCache();
  // Made here, in the step's scope: a ones row first made inside a block's tidy would be disposed with it.
  ones(N);
  ones(B);
  const dLogits = tf.mul(head.rowGradient!, 1 / B);
  const dz = linearBackward(dLogits, lnF.y, P.head!, grads, 'head', null, ones)!;
  const dy2 = lnBackward(dz, lnF, P['lnFinal.gain']!, grads, 'lnFinal.gain', 'lnFinal.bias', ones);
  const dy1 = tf.add(
    dy2,
    lnBackward(mlpBackward(dy2, mlp, P, bl, grads, ones), ln2, P[`${bl}ln2.gain`]!, grads, `${bl}ln2.gain`, `${bl}ln2.bias`, ones),
  );
  const dO = tf.reshape(linearBackward(dy1, o, P[`${bl}attn.wOut`]!, grads, `${bl}attn.wOut`, `${bl}attn.bOut`, ones)!, [B, h, 1, dh]);
  const dP = tf.matMul(dO as tf.Tensor4D, v, false, true); // [B, h, 1, T]
  const dS = softmaxBackward(dP, p);
  const dQ = tf.mul(tf.reshape(tf.matMul(dS as tf.Tensor4D, k), [B, d]), scale);
  // dK[b, t, head] = dS[b, head, t] · q[b, head] and dV[b, t, head] = p[b, head, t] · dO[b, head]:
  // outer products, formed straight in the key/value projection's [B, T, 2h, dh] layout — the
  // small factors ([B, 2h, T] and [B, 2h, dh]) are concatenated and transposed, not the
  // [B, 2h, T, dh] products (the same products, so the same bits, without a large concat and transpose)
  const weightsT = tf.reshape(tf.transpose(tf.reshape(tf.concat([dS, p], 1), [B, 2 * h, T]), [0, 2, 1]), [B, T, 2 * h, 1]);
  const vectors = tf.reshape(tf.concat([q, dO], 1), [B, 1, 2 * h, dh]);
  const dKV = tf.reshape(tf.mul(weightsT, vectors), [N, 2 * d]);
  const gKV: TensorMap = {};
  const gQ: TensorMap = {};
  const daKV = linearBackward(dKV, a, wKV!, gKV, 'w', 'b', ones)!;
  const daLast = tf.add(dy1, linearBackward(dQ, aLast, wQ!, gQ, 'w', 'b', ones)!);
  grads[`${bl}attn.wQKV`] = tf.concat([gQ.w!, gKV.w!], 1);
  grads[`${bl}attn.bQKV`] = tf.concat([gQ.b!, gKV.b!], 0);
  // put the last position's gradient back in its rows: [B, d] → [B, T, d] (zeros before it)
  const da = tf.add(
    daKV,
    tf.reshape(
      tf.pad(tf.reshape(daLast, [B, 1, d]), [
        [0, 0],
        [T - 1, 0],
        [0, 0],
      ]),
      [N, d],
    ),
  );
  let dx = lnBackward(da, ln1, P[`${bl}ln1.gain`]!, grads, `${bl}ln1.gain`, `${bl}ln1.bias`, ones);
  for (let l = L - 2; l >= 0; l--) {
    const b = `blocks.${l}.`;
    const f = full[l]!;
    const dxIn = dx;
    const blockGrads: TensorMap = {};
    const next = tf.tidy(() => {
      const g = blockGrads;
      const dx1 = tf.add(
        dxIn,
        lnBackward(mlpBackward(dxIn, f.mlp, P, b, g, ones), f.ln2, P[`${b}ln2.gain`]!, g, `${b}ln2.gain`, `${b}ln2.bias`, ones),
      );
      const dMerged = linearBackward(dx1, f.merged, P[`${b}attn.wOut`]!, g, `${b}attn.wOut`, `${b}attn.bOut`, ones)!;
      const dOf = tf.transpose(tf.reshape(dMerged, [B, T, h, dh]), [0, 2, 1, 3]) as tf.Tensor4D;
      const dPf = tf.matMul(dOf, f.v as tf.Tensor4D, false, true);
      const fast = transposedMatMulIsFast();
      const dVf = fast ? tf.matMul(f.p as tf.Tensor4D, dOf, true, false) : tf.matMul(tf.transpose(f.p, [0, 1, 3, 2]) as tf.Tensor4D, dOf);
      const dSf = softmaxBackward(dPf, f.p) as tf.Tensor4D;
      const dQf = tf.mul(tf.matMul(dSf, f.k as tf.Tensor4D), scale);
      const dKf = fast
        ? tf.matMul(dSf, f.q as tf.Tensor4D, true, false)
        : tf.matMul(tf.transpose(dSf, [0, 1, 3, 2]) as tf.Tensor4D, f.q as tf.Tensor4D);
      const dQKV = tf.reshape(tf.transpose(tf.concat([dQf, dKf, dVf], 1), [0, 2, 1, 3]), [N, 3 * d]);
      const da = tf.add(dx1, linearBackward(dQKV, f.a, P[`${b}attn.wQKV`]!, g, `${b}attn.wQKV`, `${b}attn.bQKV`, ones)!);
      return { dx: lnBackward(da, f.ln1, P[`${b}ln1.gain`]!, g, `${b}ln1.gain`, `${b}ln1.bias`, ones), grads: { ...g } };
    }) as unknown as { dx: tf.Tensor; grads: TensorMap };
    Object.assign(grads, next.grads);
    // This block's cache and the incoming gradient are no longer needed.
    tf.dispose([
      dxIn,
      f.ln1.xhat,
      f.ln1.rstd,
      f.a,
      f.q,
      f.k,
      f.v,
      f.p,
      f.merged,
      f.ln2.xhat,
      f.ln2.rstd,
      f.mlp.c,
      f.mlp.m,
      f.mlp.halfE,
      f.mlp.gl,
    ]);
    dx = next.dx;
  }
  const [dTok, dPos] = tf.split(tf.matMul(batch.embedInT, dx as tf.Tensor2D), [V, T], 0);
  grads.tokEmbed = dTok!;
  grads.posEmbed = dPos!;
  return { loss, correct, grads, collapsed };
}

/**
 * The MLP's loss and gradient (mlp.ts): its inputs are the batch's token one-hots, read out of
 * the embedding input [B·T, V + T] (its input blocks' columns), so one batch serves both
 * models; its logits are the classes, the targets' first columns. Backward: ReLU' is 1 where
 * the layer's output is positive.
 */
function mlpLossAndGradients(P: TensorMap, batch: FastBatch, c: ModelConfig, withGrads: boolean, opts: FastOptions): FastResult {
  const B = batch.rows;
  const x = mlpInputFromEmbedding(batch.embedIn, B, c);
  const inputs: tf.Tensor[] = [x]; // each layer's input; the last is the head's
  for (let l = 0; l < c.layers; l++) inputs.push(tf.relu(tf.matMul(inputs[l] as tf.Tensor2D, P[`mlp.${l}.w`] as tf.Tensor2D)));
  const logits = tf.matMul(inputs[c.layers] as tf.Tensor2D, P.head as tf.Tensor2D);
  const classes = mlpClasses(c);
  // targets are numbers (ids below the class count): the one-hot's other columns are 0
  const targets = classes === c.vocabSize ? batch.targetsOneHot : (tf.slice(batch.targetsOneHot, [0, 0], [B, classes]) as tf.Tensor2D);
  const head = lossHead(logits as tf.Tensor2D, targets, opts.loss ?? 'softmax', withGrads, opts.countCollapsed);
  const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), batch.targets), 'float32')) as tf.Scalar;
  if (!withGrads) return { loss: head.loss, correct, grads: null, collapsed: head.collapsed };
  const grads: TensorMap = {};
  const ones = onesRowCache();
  let dh = linearBackward(tf.mul(head.rowGradient!, 1 / B), inputs[c.layers]!, P.head!, grads, 'head', null, ones)!;
  for (let l = c.layers - 1; l >= 0; l--) {
    const dz = tf.mul(dh, tf.step(inputs[l + 1]!)); // step(y) = 1 where y > 0 (y = relu(z))
    dh = linearBackward(dz, inputs[l]!, P[`mlp.${l}.w`]!, grads, `mlp.${l}.w`, null, ones, l > 0)!;
  }
  return { loss: head.loss, correct, grads, collapsed: head.collapsed };
}
