/** Loss, accuracy and the complexity measures of ALGORITHMS.md, as tensor ops. */
import * as tf from '@tensorflow/tfjs';
import type { LossId } from '../config/fields';
import { stablemaxS } from './losses';
import { globalNorm, sumOver, type TensorMap } from './tensors';

export const ENTROPY_EPS = 1e-8;

/**
 * Mean cross-entropy of logits [B, V] against integer targets [B], by softmax or StableMax
 * (losses.ts): the differentiable reference of the fast path's loss (tf autograd runs through it).
 */
export function crossEntropy(logits: tf.Tensor, targets: tf.Tensor1D, loss: LossId = 'softmax'): tf.Scalar {
  const logp =
    loss === 'stablemax'
      ? tf.tidy(() => {
          const s = stablemaxS(logits);
          return tf.sub(tf.log(s), tf.log(tf.sum(s, -1, true)));
        })
      : tf.logSoftmax(logits as tf.Tensor2D);
  return tf.neg(tf.mean(tf.sum(tf.mul(logp, tf.oneHot(targets, logits.shape[1]!)), 1)));
}

/** Number of rows whose arg-max equals the target (a count, so chunks can be summed). */
export function correctCount(logits: tf.Tensor, targets: tf.Tensor1D): tf.Scalar {
  return tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), targets), 'float32'));
}

/** ‖θ‖₂ over all components. */
export const weightNorm = (params: TensorMap): tf.Scalar => globalNorm(params);

/**
 * Absolute entropy −Σᵢ |xᵢ| · log(|xᵢ| + 1e-8) over every component: AGE on a gradient,
 * absolute weight entropy on the weights.
 */
export function absoluteEntropy(tensors: TensorMap): tf.Scalar {
  return tf.neg(
    sumOver(tensors, (t) => {
      const a = tf.abs(t);
      return tf.sum(tf.mul(a, tf.log(tf.add(a, ENTROPY_EPS))));
    }),
  );
}
