/**
 * GrokFast-EMA: per parameter μ ← α·μ + (1−α)·g (μ starts at the first gradient), then
 * g ← g + λ·μ — amplifying the slow component of the gradient.
 */
import * as tf from '@tensorflow/tfjs';
import type { TensorMap } from '../tensors';
import type { GradientMethod } from './types';

export function createGrokFastEmaMethod(): GradientMethod {
  const mu = new Map<string, tf.Variable>();
  return {
    id: 'grokfast_ema',
    transform(grads, ctx) {
      const { emaAlpha: alpha, emaLambda: lambda } = ctx.config;
      const out: TensorMap = {};
      for (const [name, g] of Object.entries(grads)) {
        const state = mu.get(name);
        if (!state) mu.set(name, tf.variable(g, false));
        else state.assign(tf.tidy(() => tf.add(tf.mul(state, alpha), tf.mul(g, 1 - alpha))));
        out[name] = tf.tidy(() => tf.add(g, tf.mul(mu.get(name)!, lambda)));
      }
      return { grads: out };
    },
    stateTensorCount: () => mu.size,
    dispose() {
      for (const v of mu.values()) v.dispose();
      mu.clear();
    },
  };
}
