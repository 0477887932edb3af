/**
 * Gradient normalization: per parameter tensor, g ← c · g / ‖g‖₂, then an optional global
 * norm clip. The paper's ablation is c = 1 without clip. "Matched to NeuralGrok" uses
 * c = 1/√K for K parameter tensors and clip 1: exactly what NeuralGrok feeds Adam when its
 * amplifier's softmax weights are uniform (then w ⊙ g ∝ g, so each tensor gets c·g/‖g‖, and
 * K tensors of norm c have global norm c·√K; see gradNormSettings) — the ablation that tells whether the learned
 * amplifier adds anything beyond normalization + clip.
 */
import * as tf from '@tensorflow/tfjs';
import { globalNorm, l2Norm, mapTensors, type TensorMap } from '../tensors';
import type { GradientMethod } from './types';

/** Smallest norm divided by, so an all-zero gradient stays zero instead of NaN. */
export const NORM_FLOOR = 1e-12;

export function normalizePerTensor(grads: TensorMap, c: number): TensorMap {
  return mapTensors(grads, (g) => tf.tidy(() => tf.mul(g, tf.div(c, tf.maximum(l2Norm(g), NORM_FLOOR)))));
}

/** Scales every tensor so that the global norm is at most `clip` (0 or less: unchanged). */
function clipGlobalNorm(grads: TensorMap, clip: number): TensorMap {
  if (!(clip > 0)) return grads;
  return tf.tidy(() => {
    const scale = tf.minimum(1, tf.div(clip, tf.maximum(globalNorm(grads), NORM_FLOOR)));
    return mapTensors(grads, (g) => tf.mul(g, scale));
  });
}

/**
 * c and clip of a gradnorm config for a model with `tensorCount` parameter tensors. Matched:
 * what NeuralGrok (c = ngC, clip = ngClip) feeds Adam when its amplifier is uniform — K
 * tensors of norm ngC, global norm ngC·√K, clipped to ngClip — i.e. per tensor
 * min(ngC, ngClip/√K). With the reference's c 0.2 and clip 1 that is 1/√K on the paper model
 * (K = 29: the clip binds) but 0.2 on a one-layer model (K = 17: it does not).
 */
export function gradNormSettings(
  config: { normC: number; normClip: number; normMatched: boolean; ngC: number; ngClip: number },
  tensorCount: number,
): { c: number; clip: number } {
  if (!config.normMatched) return { c: config.normC, clip: config.normClip };
  const { ngC, ngClip } = config;
  return { c: ngClip > 0 ? Math.min(ngC, ngClip / Math.sqrt(tensorCount)) : ngC, clip: ngClip };
}

export function createGradNormMethod(): GradientMethod {
  return {
    id: 'gradnorm',
    transform(grads, ctx) {
      const { c, clip } = gradNormSettings(ctx.config, Object.keys(grads).length);
      return { grads: tf.tidy(() => clipGlobalNorm(normalizePerTensor(grads, c), clip)) };
    },
    dispose: () => {},
  };
}
