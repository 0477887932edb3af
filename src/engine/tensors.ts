/** Shared tensor-map helpers: the engine passes parameters and gradients as name → tensor maps. */
import * as tf from '@tensorflow/tfjs';

export type TensorMap = Record<string, tf.Tensor>;
export type VariableMap = Record<string, tf.Variable>;

export function mapTensors(m: TensorMap, f: (t: tf.Tensor, name: string) => tf.Tensor): TensorMap {
  const out: TensorMap = {};
  for (const name of Object.keys(m)) out[name] = f(m[name]!, name);
  return out;
}

export function disposeMap(m: TensorMap | undefined): void {
  if (m) for (const t of Object.values(m)) t.dispose();
}

/**
 * Σ over all tensors of a per-tensor scalar reduction. Stacks then sums instead of tf.addN:
 * tfjs-webgpu's AddN binds every input as a storage buffer and fails beyond the device's
 * per-stage limit (8 by default) — which invalidated a whole WebGPU command buffer, weights
 * update included. Concat/stack split their inputs to respect that limit.
 */
export function sumOver(m: TensorMap, f: (t: tf.Tensor) => tf.Scalar): tf.Scalar {
  return tf.sum(tf.stack(Object.values(m).map(f)));
}

/** Global L2 norm over every component of every tensor. */
/** ‖x‖₂ as √Σx² (tf.norm goes through Pow, a 9 ms scalar loop over the paper model's gradient on wasm). */
export function l2Norm(x: tf.Tensor): tf.Scalar {
  return tf.sqrt(tf.sum(tf.square(x)));
}

export function globalNorm(m: TensorMap): tf.Scalar {
  return tf.sqrt(sumOver(m, (t) => tf.sum(tf.square(t))));
}
