/**
 * Adam with coupled (L2, torch Adam's weight_decay) or decoupled (AdamW) weight decay and a
 * linear warm-up, on tf ops. Written by hand because tfjs has no AdamW and its built-in Adam
 * takes epsilon from the backend (1e-4 on WebGL). Hyperparameters are read at every step, so
 * changing them never resets the moments.
 */
import * as tf from '@tensorflow/tfjs';
import type { WeightDecayMode } from '../config/fields';
import type { TensorMap, VariableMap } from './tensors';

export interface AdamHyperparameters {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** Steps of linear warm-up: the factor is min(1, t / warmupSteps) at the t-th step (1-based). */
  warmupSteps: number;
  weightDecay: number;
  weightDecayMode: WeightDecayMode;
  /** Parameters that get no weight decay. */
  decayExempt?: ReadonlySet<string>;
}

export function warmupFactor(step: number, warmupSteps: number): number {
  return warmupSteps > 0 ? Math.min(1, step / warmupSteps) : 1;
}

export class AdamOptimizer {
  /** Steps taken so far (Adam's t). */
  stepCount = 0;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();

  constructor(public hp: AdamHyperparameters) {}

  setHyperparameters(hp: Partial<AdamHyperparameters>): void {
    this.hp = { ...this.hp, ...hp };
  }

  /** Learning rate that the next step will use (warm-up applied). */
  nextLearningRate(): number {
    return this.hp.lr * warmupFactor(this.stepCount + 1, this.hp.warmupSteps);
  }

  /** One update of every parameter that has a gradient. */
  apply(params: VariableMap, grads: TensorMap): void {
    const { beta1, beta2, eps, weightDecay, weightDecayMode, decayExempt } = this.hp;
    const lr = this.nextLearningRate();
    this.stepCount++;
    const t = this.stepCount;
    const stepSize = lr / (1 - beta1 ** t);
    const sqrtBc2 = Math.sqrt(1 - beta2 ** t);
    tf.tidy(() => {
      for (const name of Object.keys(grads)) {
        const theta = params[name]!;
        const m = this.moment(this.m, name, theta);
        const v = this.moment(this.v, name, theta);
        const decays = weightDecay > 0 && !decayExempt?.has(name);
        let g = grads[name]!;
        if (decays && weightDecayMode === 'coupled') g = tf.add(g, tf.mul(theta, weightDecay));
        const mNew = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
        const vNew = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
        m.assign(mNew);
        v.assign(vNew);
        const update = tf.div(tf.mul(mNew, stepSize), tf.add(tf.div(tf.sqrt(vNew), sqrtBc2), eps));
        const decayed = decays && weightDecayMode === 'decoupled' ? tf.mul(theta, 1 - lr * weightDecay) : theta;
        theta.assign(tf.sub(decayed, update));
      }
    });
  }

  private moment(store: Map<string, tf.Variable>, name: string, like: tf.Tensor): tf.Variable {
    let s = store.get(name);
    if (!s) {
      s = tf.tidy(() => tf.variable(tf.zerosLike(like), false));
      store.set(name, s);
    }
    return s;
  }

  /** Copies of the moments, for tests and for checkpoints. */
  snapshot(): { t: number; m: Record<string, Float32Array>; v: Record<string, Float32Array> } {
    const read = (s: Map<string, tf.Variable>) => Object.fromEntries([...s].map(([k, x]) => [k, x.dataSync() as Float32Array]));
    return { t: this.stepCount, m: read(this.m), v: read(this.v) };
  }

  dispose(): void {
    for (const s of [...this.m.values(), ...this.v.values()]) s.dispose();
    this.m.clear();
    this.v.clear();
  }
}
