/**
 * GrokFast-MA: keep the last w gradients per parameter; once the window is full,
 * g ← g + λ·mean(window) (the window includes the current gradient, as in the reference).
 * The mean comes from a running sum, so a step costs O(1) tensor ops instead of O(w).
 */
import * as tf from '@tensorflow/tfjs';
import { disposeMap, mapTensors, type TensorMap } from '../tensors';
import type { GradientMethod } from './types';

export function createGrokFastMaMethod(window: number): GradientMethod {
  const history: TensorMap[] = [];
  const sums = new Map<string, tf.Variable>();
  return {
    id: 'grokfast_ma',
    transform(grads, ctx) {
      const kept = mapTensors(grads, (g) => tf.keep(tf.clone(g)));
      history.push(kept);
      const dropped = history.length > window ? history.shift() : undefined;
      for (const [name, g] of Object.entries(grads)) {
        const s = sums.get(name);
        if (!s) sums.set(name, tf.variable(g, false));
        else s.assign(tf.tidy(() => (dropped ? tf.sub(tf.add(s, g), dropped[name]!) : tf.add(s, g))));
      }
      disposeMap(dropped);
      const full = history.length === window;
      const lambda = ctx.config.maLambda;
      return {
        grads: mapTensors(grads, (g, name) => (full ? tf.tidy(() => tf.add(g, tf.mul(sums.get(name)!, lambda / window))) : tf.clone(g))),
      };
    },
    stateTensorCount: () => sums.size + history.reduce((n, m) => n + Object.keys(m).length, 0),
    dispose() {
      for (const m of history) disposeMap(m);
      history.length = 0;
      for (const v of sums.values()) v.dispose();
      sums.clear();
    },
  };
}
