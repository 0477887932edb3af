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
    /** The window (oldest first) and its running sum, as they are: recomputing the sum would round differently. */
    async exportState(opts) {
      if (opts?.skipWindow || !sum) return null;
      const [sumValues, ...window] = (await Promise.all([sum, ...history].map((t) => t.data()))) as Float32Array[];
      return {
        id: 'grokfast_ma',
        arrays: { sum: sumValues!, ...Object.fromEntries(window.map((w, i) => [`window.${i}`, w])) },
        scalars: { filled: window.length },
      };
    },
    importState(state) {
      if (state.id !== 'grokfast_ma') throw new Error(`a ${state.id} state does not fit GrokFast-MA`);
      const filled = state.scalars.filled ?? 0;
      if (filled > window) throw new Error(`the checkpoint's window holds ${filled} gradients; this run's window is ${window}`);
      const parts = Array.from({ length: filled }, (_, i) => state.arrays[`window.${i}`]);
      if (!state.arrays.sum || parts.some((p) => !p || p.length !== state.arrays.sum!.length))
        throw new Error('the checkpoint’s GrokFast-MA window is incomplete');
      method.dispose();
      for (const p of parts) history.push(tf.tensor1d(p!));
      sum = tf.variable(tf.tensor1d(state.arrays.sum), false);
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
