/**
 * The training loss on the logits at the `=` position, and its gradient with respect to the
 * logits, for the hand-written backward (fastgrad.ts): softmax cross-entropy, or StableMax
 * cross-entropy (Prieto, Barsbey, Mediano & Birdal, ICLR 2025, arXiv:2501.04697):
 *   s(x) = x + 1 for x ≥ 0, 1/(1 − x) for x < 0;   pᵢ = s(xᵢ) / Σⱼ s(xⱼ);   loss = −log p_target.
 * Its gradient: ∂loss/∂xⱼ = s′(xⱼ)/Σ s − [j = target] · s′(x_t)/s(x_t), with s′(x) = 1 for x ≥ 0
 * and s(x)² below. The reference computes StableMax in float64; tfjs has no float64, so here it
 * is float32 (docs/decisions.md): s grows only linearly, so float32 keeps p_target below 1 where
 * softmax's exp would round it to exactly 1.
 *
 * Also here: softmax collapse's count — rows whose gradient with respect to the logits is
 * exactly 0 in float32 (for softmax: p_target rounded to 1 and every other p to 0) — computed
 * from the same per-row gradient the backward uses, in the same pass.
 */
import * as tf from '@tensorflow/tfjs';
import type { LossId } from '../config/fields';

export interface LossHead {
  /** Mean loss over the rows. */
  loss: tf.Scalar;
  /** ∂(per-row loss)/∂logits, not divided by the row count; null when neither gradient nor count was asked for. */
  rowGradient: tf.Tensor2D | null;
  /** Rows whose `rowGradient` is exactly 0 (only with `countCollapsed`). */
  collapsed: tf.Scalar | null;
}

/** s(x) of StableMax, finite on both branches (1/(1 + |x|) is 1/(1 − x) where it is selected). */
export function stablemaxS(x: tf.Tensor): tf.Tensor {
  return tf.where(tf.greaterEqual(x, 0), tf.add(x, 1), tf.div(1, tf.add(tf.abs(x), 1)));
}

/** Mean loss of logits [B, V] against one-hot targets, and what the backward and the collapse count need. */
export function lossHead(
  logits: tf.Tensor2D,
  targetsOneHot: tf.Tensor2D,
  loss: LossId,
  wantGradient: boolean,
  countCollapsed = false,
): LossHead {
  const B = logits.shape[0];
  const need = wantGradient || countCollapsed;
  let value: tf.Scalar;
  let rowGradient: tf.Tensor2D | null = null;
  if (loss === 'stablemax') {
    const s = stablemaxS(logits);
    const sum = tf.sum(s, -1, true);
    const sTarget = tf.sum(tf.mul(s, targetsOneHot), -1, true);
    value = tf.div(tf.sum(tf.sub(tf.log(sum), tf.log(sTarget))), B) as tf.Scalar;
    if (need) {
      const ds = tf.where(tf.greaterEqual(logits, 0), tf.onesLike(logits), tf.square(s));
      rowGradient = tf.sub(tf.div(ds, sum), tf.mul(targetsOneHot, tf.div(ds, s))) as tf.Tensor2D;
    }
  } else {
    // log-softmax cross-entropy, written out so softmax for the gradient comes for free
    const shifted = tf.sub(logits, tf.max(logits, -1, true));
    const e = tf.exp(shifted);
    const se = tf.sum(e, -1, true);
    value = tf.mul(tf.sum(tf.mul(tf.sub(shifted, tf.log(se)), targetsOneHot)), -1 / B) as tf.Scalar;
    if (need) rowGradient = tf.sub(tf.div(e, se), targetsOneHot) as tf.Tensor2D;
  }
  const collapsed = countCollapsed && rowGradient ? collapsedRows(rowGradient) : null;
  return { loss: value, rowGradient, collapsed };
}

/** Rows of a per-row gradient that are exactly 0 in every component: softmax collapse's count. */
export function collapsedRows(rowGradient: tf.Tensor2D): tf.Scalar {
  return tf.sum(tf.cast(tf.equal(tf.max(tf.abs(rowGradient), 1), 0), 'float32')) as tf.Scalar;
}
