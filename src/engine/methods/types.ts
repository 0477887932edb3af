/** The contract every gradient method implements: a transform between backward and the optimizer. */
import type * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../../config/schema';
import type { MethodId } from '../../config/fields';
import type { TensorMap, VariableMap } from '../tensors';

export interface MethodContext {
  /** 1-based index of the step being taken. */
  step: number;
  /** Learning rate of this step (warm-up applied). */
  lr: number;
  params: VariableMap;
  /** The live config: methods read their hyperparameters here at every step. */
  config: RunConfig;
}

export interface MethodResult {
  /** The gradient the optimizer receives. New tensors, owned by the caller. */
  grads: TensorMap;
  /** Method-specific scalars for the step's metrics (e.g. NeuralGrok's outer loss). */
  metrics?: Record<string, tf.Scalar>;
}

export interface GradientMethod {
  readonly id: MethodId;
  /** Must not dispose or keep `grads`; may update the method's own state. */
  transform(grads: TensorMap, ctx: MethodContext): MethodResult;
  /** Tensors the method keeps between steps (state), for leak accounting. */
  stateTensorCount(): number;
  dispose(): void;
}
