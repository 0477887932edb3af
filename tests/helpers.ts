/** Shared test helpers: a tiny model and batch, and central finite differences. */
import * as tf from '@tensorflow/tfjs';
import type { TensorMap } from '../src/engine/tensors';
import type { ModelConfig } from '../src/engine/model';
import type { Trainer } from '../src/engine/trainer';

export const TINY_MODEL: ModelConfig = { vocabSize: 7, seqLen: 4, layers: 2, dModel: 8, heads: 2 };

export function tinyBatch(n: number, seed = 1): { tokens: tf.Tensor2D; targets: tf.Tensor1D } {
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) % 5;
  const tokens = Array.from({ length: n }, () => [next(), next(), 5, 6]);
  return {
    tokens: tf.tensor2d(tokens, [n, 4], 'int32'),
    targets: tf.tensor1d(
      Array.from({ length: n }, () => next()),
      'int32',
    ),
  };
}

/** f(P with P[name][index] += h) for a scalar function of a parameter map. */
export function evalPerturbed(f: (P: TensorMap) => tf.Scalar, P: TensorMap, name: string, index: number, h: number): number {
  return tf.tidy(() => {
    const values = P[name]!.dataSync().slice() as Float32Array;
    values[index]! += h;
    const perturbed = { ...P, [name]: tf.tensor(values, P[name]!.shape) };
    return f(perturbed).dataSync()[0]!;
  });
}

export function centralDifference(f: (P: TensorMap) => tf.Scalar, P: TensorMap, name: string, index: number, h: number): number {
  return (evalPerturbed(f, P, name, index, h) - evalPerturbed(f, P, name, index, -h)) / (2 * h);
}

/** Index of the largest-magnitude entry. */
export function argMaxAbs(a: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (Math.abs(a[i]!) > Math.abs(a[best]!)) best = i;
  return best;
}

/** The token and target tensors of some table rows of a trainer's dataset (caller disposes). */
export function rowsTensors(trainer: Trainer, rows: Int32Array) {
  const T = trainer.dataset.seqLen;
  return {
    tokens: tf.tensor2d(
      Array.from(rows).flatMap((r) => Array.from(trainer.dataset.inputs.subarray(r * T, r * T + T))),
      [rows.length, T],
      'int32',
    ),
    targets: tf.tensor1d(
      Array.from(rows, (r) => trainer.dataset.targets[r]!),
      'int32',
    ),
  };
}

/** Largest absolute difference, relative to the largest |b|. */
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  let err = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]!));
    err = Math.max(err, Math.abs(a[i]! - b[i]!));
  }
  return err / Math.max(scale, 1e-30);
}
