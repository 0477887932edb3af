/**
 * GrokFast-MA: keep the last w gradients per parameter; once the window is full,
 * g ← g + λ·mean(window) (the window includes the current gradient, as in the reference).
 * The mean comes from a running sum, so a step costs O(1) tensor ops instead of O(w).
 */
import * as tf from '@tensorflow/tfjs';
import { flatten, unflatten } from '../optimizer';
import type { GradientMethod } from './types';

/** The window and its running sum are flat vectors over all parameters: a handful of kernels per step. */
export function createGrokFastMaMethod(window: number): GradientMethod {
  const history: tf.Tensor[] = [];
  let sum: tf.Variable | null = null;
  const method: GradientMethod = {
    id: 'grokfast_ma',
    transformFlat(g, ctx) {
      history.push(tf.keep(tf.clone(g)));
      const dropped = history.length > window ? history.shift() : undefined;
      if (!sum) sum = tf.variable(g, false);
      else sum.assign(tf.tidy(() => (dropped ? tf.sub(tf.add(sum!, g), dropped) : tf.add(sum!, g))));
      dropped?.dispose();
      return history.length === window ? tf.add(g, tf.mul(sum, ctx.config.maLambda / window)) : g;
    },
    transform(grads, ctx) {
      const names = Object.keys(grads);
      return { grads: tf.tidy(() => unflatten(method.transformFlat!(flatten(grads, names), ctx), grads, names)) };
    },
    dispose() {
      for (const t of history) t.dispose();
      history.length = 0;
      sum?.dispose();
      sum = null;
    },
  };
  return method;
}
