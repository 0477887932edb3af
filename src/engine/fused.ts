/**
 * Fused kernels: one named kernel in tfjs's kernel registry in place of a chain of small tf ops.
 * A backend that registers a kernel under one of these names (WebGPU: webgpu-kernels.ts) runs
 * it; on every other backend the engine runs the same math as tf ops. The engine never names a
 * backend: it asks the registry (`hasFusedKernel`). Each kernel's contract (inputs, attributes,
 * output) is written here, and its tf-op twin stays beside its caller.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Adam / AdamW over N components (optimizer.ts). Inputs: `state` = [m | v | θ] (3N), `grad`
 * (N), optional `mask` (N, 1 where a component decays). Attributes: FusedAdamAttrs. Output: the
 * next [m | v | θ].
 */
export const FUSED_ADAM_KERNEL = 'GrokLabFusedAdam';

/** The scalars of one fused Adam update, as the tf-op path computes them. */
export interface FusedAdamAttrs {
  beta1: number;
  beta2: number;
  eps: number;
  /** lr / (1 − β1^t) */
  stepSize: number;
  /** √(1 − β2^t) */
  sqrtBc2: number;
  /** coupled decay wd (0: none) */
  coupledWd: number;
  /** decoupled decay lr·wd (0: none) */
  decoupledWd: number;
}

/**
 * The exact GELU's backward (fastgrad.ts): dm = dy · (½(1 + erf(m/√2)) + m·φ(m)). Inputs: `dy`,
 * `m` (GELU's input), `halfE` (½(1 + erf(m/√2)), kept by the forward pass), all one shape.
 * Output: dm, that shape.
 */
export const FUSED_GELU_BACKWARD_KERNEL = 'GrokLabGeluBackward';

/**
 * LayerNorm's input gradient (fastgrad.ts) over the last axis of [rows, d]:
 * dx = rstd · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ ⊙ x̂)), dx̂ = dy ⊙ gain. Inputs: `dy` and `xhat`
 * [rows, d], `gain` [d], `rstd` [rows, 1]. Output: dx [rows, d].
 */
export const FUSED_LN_BACKWARD_KERNEL = 'GrokLabLayerNormBackward';

/**
 * The softmax's backward over the last axis (fastgrad.ts, the attention's scores):
 * dS = p ⊙ (dP − Σ_j dP_j·p_j). Inputs: `dP` (the gradient of the probabilities) and `p` (the
 * probabilities), one shape [..., T]. Output: dS, that shape.
 */
export const FUSED_SOFTMAX_BACKWARD_KERNEL = 'GrokLabSoftmaxBackward';

/**
 * NeuralGrok's per-tensor softmax and normalization of the amplifier's scores (neuralgrok.ts
 * `amplify`) over a flat vector of K tensors end to end: per tensor k, w = softmax(s_k) and
 * g' = c·(w ⊙ g_k)/max(‖w ⊙ g_k‖, NORM_FLOOR). Inputs: `scores` s [N], `grad` g [N] (only for
 * `output: 'applied'`), `offsets` [K + 1] int32 (tensor k is components offsets[k] …
 * offsets[k + 1] − 1). Attributes: FusedAmplifyAttrs. Output: w or g', [N]. The softmax
 * subtracts each tensor's own maximum score (the tf ops subtract the global one: the same value
 * mathematically).
 */
export const FUSED_SEGMENT_AMPLIFY_KERNEL = 'GrokLabSegmentAmplify';

export interface FusedAmplifyAttrs {
  /** NeuralGrok's c */
  c: number;
  /** 'weights': w; 'applied': g' */
  output: 'weights' | 'applied';
}

/**
 * The backward of FUSED_SEGMENT_AMPLIFY_KERNEL's g' with respect to the scores (neuralgrok.ts
 * `scoresGradient`): per tensor, with u = w ⊙ g, û = u/‖u‖, v = dL/dg',
 *   dL/du = (c/‖u‖)·(v − û(û·v)) (no projection where ‖u‖ was floored), dL/dw = dL/du ⊙ g,
 *   dL/ds = w ⊙ (dL/dw − Σ w ⊙ dL/dw).
 * Inputs: `scores`, `grad`, `dApplied` v [N], `offsets` [K + 1] int32. Attributes: { c }.
 * Output: dL/ds [N].
 */
export const FUSED_SEGMENT_AMPLIFY_BACKWARD_KERNEL = 'GrokLabSegmentAmplifyBackward';

/**
 * The amplifier's scores from its table of pieces (amplifier-pieces.ts `piecewiseScores`):
 * s_i = slope[k]·x_i + intercept[k], k = the number of breakpoints ≤ x_i. Inputs: `breaks` [M]
 * ascending, `slope` and `intercept` [M + 1], `x` [N]. Output: s [N].
 */
export const FUSED_PIECEWISE_SCORES_KERNEL = 'GrokLabPiecewiseScores';

/** Whether the active backend has the fused kernel `name`. */
export function hasFusedKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

/** Runs the fused kernel `name` where the active backend has one, else `ops` (the same math as tf ops). */
export function fusedOr(name: string, inputs: tf.NamedTensorMap, ops: () => tf.Tensor, attrs: tf.NamedAttrMap = {}): tf.Tensor {
  return hasFusedKernel(name) ? (tf.engine().runKernel(name, inputs, attrs) as tf.Tensor) : ops();
}
