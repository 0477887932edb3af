/**
 * Standard (Adam) and Weight decay (AdamW) leave the gradient as it is; they differ only in
 * the optimizer's weight decay, which the config carries.
 */
import * as tf from '@tensorflow/tfjs';
import type { MethodId } from '../../config/fields';
import { mapTensors } from '../tensors';
import type { GradientMethod } from './types';

export function createIdentityMethod(id: MethodId): GradientMethod {
  return {
    id,
    transform: (grads) => ({ grads: mapTensors(grads, (g) => tf.clone(g)) }),
    transformFlat: (grad) => grad,
    dispose: () => {},
  };
}
