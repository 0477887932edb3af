/**
 * The trainer: one optimizer step at a time — batch → gradient → method → optimizer →
 * metrics — with each step's metrics packed into one small tensor so a caller reads a whole
 * interval back at once (one `await data()`), never one synchronous read per step.
 */
import * as tf from '@tensorflow/tfjs';
import { isLiveField, outerSplitIsTraining, type FieldKey } from '../config/fields';
import type { AmplifierJson } from '../core/amplifier';
import type { Checkpoint } from '../core/checkpoint';
import { validateConfig, type RunConfig, type ValidConfig } from '../config/schema';
import { METRIC_KEYS, unpackRecords, type MetricKey, type StepRecord } from '../core/metrics';
import { BatchSampler } from './batches';
import { absoluteEntropy, crossEntropy, weightNorm } from './metrics';
import { createMethod, type GradientMethod } from './methods';
import type { StateOptions } from './methods/types';
import { explainAllocationFailure } from './out-of-memory';
import { decayExemptNames, forward, initParameters, type ModelConfig } from './model';
import { buildFastBatch, fastLossAndGradients } from './fastgrad';
import { AdamOptimizer, flatten, unflatten } from './optimizer';
import { buildDataset, splitDataset, type Dataset, type Split } from './tasks';
import { mlpInputBlocks } from '../core/tasks';
import { disposeMap, type TensorMap, type VariableMap } from './tensors';

/**
 * cos(Δθ, θ) of one update, from θ before and after it: near 1 when the step only grows the
 * weights along themselves (naïve loss minimization, which scales the logits toward softmax
 * collapse). NaN when nothing moved.
 */
export function updateCosine(before: tf.Tensor1D, after: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const delta = tf.sub(after, before);
    return tf.div(tf.sum(tf.mul(delta, before)), tf.mul(tf.norm(delta), tf.norm(before))) as tf.Scalar;
  });
}

export interface StepsResult {
  records: StepRecord[];
  /** Wall-clock steps per second over this batch of steps, readback included. */
  stepsPerSecond: number;
  /** First step whose training loss was not finite, if any: the run diverged. */
  divergedAt: number | null;
}

/**
 * Token positions per evaluation chunk (rows × sequence length). Each chunk runs in its own
 * tidy: a whole 4-layer poly5 split at once held ~2 GB of activations and aborted the wasm
 * heap. 8 192 tokens: a 456 MB peak on that model (672 MB at 16 384), no slower.
 */
const EVAL_CHUNK_TOKENS = 8192;

interface SplitTensors {
  tokens: tf.Tensor2D;
  targets: tf.Tensor1D;
  rows: Int32Array;
}

export class Trainer {
  readonly dataset: Dataset;
  readonly split: Split;
  readonly modelConfig: ModelConfig;
  readonly params: VariableMap;
  readonly optimizer: AdamOptimizer;
  private method: GradientMethod;
  private config: ValidConfig;
  private sampler: BatchSampler;
  private readonly val: Int32Array;
  /** The rows the current method trains on (NeuralGrok: the inner split; baselines: inner + outer). */
  private train: Int32Array;
  /** On the device: the autograd reference of the outer loss (`outerLoss`) reads them. */
  private readonly outer: SplitTensors;

  /** `config` is validated where it was made (ValidConfig): the Trainer runs it as it is. */
  constructor(config: ValidConfig) {
    this.config = config;
    const c = this.config;
    this.dataset = buildDataset(c.task, c.p);
    // The outer split is always carved out, so a run can switch to NeuralGrok mid-way;
    // baselines train on it too (the full training fraction, in the same seeded order).
    this.split = splitDataset(this.dataset.size, c.seed, c.trainFraction, c.outerFraction);
    this.modelConfig = {
      kind: c.model,
      vocabSize: this.dataset.vocabSize,
      seqLen: this.dataset.seqLen,
      layers: c.layers,
      dModel: c.dModel,
      heads: c.heads,
      // the MLP reads the operands only and predicts a number, as Prieto et al.'s (mlp.ts)
      ...(c.model === 'mlp' && { mlpInputs: mlpInputBlocks(c.task, c.p), classes: c.p }),
    };
    this.params = initParameters(this.modelConfig, c.seed);
    this.optimizer = new AdamOptimizer(this.optimizerHyperparameters(c));
    const rows = this.trainingRows(c);
    this.sampler = new BatchSampler(rows, c.batchSize, c.seed);
    this.val = this.split.val;
    this.train = rows;
    this.outer = this.batchTensors(this.split.outer);
    this.method = this.createMethod(c);
  }

  get currentConfig(): ValidConfig {
    return this.config;
  }

  /** Number of model parameters (components of θ). */
  get parameterCount(): number {
    return Object.values(this.params).reduce((n, v) => n + v.size, 0);
  }

  get stepCount(): number {
    return this.optimizer.stepCount;
  }

  get gradientMethod(): GradientMethod {
    return this.method;
  }

  /**
   * Applies live edits (learning rate, weight decay, method hyperparameters…) at the next
   * step, keeping weights and optimizer state. Structural changes throw, naming the fields:
   * they need a new Trainer.
   */
  updateConfig(changes: Partial<RunConfig>): void {
    // the edited config is made here, from the run's own: validated once, here
    const next = validateConfig({ ...this.config, ...changes });
    const structural = (Object.keys(changes) as FieldKey[]).filter(
      (k) => !isLiveField(k) && JSON.stringify(next[k]) !== JSON.stringify(this.config[k]),
    );
    if (structural.length > 0) throw new Error(`changing ${structural.join(', ')} needs a reset (only live fields change mid-run)`);
    // A new method, or the matched ablation toggled: the training rows may change too.
    const switching = next.method !== this.config.method || outerSplitIsTraining(next) !== outerSplitIsTraining(this.config);
    this.config = next;
    this.optimizer.setHyperparameters(this.optimizerHyperparameters(next));
    if (switching) this.switchMethod();
  }

  /**
   * Continues from the current weights and Adam state with another method: its own state
   * (EMA, window, amplifier) starts fresh, and the training rows follow the method
   * (NeuralGrok holds out the outer split; a baseline trains on it again).
   */
  private switchMethod(): void {
    this.method.dispose();
    const rows = this.trainingRows(this.config);
    if (rows.length !== this.train.length) {
      this.train = rows;
      this.sampler = new BatchSampler(rows, this.config.batchSize, this.config.seed + this.optimizer.stepCount);
    }
    this.method = this.createMethod(this.config);
  }

  private createMethod(c: RunConfig): GradientMethod {
    return createMethod(c, { outerLoss: (P) => this.outerLoss(P), outerLossAndGradient: (P) => this.outerLossAndGradient(P) });
  }

  private trainingRows(c: RunConfig): Int32Array {
    if (!outerSplitIsTraining(c)) return this.split.train;
    const rows = new Int32Array(this.split.outer.length + this.split.train.length);
    rows.set(this.split.outer);
    rows.set(this.split.train, this.split.outer.length);
    return rows;
  }

  /** One training step; returns its packed metrics (caller disposes). */
  step(): tf.Tensor1D {
    const c = this.config;
    const stepIndex = this.optimizer.stepCount + 1;
    const detailed = stepIndex === 1 || stepIndex % c.evalEvery === 0;
    const lr = this.optimizer.nextLearningRate();
    const batch = this.sampler.next();
    return tf.tidy(() => {
      // Loss and gradient by the hand-written backward pass (fastgrad.ts; equal to autograd on
      // `forward`, tested): about a third of the kernels of tf.variableGrads.
      const input = buildFastBatch(this.dataset.inputs, this.dataset.targets, batch, this.dataset.seqLen, this.modelConfig.vocabSize, true);
      const gradient = () => fastLossAndGradients(this.params, input, this.modelConfig, true, { loss: c.loss });
      const first = gradient();
      const raw = this.inParameterOrder(first.grads!);
      const ctx = { step: stepIndex, lr, params: this.params, config: c };
      const values: Partial<Record<MetricKey, tf.Scalar>> = {};
      // θ before this step's update, for the update's cosine with θ (naïve loss minimization)
      const thetaBefore = detailed ? tf.clone(this.optimizer.flatParameters(this.params)) : null;
      if (this.method.transformFlat) {
        // Methods that treat every component alike work on one flat vector, and so does Adam.
        const names = Object.keys(raw);
        const rawFlat = flatten(raw, names);
        const applied = this.method.transformFlat(rawFlat, ctx);
        if (detailed) {
          values.ageRaw = absoluteEntropy({ all: rawFlat });
          values.ageApplied = applied === rawFlat ? values.ageRaw : absoluteEntropy({ all: applied });
          Object.assign(values, this.method.diagnostics?.(raw, unflatten(applied, raw, names), ctx));
        }
        this.optimizer.applyFlat(this.params, names, applied);
      } else {
        const result = this.method.transform(raw, ctx);
        Object.assign(values, result.metrics);
        if (detailed) {
          values.ageRaw = absoluteEntropy(raw);
          values.ageApplied = absoluteEntropy(result.grads);
          Object.assign(values, this.method.diagnostics?.(raw, result.grads, ctx));
        }
        this.optimizer.apply(this.params, result.grads);
      }
      if (thetaBefore) values.nlmCosine = updateCosine(thetaBefore, this.optimizer.flatParameters(this.params));
      values.trainLoss = first.loss;
      values.lr = tf.scalar(lr);
      values.trainAcc = tf.div(first.correct, batch.length);
      const recomputeGradient = () => this.inParameterOrder(gradient().grads!);
      Object.assign(values, this.method.afterUpdate?.({ ...ctx, recomputeGradient }));
      if (detailed) Object.assign(values, this.evaluateTensors());
      return tf.stack(METRIC_KEYS.map((k) => values[k] ?? tf.scalar(NaN))) as tf.Tensor1D;
    });
  }

  /** A gradient map in the parameters' order (the optimizer's flat layout). */
  private inParameterOrder(grads: TensorMap): TensorMap {
    const out: TensorMap = {};
    for (const name of Object.keys(this.params)) if (grads[name]) out[name] = grads[name]!;
    return out;
  }

  /** Runs n steps and reads their metrics back in one transfer. */
  async runSteps(n: number): Promise<StepsResult> {
    const start = performance.now();
    const first = this.optimizer.stepCount + 1;
    const packed: tf.Tensor1D[] = [];
    try {
      for (let i = 0; i < n; i++) packed.push(this.step());
    } catch (e) {
      for (const t of packed) t.dispose();
      throw explainAllocationFailure(e, this.config, this.parameterCount);
    }
    const stacked = tf.stack(packed);
    // Dispose the inputs only after the read: for n = 1 the stack is a reshape sharing their
    // buffer, and tfjs-webgpu recycled that buffer early (we read zeros / stale values).
    const data = await stacked.data();
    for (const t of packed) t.dispose();
    stacked.dispose();
    const records = unpackRecords(data, first, n);
    const elapsed = (performance.now() - start) / 1000;
    const bad = records.find((r) => !Number.isFinite(r.trainLoss));
    return { records, stepsPerSecond: n / Math.max(elapsed, 1e-9), divergedAt: bad ? bad.step : null };
  }

  /** Validation and full-training-split loss/accuracy, softmax collapse, weight norm and weight entropy, as scalars. */
  evaluateTensors(): Partial<Record<MetricKey, tf.Scalar>> {
    const [valLoss, valAcc] = this.evaluateSplit(this.val);
    // the training split's pass also counts the rows whose loss gradient is exactly 0 (softmax collapse)
    const [trainFullLoss, trainFullAcc, collapseFraction] = this.evaluateSplit(this.train, true);
    return {
      valLoss,
      valAcc,
      trainFullLoss,
      trainFullAcc,
      collapseFraction,
      ...tf.tidy(() => {
        // on θ as one flat vector (the optimizer keeps it): a few kernels instead of a few per tensor
        const theta = { all: this.optimizer.flatParameters(this.params) };
        return { weightNorm: weightNorm(theta), weightEntropy: absoluteEntropy(theta) };
      }),
    };
  }

  /** The NeuralGrok amplifier's weights, or null when the method has none. */
  async exportAmplifier(): Promise<AmplifierJson | null> {
    return (await this.method.amplifier?.exportJson()) ?? null;
  }

  /** Loads amplifier weights into the current NeuralGrok method; throws, changing nothing, otherwise. */
  importAmplifier(json: AmplifierJson): void {
    if (!this.method.amplifier) throw new Error('switch the method to NeuralGrok first');
    this.method.amplifier.load(json);
  }

  /** The training loss on the outer split at parameters P (NeuralGrok's meta objective). */
  outerLoss(P: TensorMap): tf.Scalar {
    return crossEntropy(forward(P, this.outer.tokens, this.modelConfig), this.outer.targets, this.config.loss);
  }

  /** The same loss and its gradient with respect to P, by the hand-written backward (the meta step's fast path). */
  outerLossAndGradient(P: TensorMap): { loss: tf.Scalar; grads: TensorMap } {
    const rows = this.split.outer;
    const batch = buildFastBatch(this.dataset.inputs, this.dataset.targets, rows, this.dataset.seqLen, this.modelConfig.vocabSize, true);
    const r = fastLossAndGradients(P, batch, this.modelConfig, true, { loss: this.config.loss });
    return { loss: r.loss, grads: r.grads! };
  }

  /** Copies of the weights (checkpoints, export). */
  async exportParameters(): Promise<Record<string, Float32Array>> {
    const entries = Object.entries(this.params);
    const values = await Promise.all(entries.map(([, v]) => v.data() as Promise<Float32Array>));
    return Object.fromEntries(entries.map(([n], i) => [n, values[i]!]));
  }

  /**
   * Everything the next step depends on: weights, Adam's moments and step, the method's state,
   * the batch order's position. Restored by `restoreCheckpoint`, the run continues bit for bit
   * as if never stopped (tested for every method). `skipWindow`: the browser's frequent
   * checkpoints leave GrokFast-MA's window out (it refills).
   */
  async exportCheckpoint(opts: StateOptions = {}): Promise<Checkpoint> {
    return {
      step: this.stepCount,
      params: await this.exportParameters(),
      optimizer: await this.optimizer.exportState(),
      method: (await this.method.exportState?.(opts)) ?? null,
      sampler: this.sampler.exportState(),
    };
  }

  /**
   * Continues from a checkpoint: its weights and step, and where present Adam's moments, the
   * method's state (or an older checkpoint's amplifier) and the batch position. Checks the
   * weights before changing anything; throws naming what does not fit. A method state of
   * another method, or a batch order over other rows (the browser's last checkpoint from just
   * before a method switch), is left out: the method and the order start fresh, as the switch
   * itself does. (The CLI refuses a checkpoint of another config before it gets here.)
   */
  restoreCheckpoint(c: Checkpoint): void {
    for (const [n, v] of Object.entries(this.params)) {
      const values = c.params[n];
      if (!values || values.length !== v.size) throw new Error(`the checkpoint does not match parameter ${n}`);
    }
    const stored = c.method ?? (c.amplifier ? { id: 'neuralgrok', arrays: {}, scalars: {}, amplifier: c.amplifier } : null);
    const method = stored?.id === this.method.id ? stored : null;
    const sampler = c.sampler?.order.length === this.train.length ? c.sampler : undefined;
    tf.tidy(() => {
      for (const [n, v] of Object.entries(this.params)) v.assign(tf.tensor(c.params[n]!, v.shape));
    });
    this.optimizer.stepCount = c.step;
    if (c.optimizer) this.optimizer.importState(c.optimizer);
    if (method) this.method.importState?.(method);
    if (sampler) this.sampler.importState(sampler);
  }

  dispose(): void {
    disposeMap(this.params);
    this.optimizer.dispose();
    this.method.dispose();
    for (const s of [this.outer]) {
      s.tokens.dispose();
      s.targets.dispose();
    }
  }

  /** Mean loss and accuracy over a split, in chunks; with `countCollapsed`, also the fraction of rows whose loss gradient is exactly 0. */
  private evaluateSplit(split: Int32Array, countCollapsed = false): tf.Scalar[] {
    const n = split.length;
    const chunkRows = Math.max(1, Math.floor(EVAL_CHUNK_TOKENS / this.dataset.seqLen));
    // running sums: loss × rows, correct rows, collapsed rows
    let sums: tf.Scalar[] = [tf.scalar(0), tf.scalar(0), tf.scalar(0)];
    for (let start = 0; start < n; start += chunkRows) {
      const rows = split.subarray(start, Math.min(n, start + chunkRows));
      const next = tf.tidy(() => {
        const input = buildFastBatch(
          this.dataset.inputs,
          this.dataset.targets,
          rows,
          this.dataset.seqLen,
          this.modelConfig.vocabSize,
          false,
        );
        const r = fastLossAndGradients(this.params, input, this.modelConfig, false, { loss: this.config.loss, countCollapsed });
        return [
          tf.add(sums[0]!, tf.mul(r.loss, rows.length)),
          tf.add(sums[1]!, r.correct),
          r.collapsed ? tf.add(sums[2]!, r.collapsed) : tf.clone(sums[2]!),
        ];
      }) as tf.Scalar[];
      tf.dispose(sums);
      sums = next;
    }
    const out = tf.tidy(() =>
      n === 0
        ? sums.map(() => tf.scalar(NaN))
        : [tf.div(sums[0]!, n), tf.div(sums[1]!, n), ...(countCollapsed ? [tf.div(sums[2]!, n)] : [])],
    ) as tf.Scalar[];
    tf.dispose(sums);
    return out;
  }

  private batchTensors(rows: Int32Array): SplitTensors {
    const T = this.dataset.seqLen;
    const tokens = new Int32Array(rows.length * T);
    const targets = new Int32Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      tokens.set(this.dataset.inputs.subarray(r * T, r * T + T), i * T);
      targets[i] = this.dataset.targets[r]!;
    }
    return { tokens: tf.tensor2d(tokens, [rows.length, T], 'int32'), targets: tf.tensor1d(targets, 'int32'), rows: Int32Array.from(rows) };
  }

  private optimizerHyperparameters(c: RunConfig) {
    return {
      lr: c.lr,
      beta1: c.beta1,
      beta2: c.beta2,
      eps: c.eps,
      warmupSteps: c.warmupSteps,
      weightDecay: c.weightDecay,
      weightDecayMode: c.weightDecayMode,
      decayExempt: c.decayAll ? undefined : decayExemptNames(this.modelConfig),
    };
  }
}
