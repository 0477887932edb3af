/**
 * GrokFast-EMA: per parameter μ ← α·μ + (1−α)·g (μ starts at the first gradient), then
 * g ← g + λ·μ — amplifying the slow component of the gradient.
 */
import * as tf from '@tensorflow/tfjs';
import { flatten, unflatten } from '../optimizer';
import type { GradientMethod } from './types';

/** μ is one flat vector over all parameters: five kernels per step whatever the model's size. */
export function createGrokFastEmaMethod(): GradientMethod {
  let mu: tf.Variable | null = null;
  const method: GradientMethod = {
    id: 'grokfast_ema',
    transformFlat(g, ctx) {
      const { emaAlpha: alpha, emaLambda: lambda } = ctx.config;
      if (!mu) mu = tf.variable(g, false);
      else mu.assign(tf.tidy(() => tf.add(tf.mul(mu!, alpha), tf.mul(g, 1 - alpha))));
      return tf.add(g, tf.mul(mu, lambda));
    },
    transform(grads, ctx) {
      const names = Object.keys(grads);
      return { grads: tf.tidy(() => unflatten(method.transformFlat!(flatten(grads, names), ctx), grads, names)) };
    },
    async exportState() {
      const arrays: Record<string, Float32Array> = mu ? { mu: (await mu.data()) as Float32Array } : {};
      return { id: 'grokfast_ema', arrays, scalars: {} };
    },
    importState(state) {
      if (state.id !== 'grokfast_ema') throw new Error(`a ${state.id} state does not fit GrokFast-EMA`);
      const values = state.arrays.mu;
      mu?.dispose();
      mu = values ? tf.variable(tf.tensor1d(values), false) : null;
    },
    dispose() {
      mu?.dispose();
      mu = null;
    },
  };
  return method;
}
