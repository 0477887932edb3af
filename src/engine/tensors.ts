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

/** Σ over all tensors of a per-tensor scalar reduction. */
export function sumOver(m: TensorMap, f: (t: tf.Tensor) => tf.Scalar): tf.Scalar {
  return tf.addN(Object.values(m).map(f)) as tf.Scalar;
}

/** Global L2 norm over every component of every tensor. */
export function globalNorm(m: TensorMap): tf.Scalar {
  return tf.sqrt(sumOver(m, (t) => tf.sum(tf.square(t))));
}

/** Total number of scalar components. */
export function countComponents(m: TensorMap): number {
  return Object.values(m).reduce((n, t) => n + t.size, 0);
}
