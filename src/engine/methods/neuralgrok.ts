/**
 * NeuralGrok: every inner step transforms the gradient with the amplifier and clips the
 * global norm; every T steps a bilevel meta step first trains the amplifier:
 *   θ' = θ − η·G_φ(g)   (g held constant, η the model's learning rate of this step)
 *   φ ← Adam(φ, ∇_φ CE_outer(θ'))
 * The model's weights and Adam state are not touched by the meta step.
 */
import * as tf from '@tensorflow/tfjs';
import { AdamOptimizer } from '../optimizer';
import { globalNorm, mapTensors, type TensorMap, type VariableMap } from '../tensors';
import { Amplifier } from './amplifier';
import type { GradientMethod, MethodContext } from './types';

export interface NeuralGrokEnvironment {
  /** Cross-entropy of the model at parameters P on the outer split. */
  outerLoss(P: TensorMap): tf.Scalar;
}

export class NeuralGrokMethod implements GradientMethod {
  readonly id = 'neuralgrok';
  readonly amplifier: Amplifier;
  readonly metaOptimizer: AdamOptimizer;

  constructor(
    hidden: readonly number[],
    seed: number,
    private readonly env: NeuralGrokEnvironment,
    metaLr: number,
    metaWd: number,
    beta1 = 0.9,
    beta2 = 0.98,
  ) {
    this.amplifier = new Amplifier(hidden, seed);
    this.metaOptimizer = new AdamOptimizer({ lr: metaLr, beta1, beta2, eps: 1e-8, warmupSteps: 0, weightDecay: metaWd, weightDecayMode: 'coupled' });
  }

  /** Outer loss at the virtual weights θ − η·G_φ(g), as a function of φ (through the amplifier). */
  virtualOuterLoss(grads: TensorMap, params: VariableMap, lr: number, c: number): tf.Scalar {
    const amplified = this.amplifier.transform(grads, c);
    const virtual = mapTensors(params, (theta, name) => (amplified[name] ? tf.sub(theta, tf.mul(amplified[name]!, lr)) : theta));
    return this.env.outerLoss(virtual);
  }

  /** One meta step; returns the outer loss at θ' before the update. */
  metaStep(grads: TensorMap, params: VariableMap, lr: number, c: number): tf.Scalar {
    const { value, grads: metaGrads } = tf.variableGrads(() => this.virtualOuterLoss(grads, params, lr, c), Object.values(this.amplifier.vars));
    const byName = Object.fromEntries(Object.entries(this.amplifier.vars).map(([k, v]) => [k, metaGrads[v.name]!]));
    this.metaOptimizer.apply(this.amplifier.vars, byName);
    for (const g of Object.values(metaGrads)) g.dispose();
    return value;
  }

  transform(grads: TensorMap, ctx: MethodContext) {
    const { ngC, ngClip, ngEvery, ngFrozen, ngMetaLr, ngMetaWd, beta1, beta2 } = ctx.config;
    const metrics: Record<string, tf.Scalar> = {};
    if (!ngFrozen && ctx.step % ngEvery === 0) {
      this.metaOptimizer.setHyperparameters({ lr: ngMetaLr, weightDecay: ngMetaWd, beta1, beta2 });
      metrics.metaOuterLoss = this.metaStep(grads, ctx.params, ctx.lr, ngC);
    }
    const out = tf.tidy(() => {
      const amplified = this.amplifier.transform(grads, ngC);
      if (!(ngClip > 0)) return amplified;
      const scale = tf.minimum(1, tf.div(ngClip, tf.maximum(globalNorm(amplified), 1e-12)));
      return mapTensors(amplified, (g) => tf.mul(g, scale));
    });
    return { grads: out, metrics };
  }

  stateTensorCount(): number {
    return Object.keys(this.amplifier.vars).length * 3; // φ and its two Adam moments
  }

  dispose(): void {
    this.amplifier.dispose();
    this.metaOptimizer.dispose();
  }
}
