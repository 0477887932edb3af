/**
 * ⊥Grad (Prieto, Barsbey, Mediano & Birdal, ICLR 2025, arXiv:2501.04697; their `orthograd.py`):
 * per parameter tensor, the component of the gradient along the weights is removed and the
 * rest is rescaled to the gradient's norm,
 *   g⊥ = g − (⟨θ,g⟩ / (⟨θ,θ⟩ + 1e-30)) · θ,   g⊥ ← g⊥ · ‖g‖ / (‖g⊥‖ + 1e-30),
 * then the optimizer (AdamW without decay by default: ⊥AdamW). The direction taken out is the
 * "naïve loss minimization" one — growing θ only scales the logits — which without weight
 * decay drives float32 softmax toward collapse.
 *
 * As the reference: θ is the tensor before this step's update, the 1e-30 guards are theirs
 * (a zero θ leaves g as it is, a zero g stays zero), and decay — coupled or decoupled — is the
 * optimizer's, after the projection (torch's Adam adds L2 inside its step, after OrthoGrad ran).
 * Deviation: sums in float32 (tfjs has no float64 on the wasm backend); theirs are float32 too
 * on a float32 model.
 */
import * as tf from '@tensorflow/tfjs';
import { l2Norm, mapTensors, type TensorMap } from '../tensors';
import type { GradientMethod } from './types';

/** The reference's guard against dividing by a zero norm. */
const TINY = 1e-30;

/** g projected orthogonal to w and rescaled to ‖g‖ (one tensor; call inside a tidy or dispose the result). */
export function orthogonalGradient(g: tf.Tensor, w: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const projection = tf.div(tf.sum(tf.mul(w, g)), tf.add(tf.sum(tf.square(w)), TINY));
    const orth = tf.sub(g, tf.mul(projection, w));
    return tf.mul(orth, tf.div(l2Norm(g), tf.add(l2Norm(orth), TINY)));
  });
}

/** ⊥Grad on every parameter tensor of a gradient map (θ from `params`, by name). */
export function orthogonalizePerTensor(grads: TensorMap, params: TensorMap): TensorMap {
  return mapTensors(grads, (g, name) => orthogonalGradient(g, params[name]!));
}

export function createOrthoGradMethod(): GradientMethod {
  return {
    id: 'orthograd',
    transform: (grads, ctx) => ({ grads: orthogonalizePerTensor(grads, ctx.params) }),
    dispose: () => {},
  };
}
