/**
 * NeuralGrok (arXiv 2504.17243, and its reference code's current version):
 * - every inner step: g' = G_φ(g), clip the global norm, then the model's Adam step;
 * - every T steps, **after** that update, a bilevel meta step on the updated weights θ: the
 *   gradient g of the same minibatch is recomputed at θ and held constant, and
 *     θ' = θ − η·G_φ(g)   (η = the model's base learning rate, no clip, no decay)
 *     φ ← Adam(φ, ∇_φ CE_outer(θ'))   (coupled weight decay, the model's by default)
 *   The model's weights and Adam state are not touched by the meta step.
 *
 * The amplifier runs over the flat gradient (all parameters, trainer order) in bounded chunks,
 * and the meta-gradient is written out instead of taped: dL/dθ' from the model's hand-written
 * backward (fastgrad.ts), then by hand through the clip-free normalization, the per-tensor
 * softmax and the small MLP (`Amplifier.metaGradient`). Autograd through the whole amplifier
 * held several [N, width] activations at once: 216 MB each on the paper model at 128,128,
 * which ran the wasm heap out. `virtualOuterLoss` keeps the taped definition, for the tests.
 */
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../../config/schema';
import type { AmplifierState, MethodState } from '../../core/checkpoint';
import { expNonPositive } from '../fastgrad';
import { FUSED_SEGMENT_AMPLIFY_BACKWARD_KERNEL, FUSED_SEGMENT_AMPLIFY_KERNEL, hasFusedKernel, type FusedAmplifyAttrs } from '../fused';
import { AdamOptimizer, flatten, unflatten } from '../optimizer';
import { globalNorm, l2Norm, mapTensors, sumOver, type TensorMap, type VariableMap } from '../tensors';
import { Amplifier } from './amplifier';
import { Segments } from './segments';
import { NORM_FLOOR, normalizePerTensor } from './gradnorm';
import type { AfterUpdateContext, GradientMethod, MethodContext, MethodDiagnostics } from './types';

export interface NeuralGrokEnvironment {
  /** Cross-entropy of the model at parameters P on the outer split (differentiable: the reference path). */
  outerLoss(P: TensorMap): tf.Scalar;
  /** The same loss and its gradient with respect to P (the trainer's hand-written backward); autograd on `outerLoss` if absent. */
  outerLossAndGradient?(P: TensorMap): { loss: tf.Scalar; grads: TensorMap };
}

/** What a meta step reads from the config: η = lr (base), c, and the amplifier's Adam settings. */
export type MetaHyperparameters = Pick<RunConfig, 'lr' | 'ngC' | 'ngMetaLr' | 'ngMetaWd' | 'beta1' | 'beta2'>;

/** The amplified gradient of one flat gradient, with what the meta step's backward needs. */
interface Amplified {
  /** The amplifier's scores s, flat. */
  s: tf.Tensor1D;
  /** g' = c·u/‖u‖ per tensor, u = w ⊙ g, flat (before any clip). */
  applied: tf.Tensor1D;
  /**
   * The tf-op path's intermediates: per-tensor softmax weights w, u = w ⊙ g and ‖u‖ per tensor
   * (floored), [K]. Absent where the backend fuses the softmax and normalization (fused.ts
   * FUSED_SEGMENT_AMPLIFY_KERNEL), which recomputes them from s inside its kernels.
   */
  ops?: { w: tf.Tensor1D; u: tf.Tensor1D; norms: tf.Tensor1D };
}

export class NeuralGrokMethod implements GradientMethod {
  readonly id = 'neuralgrok';
  readonly amplifier: Amplifier;
  readonly metaOptimizer: AdamOptimizer;
  /** RMS of the last meta-gradient and of its weight-decay term wd·φ (kept scalars). */
  private lastMetaRms: { grad: tf.Scalar; decay: tf.Scalar } | null = null;
  /**
   * The last inner step's softmax weights (the tf-op path) or scores (the fused path: its weights
   * are one more kernel, run only when diagnostics ask), kept, so an evaluation step's
   * diagnostics need no second pass of the amplifier.
   */
  private last: { w: tf.Tensor1D } | { s: tf.Tensor1D; sizes: readonly number[] } | null = null;
  private segments: Segments | null = null;

  /** Hyperparameters (meta lr and decay, betas, c, clip, T) are read from each step's config, like every method's. */
  constructor(
    hidden: readonly number[],
    seed: number,
    private readonly env: NeuralGrokEnvironment,
    chunkRows?: number,
  ) {
    this.amplifier = new Amplifier(hidden, seed, chunkRows);
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

  /** Outer loss at the virtual weights θ − η·G_φ(g), as a function of φ through autograd (the reference definition). */
  virtualOuterLoss(grads: TensorMap, params: VariableMap, lr: number, c: number): tf.Scalar {
    const amplified = this.amplifier.transform(grads, c);
    const virtual = mapTensors(params, (theta, name) => (amplified[name] ? tf.sub(theta, tf.mul(amplified[name]!, lr)) : theta));
    return this.env.outerLoss(virtual);
  }

  /** The segment layout of a flat gradient with these tensor sizes (kept while the sizes stay). */
  private segmentsFor(sizes: readonly number[]): Segments {
    if (!this.segments?.matches(sizes)) {
      this.segments?.dispose();
      this.segments = new Segments(sizes);
    }
    return this.segments;
  }

  /**
   * g' = c·(w ⊙ g)/‖w ⊙ g‖ per tensor on a flat gradient with the given tensor sizes,
   * w = softmax of the amplifier's scores over each tensor. Where the backend has the fused
   * kernel, one kernel per call (one workgroup per tensor); elsewhere tf ops, whose softmax
   * subtracts the global maximum score, not each tensor's: the same value mathematically,
   * overflow-safe, and one kernel (it would underflow only if a tensor's scores all sat ~87
   * below the highest). Call inside a tidy.
   */
  private amplify(g: tf.Tensor1D, sizes: readonly number[], c: number): Amplified {
    const seg = this.segmentsFor(sizes);
    const s = this.amplifier.scoresFlat(g);
    if (hasFusedKernel(FUSED_SEGMENT_AMPLIFY_KERNEL)) {
      const attrs: FusedAmplifyAttrs = { c, output: 'applied' };
      const applied = tf.engine().runKernel(FUSED_SEGMENT_AMPLIFY_KERNEL, { scores: s, grad: g, offsets: seg.offsets }, attrs as never);
      return { s, applied: applied as tf.Tensor1D };
    }
    const w = weightsByOps(s, seg);
    const u = tf.mul(w, g) as tf.Tensor1D;
    const norms = tf.maximum(tf.sqrt(seg.sum(tf.square(u) as tf.Tensor1D)), NORM_FLOOR) as tf.Tensor1D;
    const applied = tf.mul(u, seg.expand(tf.div(c, norms) as tf.Tensor1D)) as tf.Tensor1D;
    return { s, applied, ops: { w, u, norms } };
  }

  /** The per-tensor softmax weights of an amplified gradient (on the fused path one more kernel, from its scores). Call inside a tidy. */
  private weightsOf(a: Pick<Amplified, 's' | 'ops'>, sizes: readonly number[]): tf.Tensor1D {
    if (a.ops) return a.ops.w;
    if (!hasFusedKernel(FUSED_SEGMENT_AMPLIFY_KERNEL)) return weightsByOps(a.s, this.segmentsFor(sizes)); // the kernel was taken out since
    const attrs: FusedAmplifyAttrs = { c: 1, output: 'weights' };
    const inputs = { scores: a.s, offsets: this.segmentsFor(sizes).offsets };
    return tf.engine().runKernel(FUSED_SEGMENT_AMPLIFY_KERNEL, inputs, attrs as never) as tf.Tensor1D;
  }

  /**
   * dL/ds from dL/dg' through g' = c·u/‖u‖ and u = softmax(s) ⊙ g, per tensor:
   *   dL/du = (c/‖u‖)·(v − û(û·v)),  v = dL/dg', û = u/‖u‖ (no projection where ‖u‖ was floored)
   *   dL/dw = dL/du ⊙ g,  dL/ds = w ⊙ (dL/dw − Σ w ⊙ dL/dw).
   * One kernel where the backend fuses it (FUSED_SEGMENT_AMPLIFY_BACKWARD_KERNEL).
   */
  private scoresGradient(a: Amplified, g: tf.Tensor1D, v: tf.Tensor1D, sizes: readonly number[], c: number): tf.Tensor1D {
    const seg = this.segmentsFor(sizes);
    if (!a.ops)
      return tf
        .engine()
        .runKernel(
          FUSED_SEGMENT_AMPLIFY_BACKWARD_KERNEL,
          { scores: a.s, grad: g, dApplied: v, offsets: seg.offsets },
          { c },
        ) as tf.Tensor1D;
    const { w, u, norms } = a.ops;
    const uHat = tf.mul(u, seg.expand(tf.div(1, norms) as tf.Tensor1D)) as tf.Tensor1D;
    const projection = tf.where(
      tf.lessEqual(norms, NORM_FLOOR),
      tf.zerosLike(norms),
      seg.sum(tf.mul(uHat, v) as tf.Tensor1D),
    ) as tf.Tensor1D;
    const du = tf.mul(tf.sub(v, tf.mul(uHat, seg.expand(projection))), seg.expand(tf.div(c, norms) as tf.Tensor1D));
    const dw = tf.mul(du, g) as tf.Tensor1D;
    return tf.mul(w, tf.sub(dw, seg.expand(seg.sum(tf.mul(w, dw) as tf.Tensor1D)))) as tf.Tensor1D;
  }

  /**
   * One meta step at (θ, g) with the config's meta hyperparameters (Adam on φ, coupled decay
   * `ngMetaWd`, the model's betas); returns the outer loss at θ' before the update. Call inside a tidy.
   */
  metaStep(grads: TensorMap, params: VariableMap, config: MetaHyperparameters): tf.Scalar {
    const { lr, ngC: c, ngMetaLr, ngMetaWd, beta1, beta2 } = config;
    this.metaOptimizer.setHyperparameters({ lr: ngMetaLr, weightDecay: ngMetaWd, beta1, beta2 });
    const { loss, metaGrads } = this.metaGradient(grads, params, lr, c);
    this.recordMetaRms(metaGrads);
    this.metaOptimizer.apply(this.amplifier.vars, metaGrads);
    this.amplifier.changed();
    return loss;
  }

  /**
   * CE_outer(θ − η·G_φ(g)) and its gradient with respect to φ (by amplifier variable name),
   * written out: no tape. Equal to `tf.variableGrads` of `virtualOuterLoss` (tested). Call inside a tidy.
   */
  metaGradient(grads: TensorMap, params: VariableMap, lr: number, c: number): { loss: tf.Scalar; metaGrads: TensorMap } {
    const names = Object.keys(grads);
    const sizes = names.map((n) => grads[n]!.size);
    const g = flatten(grads, names);
    const a = this.amplify(g, sizes, c);
    const theta = flatten(params, names);
    const virtual = unflatten(tf.sub(theta, tf.mul(a.applied, lr)), grads, names);
    const { loss, grads: outerGrads } = this.outerLossAndGradient(virtual);
    // θ' = θ − η·g'  ⇒  dL/dg' = −η·dL/dθ'
    const dApplied = tf.mul(flatten(outerGrads, names), -lr) as tf.Tensor1D;
    return { loss, metaGrads: this.amplifier.metaGradient(g, this.scoresGradient(a, g, dApplied, sizes, c)) };
  }

  private outerLossAndGradient(P: TensorMap): { loss: tf.Scalar; grads: TensorMap } {
    if (this.env.outerLossAndGradient) return this.env.outerLossAndGradient(P);
    const names = Object.keys(P);
    // tfjs refuses a gradient for an input the loss does not use; + 0·Σx makes every input used (gradient 0).
    const { value, grads } = tf.valueAndGrads((...xs: tf.Tensor[]) =>
      tf.add(
        this.env.outerLoss(Object.fromEntries(names.map((n, i) => [n, xs[i]!]))),
        tf.mul(0, tf.sum(tf.stack(xs.map((x) => tf.sum(x))))),
      ),
    )(names.map((n) => P[n]!));
    return { loss: value as tf.Scalar, grads: Object.fromEntries(names.map((n, i) => [n, grads[i]!])) };
  }

  transformFlat(grad: tf.Tensor1D, ctx: MethodContext): tf.Tensor1D {
    const sizes = Object.values(ctx.params).map((v) => v.size);
    if (sizes.reduce((x, y) => x + y, 0) !== grad.size) throw new Error('NeuralGrok: the flat gradient does not match the parameters');
    return this.applyFlat(grad, sizes, ctx.config);
  }

  transform(grads: TensorMap, ctx: MethodContext) {
    const names = Object.keys(grads);
    const sizes = names.map((n) => grads[n]!.size);
    return { grads: tf.tidy(() => unflatten(this.applyFlat(flatten(grads, names), sizes, ctx.config), grads, names)) };
  }

  /** The inner step's transform: amplify, then clip the global norm at `ngClip` (0: no clip). */
  private applyFlat(grad: tf.Tensor1D, sizes: readonly number[], config: RunConfig): tf.Tensor1D {
    const { ngC, ngClip } = config;
    return tf.tidy(() => {
      const a = this.amplify(grad, sizes, ngC);
      this.disposeLast();
      this.last = a.ops ? { w: tf.keep(a.ops.w) } : { s: tf.keep(a.s), sizes };
      if (!(ngClip > 0)) return a.applied;
      return tf.mul(a.applied, tf.minimum(1, tf.div(ngClip, tf.maximum(l2Norm(a.applied), NORM_FLOOR))));
    });
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
   * The weights are the last inner step's (of this same raw gradient).
   */
  diagnostics(raw: TensorMap, applied: TensorMap): MethodDiagnostics {
    const names = Object.keys(raw);
    const sizes = names.map((n) => raw[n]!.size);
    const total = sizes.reduce((x, y) => x + y, 0);
    const last = this.last;
    const w =
      last && 'w' in last && last.w.size === total
        ? last.w
        : last && 's' in last && last.s.size === total
          ? this.weightsOf({ s: last.s }, last.sizes)
          : this.weightsOf(this.amplify(flatten(raw, names), sizes, 1), sizes);
    const all = tf.mul(w, this.segmentsFor(sizes).sizePerComponent);
    const out: MethodDiagnostics = {
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

  private disposeLast(): void {
    if (this.last) tf.dispose('w' in this.last ? this.last.w : this.last.s);
    this.last = null;
  }

  private disposeMetaRms(): void {
    this.lastMetaRms?.grad.dispose();
    this.lastMetaRms?.decay.dispose();
    this.lastMetaRms = null;
  }

  /** φ and the meta optimizer's moments, for a checkpoint (asynchronous reads). */
  async exportAmplifierState(): Promise<AmplifierState> {
    return { weights: await this.amplifier.exportJson(), optimizer: await this.metaOptimizer.exportState() };
  }

  /** Continues from a checkpoint's amplifier state; throws, changing nothing, if its widths differ. */
  importAmplifierState(state: AmplifierState): void {
    this.amplifier.load(state.weights);
    if (state.optimizer) this.metaOptimizer.importState(state.optimizer);
  }

  /**
   * The amplifier state, and the last meta step's RMS figures: the next evaluation reports them
   * (the meta step runs after the evaluation's diagnostics), so a resumed run must have them too.
   */
  async exportState(): Promise<MethodState> {
    const rms = this.lastMetaRms;
    const scalars: Record<string, number> = rms
      ? { metaGradRms: (await rms.grad.data())[0]!, metaDecayRms: (await rms.decay.data())[0]! }
      : {};
    return { id: this.id, arrays: {}, scalars, amplifier: await this.exportAmplifierState() };
  }

  importState(state: MethodState): void {
    if (state.id !== this.id || !state.amplifier) throw new Error(`a ${state.id} state does not fit NeuralGrok`);
    this.importAmplifierState(state.amplifier);
    const { metaGradRms, metaDecayRms } = state.scalars;
    this.disposeMetaRms();
    if (metaGradRms !== undefined && metaDecayRms !== undefined)
      this.lastMetaRms = { grad: tf.keep(tf.scalar(metaGradRms)), decay: tf.keep(tf.scalar(metaDecayRms)) };
  }

  dispose(): void {
    this.amplifier.dispose();
    this.metaOptimizer.dispose();
    this.disposeMetaRms();
    this.disposeLast();
    this.segments?.dispose();
    this.segments = null;
  }
}

/** Per-tensor softmax weights of flat scores s as tf ops (the global maximum subtracted: see `amplify`). */
function weightsByOps(s: tf.Tensor1D, seg: Segments): tf.Tensor1D {
  const e = expNonPositive(tf.sub(s, tf.max(s))) as tf.Tensor1D; // ≤ 0: the fast σ(z)/σ(−z) form
  return tf.div(e, seg.expand(tf.maximum(seg.sum(e), 1e-30) as tf.Tensor1D)) as tf.Tensor1D;
}

/** Cosine between two gradients over all their components. */
export function cosine(a: TensorMap, b: TensorMap): tf.Scalar {
  const dot = sumOver(Object.fromEntries(Object.keys(a).map((k) => [k, tf.mul(a[k]!, b[k]!)])), (t) => tf.sum(t));
  return tf.div(dot, tf.maximum(tf.mul(globalNorm(a), globalNorm(b)), 1e-30));
}
