/**
 * NeuralGrok (arXiv 2504.17243, and its reference code's current version):
 * - every inner step: g' = G_φ(g), clip the global norm, then the model's Adam step;
 * - every T steps, **after** that update, a bilevel meta step on the updated weights θ: the
 *   gradient g of the same minibatch is recomputed at θ and held constant, and
 *     θ' = θ − η·G_φ(g)   (η = the model's base learning rate, no clip, no decay)
 *     φ ← Adam(φ, ∇_φ CE_outer(θ'))   (coupled weight decay, the model's by default)
 *   The model's weights and Adam state are not touched by the meta step.
 */
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../../config/schema';
import { AdamOptimizer } from '../optimizer';
import { globalNorm, mapTensors, sumOver, type TensorMap, type VariableMap } from '../tensors';
import { Amplifier } from './amplifier';
import { clipGlobalNorm, normalizePerTensor } from './gradnorm';
import type { AfterUpdateContext, GradientMethod, MethodContext } from './types';

export interface NeuralGrokEnvironment {
  /** Cross-entropy of the model at parameters P on the outer split. */
  outerLoss(P: TensorMap): tf.Scalar;
}

/** What a meta step reads from the config: η = lr (base), c, and the amplifier's Adam settings. */
export type MetaHyperparameters = Pick<RunConfig, 'lr' | 'ngC' | 'ngMetaLr' | 'ngMetaWd' | 'beta1' | 'beta2'>;

export class NeuralGrokMethod implements GradientMethod {
  readonly id = 'neuralgrok';
  readonly amplifier: Amplifier;
  readonly metaOptimizer: AdamOptimizer;
  /** RMS of the last meta-gradient and of its weight-decay term wd·φ (kept scalars). */
  private lastMetaRms: { grad: tf.Scalar; decay: tf.Scalar } | null = null;

  /** Hyperparameters (meta lr and decay, betas, c, clip, T) are read from each step's config, like every method's. */
  constructor(
    hidden: readonly number[],
    seed: number,
    private readonly env: NeuralGrokEnvironment,
  ) {
    this.amplifier = new Amplifier(hidden, seed);
    this.metaOptimizer = new AdamOptimizer({
      lr: 1e-4,
      beta1: 0.9,
      beta2: 0.98,
      eps: 1e-8,
      warmupSteps: 0,
      weightDecay: 0,
      weightDecayMode: 'coupled',
    });
  }

  /** Outer loss at the virtual weights θ − η·G_φ(g), as a function of φ (through the amplifier). */
  virtualOuterLoss(grads: TensorMap, params: VariableMap, lr: number, c: number): tf.Scalar {
    const amplified = this.amplifier.transform(grads, c);
    const virtual = mapTensors(params, (theta, name) => (amplified[name] ? tf.sub(theta, tf.mul(amplified[name]!, lr)) : theta));
    return this.env.outerLoss(virtual);
  }

  /**
   * One meta step at (θ, g) with the config's meta hyperparameters (Adam on φ, coupled decay
   * `ngMetaWd`, the model's betas); returns the outer loss at θ' before the update.
   */
  metaStep(grads: TensorMap, params: VariableMap, config: MetaHyperparameters): tf.Scalar {
    const { lr, ngC: c, ngMetaLr, ngMetaWd, beta1, beta2 } = config;
    this.metaOptimizer.setHyperparameters({ lr: ngMetaLr, weightDecay: ngMetaWd, beta1, beta2 });
    const { value, grads: metaGrads } = tf.variableGrads(
      () => this.virtualOuterLoss(grads, params, lr, c),
      Object.values(this.amplifier.vars),
    );
    const byName = Object.fromEntries(Object.entries(this.amplifier.vars).map(([k, v]) => [k, metaGrads[v.name]!]));
    this.recordMetaRms(byName);
    this.metaOptimizer.apply(this.amplifier.vars, byName);
    for (const g of Object.values(metaGrads)) g.dispose();
    return value;
  }

  transform(grads: TensorMap, ctx: MethodContext) {
    const { ngC, ngClip } = ctx.config;
    return { grads: tf.tidy(() => clipGlobalNorm(this.amplifier.transform(grads, ngC), ngClip)) };
  }

  /** The meta step, every T steps after the inner update, on the same minibatch (ALGORITHMS.md). */
  afterUpdate(ctx: AfterUpdateContext): Record<string, tf.Scalar> {
    const { ngEvery, ngFrozen } = ctx.config;
    if (ngFrozen || ctx.step % ngEvery !== 0) return {};
    // η is the base learning rate `lr` (the reference passes args.lr, not the warmed-up one).
    return { metaOuterLoss: this.metaStep(ctx.recomputeGradient(), ctx.params, ctx.config) };
  }

  /**
   * "Is the amplifier doing anything?", on the raw gradient g and the applied g':
   * - ampWeightMin/Max/Std: N·w over every component (N = its tensor's size), pooled; all 1
   *   for a uniform amplifier;
   * - cosToNorm: cosine between g' and plain per-tensor normalization of g (1 when uniform);
   * - metaGradRms, metaDecayRms: RMS of the last meta-gradient and of its coupled decay wd·φ.
   */
  diagnostics(raw: TensorMap, applied: TensorMap): Record<string, tf.Scalar> {
    const w = this.amplifier.weights(raw);
    const nw = Object.values(w).map((t) => tf.reshape(tf.mul(t, t.size), [-1]));
    const all = tf.concat(nw, 0);
    const out: Record<string, tf.Scalar> = {
      ampWeightMin: tf.min(all),
      ampWeightMax: tf.max(all),
      ampWeightStd: tf.sqrt(tf.mean(tf.square(tf.sub(all, 1)))),
      cosToNorm: cosine(applied, normalizePerTensor(raw, 1)),
    };
    if (this.lastMetaRms) {
      out.metaGradRms = tf.clone(this.lastMetaRms.grad);
      out.metaDecayRms = tf.clone(this.lastMetaRms.decay);
    }
    return out;
  }

  private recordMetaRms(metaGrads: TensorMap): void {
    const wd = this.metaOptimizer.hp.weightDecay;
    const n = Object.values(metaGrads).reduce((sum, t) => sum + t.size, 0);
    const next = tf.tidy(() => ({
      grad: tf.keep(tf.div(globalNorm(metaGrads), Math.sqrt(n))),
      decay: tf.keep(tf.mul(tf.div(globalNorm(this.amplifier.vars), Math.sqrt(n)), wd)),
    })) as { grad: tf.Scalar; decay: tf.Scalar };
    this.disposeMetaRms();
    this.lastMetaRms = next;
  }

  private disposeMetaRms(): void {
    this.lastMetaRms?.grad.dispose();
    this.lastMetaRms?.decay.dispose();
    this.lastMetaRms = null;
  }

  dispose(): void {
    this.amplifier.dispose();
    this.metaOptimizer.dispose();
    this.disposeMetaRms();
  }
}

/** Cosine between two gradients over all their components. */
export function cosine(a: TensorMap, b: TensorMap): tf.Scalar {
  const dot = sumOver(Object.fromEntries(Object.keys(a).map((k) => [k, tf.mul(a[k]!, b[k]!)])), (t) => tf.sum(t));
  return tf.div(dot, tf.maximum(tf.mul(globalNorm(a), globalNorm(b)), 1e-30));
}
