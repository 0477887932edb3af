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
    dispose() {
      mu?.dispose();
      mu = null;
    },
  };
  return method;
}
