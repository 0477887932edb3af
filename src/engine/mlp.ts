/**
 * The MLP of Prieto, Barsbey, Mediano & Birdal (ICLR 2025; their models.py `MLP`, built with
 * bias=False): the inputs' one-hot codes concatenated → `layers` ReLU layers of width `dModel`
 * → logits, no biases, no attention. As theirs, the input is one-hot(a) ⊕ one-hot(b) over the p
 * numbers (2p inputs) and the output p logits, one per number (`mlpInputBlocks` in
 * src/core/tasks.ts: every operand one-hot over the numbers; the operator token only for `mix`,
 * where it varies). Initialization is torch's Linear default, uniform ±1/√fan_in. The
 * hand-written backward is in fastgrad.ts, beside the transformer's.
 */
import * as tf from '@tensorflow/tfjs';
import type { MlpInputBlock } from '../core/tasks';
import type { ModelConfig, ParamSpec } from './model';
import type { TensorMap } from './tensors';

/**
 * The input blocks of a model config: the task's (set by the trainer), or, for a config that
 * names none (the engine's own tests), every position one-hot over the whole vocabulary.
 */
export function mlpBlocksOf(c: ModelConfig): readonly MlpInputBlock[] {
  return c.mlpInputs ?? Array.from({ length: c.seqLen }, (_, position) => ({ position, first: 0, count: c.vocabSize }));
}

/** The first layer's inputs. */
export const mlpInputSize = (c: ModelConfig): number => mlpBlocksOf(c).reduce((n, b) => n + b.count, 0);

/** Logits per row: the classes (the task's numbers), or the whole vocabulary where none are named. */
export const mlpClasses = (c: ModelConfig): number => c.classes ?? c.vocabSize;

/** `mlp.0.w` … `mlp.{L−1}.w` (inputs × width, width × width) and `head` (width × classes). */
export function mlpParameterSpecs(c: ModelConfig): Record<string, ParamSpec> {
  const specs: Record<string, ParamSpec> = {};
  let fanIn = mlpInputSize(c);
  for (let l = 0; l < c.layers; l++) {
    specs[`mlp.${l}.w`] = { shape: [fanIn, c.dModel], init: 'uniform', fanIn, decayExempt: false };
    fanIn = c.dModel;
  }
  specs.head = { shape: [c.dModel, mlpClasses(c)], init: 'uniform', fanIn, decayExempt: false };
  return specs;
}

/** The rows' inputs [B, Σ block widths] from token ids [B, T]. */
export function mlpInput(tokens: tf.Tensor2D, c: ModelConfig): tf.Tensor2D {
  const B = tokens.shape[0];
  const parts = mlpBlocksOf(c).map((b) =>
    tf.oneHot(tf.sub(tf.reshape(tf.slice(tokens, [0, b.position], [B, 1]), [B]), tf.scalar(b.first, 'int32')), b.count),
  );
  return (parts.length === 1 ? parts[0]! : tf.concat(parts, 1)) as tf.Tensor2D;
}

/**
 * The same inputs read out of a fast batch's embedding input [B·T, V + T] (a one at each
 * token id): one column block per input block, so one batch serves both models.
 */
export function mlpInputFromEmbedding(embedIn: tf.Tensor2D, B: number, c: ModelConfig): tf.Tensor2D {
  const T = c.seqLen;
  const rows = tf.reshape(embedIn, [B, T * (c.vocabSize + T)]);
  const parts = mlpBlocksOf(c).map((b) => tf.slice(rows, [0, b.position * (c.vocabSize + T) + b.first], [B, b.count]));
  return (parts.length === 1 ? parts[0]! : tf.concat(parts, 1)) as tf.Tensor2D;
}

/** Logits [B, classes] for inputs [B, Σ block widths] (differentiable: NeuralGrok's meta-gradient and the tests use it). */
export function mlpForward(P: TensorMap, x: tf.Tensor2D, c: ModelConfig): tf.Tensor2D {
  let h: tf.Tensor2D = x;
  for (let l = 0; l < c.layers; l++) h = tf.relu(tf.matMul(h, P[`mlp.${l}.w`] as tf.Tensor2D));
  return tf.matMul(h, P.head as tf.Tensor2D);
}
