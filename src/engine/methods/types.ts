/** The contract every gradient method implements: a transform between backward and the optimizer. */
import type * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../../config/schema';
import type { MethodId } from '../../config/fields';
import type { TensorMap, VariableMap } from '../tensors';
import type { AmplifierKey } from '../../core/metrics';
import type { Amplifier } from './amplifier';
import type { MethodState } from '../../core/checkpoint';

/** What a checkpoint asks of a method's state. */
export interface StateOptions {
  /** Leave out bulky history that refills by itself (GrokFast-MA's window: w copies of θ). */
  skipWindow?: boolean;
}

/** A method's evaluation-step diagnostics, by metric key: a misspelled key is a type error, not a lost column. */
export type MethodDiagnostics = { [K in AmplifierKey]?: tf.Scalar };

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

/** What a method may do after the optimizer has updated the weights (NeuralGrok's meta step). */
export interface AfterUpdateContext extends MethodContext {
  /** The training-loss gradient on this step's minibatch at the updated weights (new tensors, in the caller's tidy). */
  recomputeGradient(): TensorMap;
}

export interface GradientMethod {
  readonly id: MethodId;
  /** Must not dispose or keep `grads`; may update the method's own state. */
  transform(grads: TensorMap, ctx: MethodContext): MethodResult;
  /**
   * The same transform on the gradient as one flat vector over all parameters (trainer
   * order), for methods that treat every component alike: a few kernels per step instead of a
   * few per parameter tensor. Returns a tensor the caller owns (may be `grad` itself).
   */
  transformFlat?(grad: tf.Tensor1D, ctx: MethodContext): tf.Tensor1D;
  /** Called inside the step's tidy after the optimizer step; returns scalars for the step's metrics. */
  afterUpdate?(ctx: AfterUpdateContext): Record<string, tf.Scalar>;
  /**
   * Method-specific diagnostics on evaluation steps, from the raw gradient and the one the
   * optimizer received (NeuralGrok: is the amplifier doing anything?). Called inside a tidy.
   */
  diagnostics?(raw: TensorMap, applied: TensorMap, ctx: MethodContext): MethodDiagnostics;
  /** The method's own state for a checkpoint (absent or null: stateless). Asynchronous reads. */
  exportState?(opts?: StateOptions): Promise<MethodState | null>;
  /** Continues from a checkpoint's state of the same method; throws, changing nothing, when it does not fit. */
  importState?(state: MethodState): void;
  /** The learned gradient transform, for methods that have one (NeuralGrok). */
  readonly amplifier?: Amplifier;
  dispose(): void;
}
