/**
 * Adam with coupled (L2, torch Adam's weight_decay) or decoupled (AdamW) weight decay and a
 * linear warm-up, on tf ops. Written by hand because tfjs has no AdamW and its built-in Adam
 * takes epsilon from the backend (1e-4 on WebGL). Hyperparameters are read at every step, so
 * changing them never resets the moments.
 */
import * as tf from '@tensorflow/tfjs';
import type { WeightDecayMode } from '../config/fields';
import type { OptimizerState } from '../core/checkpoint';
import { FUSED_ADAM_KERNEL, hasFusedKernel, type FusedAdamAttrs } from './fused';
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

/** Whether the active backend has the fused update (asked once per optimizer, at its first step). */
const hasFusedAdam = () => hasFusedKernel(FUSED_ADAM_KERNEL);

/**
 * The moments live in two flat buffers over all parameters, and one update is about a dozen
 * kernels on the concatenated vectors instead of a dozen per parameter tensor: on small
 * models the step is dominated by per-kernel overhead (≈ 20–60 µs each on wasm). Where the
 * backend has the fused kernel, m, v and θ live in one packed buffer instead and the update is
 * one kernel, plus one copy per parameter tensor out of it.
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
  /** Fused mode only: [m | v | θ] in one buffer (m and v then stay null; θ is refreshed from the parameters when they were assigned by someone else). */
  private packed: tf.Variable | null = null;
  /** Whether this optimizer uses the fused kernel, fixed at its first step or state import. */
  private fused: boolean | null = null;

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
    if (this.packed && this.layout) {
      const n = this.total();
      const current = ids.every((id, i) => id === this.thetaIds[i]);
      return current ? (tf.slice(this.packed, [2 * n], [n]) as tf.Tensor1D) : flatten(params, names);
    }
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
    if (this.packed) {
      const coupledWd = weightDecay > 0 && weightDecayMode === 'coupled' ? weightDecay : 0;
      const decoupledWd = weightDecay > 0 && weightDecayMode === 'decoupled' ? lr * weightDecay : 0;
      this.updateFused(params, gFlat, mask, { beta1, beta2, eps, stepSize, sqrtBc2, coupledWd, decoupledWd });
      return;
    }
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

  /**
   * The fused update: one kernel from [m | v | θ] and g to the next [m | v | θ], then each
   * parameter a slice of its θ part (a copy per tensor: tfjs cannot alias part of a buffer).
   */
  private updateFused(params: VariableMap, g: tf.Tensor, mask: tf.Tensor1D | null, attrs: FusedAdamAttrs): void {
    const { names, sizes } = this.layout!;
    const n = this.total();
    const packed = this.packed!;
    // θ's part is stale after someone else assigned a parameter (a checkpoint restore, the first step)
    if (!names.every((name, i) => params[name]!.dataId === this.thetaIds[i]))
      packed.assign(tf.concat([tf.slice(packed, [0], [2 * n]), flatten(params, names)]));
    const inputs: tf.NamedTensorMap = mask ? { state: packed, grad: g, mask } : { state: packed, grad: g };
    const next = tf.engine().runKernel(FUSED_ADAM_KERNEL, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor1D;
    packed.assign(next);
    let offset = 2 * n;
    names.forEach((name, i) => {
      const p = params[name]!;
      p.assign(tf.reshape(tf.slice(next, [offset], [sizes[i]!]), p.shape));
      offset += sizes[i]!;
    });
    this.thetaIds = names.map((name) => params[name]!.dataId);
  }

  private total(): number {
    return this.layout!.sizes.reduce((a, b) => a + b, 0);
  }

  /** Whether to run fused, decided once (the backend does not change under a trainer). */
  private usesFused(): boolean {
    return (this.fused ??= hasFusedAdam());
  }

  private ensureLayout(names: string[], size: (name: string) => number): { names: string[]; sizes: number[] } {
    if (!this.layout) {
      const sizes = names.map(size);
      const total = sizes.reduce((a, b) => a + b, 0);
      this.layout = { names, sizes };
      if (this.usesFused()) {
        this.packed = tf.tidy(() => tf.variable(tf.zeros([3 * total]), false));
        this.thetaIds = []; // θ's part is filled from the parameters at the first update
      } else {
        this.m = tf.tidy(() => tf.variable(tf.zeros([total]), false));
        this.v = tf.tidy(() => tf.variable(tf.zeros([total]), false));
      }
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
    const moments = this.moments();
    const read = (s: tf.Tensor | null) => {
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
    const out = { t: this.stepCount, m: read(moments?.m ?? null), v: read(moments?.v ?? null) };
    if (this.packed && moments) tf.dispose([moments.m, moments.v]);
    return out;
  }

  /** m and v as flat tensors (in fused mode new slices of the packed state: the caller disposes them). */
  private moments(): { m: tf.Tensor1D; v: tf.Tensor1D } | null {
    if (!this.layout) return null;
    if (!this.packed) return this.m && this.v ? { m: this.m as tf.Tensor1D, v: this.v as tf.Tensor1D } : null;
    const n = this.total();
    return tf.tidy(() => ({ m: tf.slice(this.packed!, [0], [n]) as tf.Tensor1D, v: tf.slice(this.packed!, [n], [n]) as tf.Tensor1D }));
  }

  /** Adam's state for a checkpoint (asynchronous reads: no GPU stall); null before the first step. */
  async exportState(): Promise<OptimizerState | null> {
    const moments = this.moments();
    if (!moments || !this.layout) return null;
    try {
      const [m, v] = (await Promise.all([moments.m.data(), moments.v.data()])) as [Float32Array, Float32Array];
      return { t: this.stepCount, names: [...this.layout.names], sizes: [...this.layout.sizes], m, v };
    } finally {
      if (this.packed) tf.dispose([moments.m, moments.v]);
    }
  }

  /** Continues from a checkpoint's state (the same parameters, in the same order). */
  importState(state: OptimizerState): void {
    const total = state.sizes.reduce((a, b) => a + b, 0);
    if (state.m.length !== total || state.v.length !== total) throw new Error('the checkpoint’s optimizer state does not match its layout');
    if (this.layout && this.layout.names.join('\n') !== state.names.join('\n'))
      throw new Error('the checkpoint’s optimizer state belongs to other parameters');
    this.m?.dispose();
    this.v?.dispose();
    this.packed?.dispose();
    this.m = this.v = this.packed = null;
    this.layout = { names: [...state.names], sizes: [...state.sizes] };
    if (this.usesFused()) {
      this.packed = tf.tidy(() => tf.variable(tf.concat([tf.tensor1d(state.m), tf.tensor1d(state.v), tf.zeros([total])]), false));
      this.thetaIds = []; // θ's part is filled from the parameters at the next update
    } else {
      this.m = tf.tidy(() => tf.variable(tf.tensor1d(state.m), false));
      this.v = tf.tidy(() => tf.variable(tf.tensor1d(state.v), false));
    }
    this.stepCount = state.t;
  }

  dispose(): void {
    this.m?.dispose();
    this.v?.dispose();
    this.packed?.dispose();
    this.packed = null;
    this.fused = null;
    this.theta?.dispose();
    this.theta = null;
    this.thetaIds = [];
    this.decayMask?.mask?.dispose();
    this.m = this.v = null;
    this.decayMask = null;
    this.layout = null;
  }
}
