/**
 * Adam with coupled (L2, torch Adam's weight_decay) or decoupled (AdamW) weight decay and a
 * linear warm-up, on tf ops. Written by hand because tfjs has no AdamW and its built-in Adam
 * takes epsilon from the backend (1e-4 on WebGL). Hyperparameters are read at every step, so
 * changing them never resets the moments.
 */
import * as tf from '@tensorflow/tfjs';
import type { WeightDecayMode } from '../config/fields';
import type { OptimizerState } from '../core/checkpoint';
import type { TensorMap, VariableMap } from './tensors';

export interface AdamHyperparameters {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** Steps of linear warm-up: the factor is min(1, (t − 1) / warmupSteps) at the t-th step (1-based). */
  warmupSteps: number;
  weightDecay: number;
  weightDecayMode: WeightDecayMode;
  /** Parameters that get no weight decay. */
  decayExempt?: ReadonlySet<string>;
}

/** The tensors of a map as one flat vector, in the order of `names` (1-D tensors need no reshape). */
export function flatten(m: TensorMap, names: readonly string[]): tf.Tensor1D {
  const parts = names.map((n) => (m[n]!.rank === 1 ? m[n]! : tf.reshape(m[n]!, [-1])));
  return (parts.length === 1 ? parts[0]! : tf.concat(parts)) as tf.Tensor1D;
}

/** The inverse of `flatten`: a flat vector back into tensors shaped like `like`'s. */
export function unflatten(flat: tf.Tensor, like: TensorMap, names: readonly string[]): TensorMap {
  const parts = tf.split(
    flat,
    names.map((n) => like[n]!.size),
  );
  return Object.fromEntries(names.map((n, i) => [n, like[n]!.rank === 1 ? parts[i]! : tf.reshape(parts[i]!, like[n]!.shape)]));
}

/**
 * The reference's torch `LambdaLR(u → 1 if u > w else u / w)`: the t-th step (1-based) runs at
 * u = t − 1, so the first step has factor 0 and the factor reaches 1 at step w + 1. (Until
 * 2026-12-07 GrokLab used t / w, one step ahead: docs/decisions.md says which rows ran so.)
 */
export function warmupFactor(step: number, warmupSteps: number): number {
  return warmupSteps > 0 ? Math.min(1, (step - 1) / warmupSteps) : 1;
}

/**
 * The moments live in two flat buffers over all parameters, and one update is about a dozen
 * kernels on the concatenated vectors instead of a dozen per parameter tensor: on small
 * models the step is dominated by per-kernel overhead (≈ 20–60 µs each on wasm).
 */
export class AdamOptimizer {
  /** Steps taken so far (Adam's t). */
  stepCount = 0;
  private m: tf.Variable | null = null;
  private v: tf.Variable | null = null;
  /** Parameter names and sizes in flat-buffer order, fixed by the first step. */
  private layout: { names: string[]; sizes: number[] } | null = null;
  /** 1 where a component decays, 0 where exempt (null: everything decays). */
  private decayMask: { key: string; mask: tf.Tensor1D | null } | null = null;
  /** θ as one flat vector (see flatParameters) and the data ids of the parameters it mirrors. */
  private theta: tf.Variable | null = null;
  private thetaIds: object[] = [];

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
    const layout = this.ensureLayout(Object.keys(grads), (n) => grads[n]!.size);
    tf.tidy(() => this.update(params, flatten(grads, layout.names)));
  }

  /**
   * The same update from a gradient that is already one flat vector over `names` (the
   * parameters in the trainer's order, as `flatten` lays them out): no per-tensor kernels for
   * the gradient.
   */
  applyFlat(params: VariableMap, names: string[], grad: tf.Tensor1D): void {
    this.ensureLayout(names, (n) => params[n]!.size);
    tf.tidy(() => this.update(params, grad));
  }

  /**
   * θ as one flat vector, kept between steps: re-flattened only when a parameter was assigned
   * by someone else (a checkpoint restore), detected by its data id. Call inside tf.tidy.
   */
  flatParameters(params: VariableMap): tf.Tensor1D {
    const names = this.layout?.names ?? Object.keys(params);
    const ids = names.map((n) => params[n]!.dataId);
    if (this.theta && this.layout && ids.every((id, i) => id === this.thetaIds[i])) return this.theta as tf.Tensor1D;
    const flat = flatten(params, names);
    if (!this.layout) return flat;
    if (!this.theta) this.theta = tf.variable(flat, false);
    else this.theta.assign(flat);
    this.thetaIds = ids;
    return this.theta as tf.Tensor1D;
  }

  private update(params: VariableMap, gFlat: tf.Tensor): void {
    const { beta1, beta2, eps, weightDecay, weightDecayMode } = this.hp;
    const layout = this.layout!;
    const lr = this.nextLearningRate();
    this.stepCount++;
    const t = this.stepCount;
    const stepSize = lr / (1 - beta1 ** t);
    const sqrtBc2 = Math.sqrt(1 - beta2 ** t);
    const mask = weightDecay > 0 ? this.mask(layout) : null;
    const theta = this.flatParameters(params);
    let g = gFlat;
    const decay = (x: tf.Tensor) => (mask ? tf.mul(x, mask) : x);
    if (weightDecay > 0 && weightDecayMode === 'coupled') g = tf.add(g, decay(tf.mul(theta, weightDecay)));
    const mNew = tf.add(tf.mul(this.m!, beta1), tf.mul(g, 1 - beta1));
    const vNew = tf.add(tf.mul(this.v!, beta2), tf.mul(tf.square(g), 1 - beta2));
    this.m!.assign(mNew);
    this.v!.assign(vNew);
    const update = tf.div(tf.mul(mNew, stepSize), tf.add(tf.div(tf.sqrt(vNew), sqrtBc2), eps));
    const decayed = weightDecay > 0 && weightDecayMode === 'decoupled' ? tf.sub(theta, decay(tf.mul(theta, lr * weightDecay))) : theta;
    const next = tf.sub(decayed, update);
    const parts = tf.split(next, layout.sizes);
    layout.names.forEach((n, i) => params[n]!.assign(params[n]!.rank === 1 ? parts[i]! : tf.reshape(parts[i]!, params[n]!.shape)));
    this.theta!.assign(next);
    this.thetaIds = layout.names.map((n) => params[n]!.dataId);
  }

  private ensureLayout(names: string[], size: (name: string) => number): { names: string[]; sizes: number[] } {
    if (!this.layout) {
      const sizes = names.map(size);
      const total = sizes.reduce((a, b) => a + b, 0);
      this.layout = { names, sizes };
      this.m = tf.tidy(() => tf.variable(tf.zeros([total]), false));
      this.v = tf.tidy(() => tf.variable(tf.zeros([total]), false));
    } else if (names.join('\n') !== this.layout.names.join('\n')) {
      throw new Error('the set of parameters with gradients changed between steps');
    }
    return this.layout;
  }

  private mask(layout: { names: string[]; sizes: number[] }): tf.Tensor1D | null {
    const exempt = this.hp.decayExempt;
    const key = exempt ? [...exempt].sort().join('\n') : '';
    if (this.decayMask?.key !== key) {
      this.decayMask?.mask?.dispose();
      const mask =
        exempt && layout.names.some((n) => exempt.has(n))
          ? tf.keep(
              tf.tensor1d(
                Float32Array.from(layout.names.flatMap((n, i) => new Array<number>(layout.sizes[i]!).fill(exempt.has(n) ? 0 : 1))),
              ),
            )
          : null;
      this.decayMask = { key, mask };
    }
    return this.decayMask.mask;
  }

  /** Copies of the moments per parameter, for tests and checkpoints. */
  snapshot(): { t: number; m: Record<string, Float32Array>; v: Record<string, Float32Array> } {
    const read = (s: tf.Variable | null) => {
      const out: Record<string, Float32Array> = {};
      if (!s || !this.layout) return out;
      const all = s.dataSync() as Float32Array;
      let offset = 0;
      this.layout.names.forEach((n, i) => {
        out[n] = all.slice(offset, offset + this.layout!.sizes[i]!);
        offset += this.layout!.sizes[i]!;
      });
      return out;
    };
    return { t: this.stepCount, m: read(this.m), v: read(this.v) };
  }

  /** Adam's state for a checkpoint (asynchronous reads: no GPU stall); null before the first step. */
  async exportState(): Promise<OptimizerState | null> {
    if (!this.m || !this.v || !this.layout) return null;
    const [m, v] = (await Promise.all([this.m.data(), this.v.data()])) as [Float32Array, Float32Array];
    return { t: this.stepCount, names: [...this.layout.names], sizes: [...this.layout.sizes], m, v };
  }

  /** Continues from a checkpoint's state (the same parameters, in the same order). */
  importState(state: OptimizerState): void {
    const total = state.sizes.reduce((a, b) => a + b, 0);
    if (state.m.length !== total || state.v.length !== total) throw new Error('the checkpoint’s optimizer state does not match its layout');
    if (this.layout && this.layout.names.join('\n') !== state.names.join('\n'))
      throw new Error('the checkpoint’s optimizer state belongs to other parameters');
    this.m?.dispose();
    this.v?.dispose();
    this.layout = { names: [...state.names], sizes: [...state.sizes] };
    this.m = tf.tidy(() => tf.variable(tf.tensor1d(state.m), false));
    this.v = tf.tidy(() => tf.variable(tf.tensor1d(state.v), false));
    this.stepCount = state.t;
  }

  dispose(): void {
    this.m?.dispose();
    this.v?.dispose();
    this.theta?.dispose();
    this.theta = null;
    this.thetaIds = [];
    this.decayMask?.mask?.dispose();
    this.m = this.v = null;
    this.decayMask = null;
    this.layout = null;
  }
}
