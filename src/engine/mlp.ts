/**
 * The MLP of Prieto, Barsbey, Mediano & Birdal (ICLR 2025; their models.py `MLP`, built with
 * bias=False): the inputs' one-hot codes concatenated → `layers` ReLU layers of width `dModel`
 * → logits, no biases, no attention. Their runs feed one-hot(a) ⊕ one-hot(b) (2p inputs);
 * ours feeds every position of the task's row one-hot over the vocabulary (T·V inputs), so the
 * task catalog's rows work unchanged (the operator of `mix` is an input). Deviation: for a
 * one-operator task the operator and `=` positions never change, so their first-layer rows act
 * as a bias of that layer (docs/decisions.md). Initialization is torch's Linear default,
 * uniform ±1/√fan_in. The hand-written backward is in fastgrad.ts, beside the transformer's.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig, ParamSpec } from './model';
import type { TensorMap } from './tensors';

/** The first layer's inputs: every position one-hot over the vocabulary. */
export const mlpInputSize = (c: ModelConfig): number => c.seqLen * c.vocabSize;

/** `mlp.0.w` … `mlp.{L−1}.w` (inputs × width, width × width) and `head` (width × vocabulary). */
export function mlpParameterSpecs(c: ModelConfig): Record<string, ParamSpec> {
  const specs: Record<string, ParamSpec> = {};
  let fanIn = mlpInputSize(c);
  for (let l = 0; l < c.layers; l++) {
    specs[`mlp.${l}.w`] = { shape: [fanIn, c.dModel], init: 'uniform', fanIn, decayExempt: false };
    fanIn = c.dModel;
  }
  specs.head = { shape: [c.dModel, c.vocabSize], init: 'uniform', fanIn, decayExempt: false };
  return specs;
}

/** The rows' inputs [B, T·V] from token ids [B, T]. */
export function mlpInput(tokens: tf.Tensor2D, c: ModelConfig): tf.Tensor2D {
  const [B, T] = tokens.shape;
  return tf.reshape(tf.oneHot(tf.reshape(tokens, [B * T]), c.vocabSize), [B, T * c.vocabSize]);
}

/** Logits [B, V] for inputs [B, T·V] (differentiable: NeuralGrok's meta-gradient and the tests use it). */
export function mlpForward(P: TensorMap, x: tf.Tensor2D, c: ModelConfig): tf.Tensor2D {
  let h: tf.Tensor2D = x;
  for (let l = 0; l < c.layers; l++) h = tf.relu(tf.matMul(h, P[`mlp.${l}.w`] as tf.Tensor2D));
  return tf.matMul(h, P.head as tf.Tensor2D);
}
