/** Gradient normalization: per parameter tensor, g ← c · g / ‖g‖₂ (NeuralGrok's rescaling alone). */
import * as tf from '@tensorflow/tfjs';
import { mapTensors, type TensorMap } from '../tensors';
import type { GradientMethod } from './types';

/** Smallest norm divided by, so an all-zero gradient stays zero instead of NaN. */
export const NORM_FLOOR = 1e-12;

export function normalizePerTensor(grads: TensorMap, c: number): TensorMap {
  return mapTensors(grads, (g) => tf.tidy(() => tf.mul(g, tf.div(c, tf.maximum(tf.norm(g), NORM_FLOOR)))));
}

export function createGradNormMethod(): GradientMethod {
  return {
    id: 'gradnorm',
    transform: (grads, ctx) => ({ grads: normalizePerTensor(grads, ctx.config.normC) }),
    stateTensorCount: () => 0,
    dispose: () => {},
  };
}
