/**
 * The model's forward pass, returning also each layer's attention probabilities from the last
 * (`=`) position: model.ts `forward` itself, with its attention hook. Call inside tf.tidy.
 */
import type * as tf from '@tensorflow/tfjs';
import { forward, type ModelConfig } from '../model';
import type { TensorMap } from '../tensors';

export interface ForwardWithAttention {
  /** Logits at the last position, [B, V]. */
  logits: tf.Tensor2D;
  /** Per layer, attention probabilities from the last position to every position, [B, h, T]. */
  attention: tf.Tensor3D[];
}

/** Logits at `=` and the attention from `=`, for token ids [B, T]. */
export function forwardWithAttention(P: TensorMap, tokens: tf.Tensor2D, c: ModelConfig): ForwardWithAttention {
  const attention: tf.Tensor3D[] = [];
  const logits = forward(P, tokens, c, { onAttention: (layer, probs) => (attention[layer] = probs) }) as tf.Tensor2D;
  return { logits, attention };
}
