/**
 * The corrected specification (issue 8): NeuralGrok's meta-step order and minibatch, the
 * amplifier's initialization, the constant-amplifier ≡ matched-normalization equivalence, the
 * "is the amplifier doing anything?" diagnostics, and the reference token layouts.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildConfig, METHOD_WEIGHT_DECAY } from '../src/config/schema';
import { CLASSROOM_CONFIG, PAPER_CONFIG } from '../src/config/presets';
import { BatchSampler } from '../src/engine/batches';
import { crossEntropy } from '../src/engine/metrics';
import { forward } from '../src/engine/model';
import type { AmplifierJson } from '../src/core/amplifier';
import { Amplifier } from '../src/engine/methods/amplifier';
import { createGradNormMethod, gradNormSettings } from '../src/engine/methods/gradnorm';
import { NeuralGrokMethod } from '../src/engine/methods/neuralgrok';
import { buildDataset } from '../src/engine/tasks';
import { Trainer } from '../src/engine/trainer';
import type { TensorMap } from '../src/engine/tensors';
import { rowsTensors } from './helpers';

const TINY = { ...CLASSROOM_CONFIG, p: 7, dModel: 8, heads: 2, batchSize: 8, evalEvery: 1000, ngHidden: [4], outerFraction: 0.2 };

function gradientAt(trainer: Trainer, batch: { tokens: tf.Tensor2D; targets: tf.Tensor1D }): TensorMap {
  const { grads } = tf.variableGrads(
    () => crossEntropy(forward(trainer.params, batch.tokens, trainer.modelConfig), batch.targets),
    Object.values(trainer.params),
  );
  return Object.fromEntries(Object.entries(trainer.params).map(([n, v]) => [n, grads[v.name]!]));
}

function snapshot(m: TensorMap): TensorMap {
  return Object.fromEntries(Object.entries(m).map(([n, t]) => [n, tf.keep(tf.clone(t))]));
}

describe('NeuralGrok meta step: order and minibatch (ALGORITHMS.md)', () => {
  it('runs every T steps after the inner update, at the updated weights, on the same minibatch', async () => {
    const lr = 0.05; // a large virtual step makes the outer loss depend visibly on θ and g
    const trainer = new Trainer(buildConfig(TINY, { method: 'neuralgrok', ngEvery: 2, lr, warmupSteps: 0, ngMetaLr: 1e-2 }));
    const method = trainer.gradientMethod as NeuralGrokMethod;
    // The same batch order as the trainer's own sampler (NeuralGrok trains on the inner split).
    const sampler = new BatchSampler(trainer.split.train, TINY.batchSize, trainer.currentConfig.seed);
    const outer = rowsTensors(trainer, trainer.split.outer);
    const outerLoss = (P: TensorMap) => crossEntropy(forward(P, outer.tokens, trainer.modelConfig), outer.targets);

    const step1 = await trainer.runSteps(1);
    sampler.next();
    expect(step1.records[0]!.metaOuterLoss).toBeUndefined(); // 1 % T ≠ 0: no meta step

    const thetaBefore = snapshot(trainer.params); // θ₁, before step 2
    const phiBefore = await method.amplifier.exportJson();
    const batch2 = rowsTensors(trainer, sampler.next());
    const otherBatch = rowsTensors(trainer, sampler.next()); // what step 3 would use
    const step2 = await trainer.runSteps(1);
    const reported = step2.records[0]!.metaOuterLoss!;
    expect(reported).toBeDefined();

    // Hand-rolled with the pre-meta-step amplifier φ: CE_outer(θ₂ − η·G_φ(g(θ₂, batch₂)))
    const frozen = new Amplifier(TINY.ngHidden, 0);
    frozen.load(phiBefore);
    const c = trainer.currentConfig.ngC;
    const virtualLoss = (theta: TensorMap, g: TensorMap) =>
      tf.tidy(() => {
        const a = frozen.transform(g, c);
        return outerLoss(Object.fromEntries(Object.entries(theta).map(([n, t]) => [n, tf.sub(t, tf.mul(a[n]!, lr))]))).dataSync()[0]!;
      });
    const afterUpdate = tf.tidy(() => virtualLoss(trainer.params, gradientAt(trainer, batch2)));
    const beforeUpdate = tf.tidy(() => {
      const saved = snapshot(trainer.params);
      Object.entries(thetaBefore).forEach(([n, t]) => trainer.params[n]!.assign(t));
      const v = virtualLoss(trainer.params, gradientAt(trainer, batch2));
      Object.entries(saved).forEach(([n, t]) => trainer.params[n]!.assign(t));
      Object.values(saved).forEach((t) => t.dispose());
      return v;
    });
    const otherMinibatch = tf.tidy(() => virtualLoss(trainer.params, gradientAt(trainer, otherBatch)));

    expect(Math.abs(reported - afterUpdate)).toBeLessThan(1e-5 * Math.abs(afterUpdate));
    // …and the alternatives the spec rules out give measurably different values
    expect(Math.abs(reported - beforeUpdate)).toBeGreaterThan(1e-4);
    expect(Math.abs(reported - otherMinibatch)).toBeGreaterThan(1e-4);
    // the amplifier did change at the meta step, the frozen copy did not
    expect(JSON.stringify(await method.amplifier.exportJson())).not.toBe(JSON.stringify(phiBefore));

    [
      ...Object.values(thetaBefore),
      outer.tokens,
      outer.targets,
      batch2.tokens,
      batch2.targets,
      otherBatch.tokens,
      otherBatch.targets,
    ].forEach((t) => t.dispose());
    frozen.dispose();
    trainer.dispose();
  });

  it('uses the paper’s defaults: T = 4, meta weight decay 1e-3, amplifier 128,128', async () => {
    const c = buildConfig(PAPER_CONFIG, { method: 'neuralgrok' });
    expect(c).toMatchObject({ ngEvery: 4, ngMetaWd: 1e-3, ngHidden: [128, 128], weightDecay: 1e-3, weightDecayMode: 'coupled', ngClip: 1 });
  });
});

describe('amplifier initialization', () => {
  it('is PyTorch’s Linear default: weights and biases uniform ±1/√fan_in', async () => {
    const amp = new Amplifier([64, 32], 3);
    const json = await amp.exportJson();
    const fanIns = [1, 64, 32];
    json.layers.forEach((layer, l) => {
      const bound = 1 / Math.sqrt(fanIns[l]!);
      for (const values of [layer.weight, layer.bias]) {
        const maxAbs = Math.max(...values.map(Math.abs));
        expect(maxAbs).toBeLessThanOrEqual(bound);
        if (values.length >= 32) expect(maxAbs).toBeGreaterThan(0.85 * bound); // spread over the range, not a constant
        if (values.length >= 32) expect(Math.abs(values.reduce((s, x) => s + x, 0) / values.length)).toBeLessThan(0.3 * bound);
      }
    });
    amp.dispose();
  });
});

/** An amplifier whose score is a constant (last layer weight 0): softmax weights are uniform. */
function constantAmplifier(hidden: number[]): AmplifierJson {
  const widths = [1, ...hidden, 1];
  return {
    format: 'groklab-amplifier',
    version: 1,
    hidden,
    layers: widths.slice(1).map((out, l) => ({
      weight: new Array(widths[l]! * out).fill(l === hidden.length ? 0 : 0.3),
      bias: new Array(out).fill(0.7),
    })),
  };
}

describe('the ablation: constant amplifier ≡ matched gradient normalization', () => {
  it('NeuralGrok with a constant-output amplifier feeds Adam exactly what matched normalization does', async () => {
    const trainer = new Trainer(buildConfig(CLASSROOM_CONFIG, { method: 'neuralgrok', ngHidden: [4, 4], ngFrozen: true, evalEvery: 1000 }));
    const ng = trainer.gradientMethod as NeuralGrokMethod;
    ng.amplifier.load(constantAmplifier([4, 4]));
    const gradnorm = createGradNormMethod();
    const matchedConfig = { ...trainer.currentConfig, method: 'gradnorm' as const, normMatched: true };
    const K = Object.keys(trainer.params).length;
    const { ngC } = trainer.currentConfig;
    expect(gradNormSettings(matchedConfig, K)).toEqual({ c: Math.min(ngC, 1 / Math.sqrt(K)), clip: 1 });
    expect(gradNormSettings({ ...matchedConfig, ngC: 1 }, K)).toEqual({ c: 1 / Math.sqrt(K), clip: 1 });
    tf.tidy(() => {
      // a realistic gradient, scaled so that the clip at 1 is active for NeuralGrok (c = 1, K tensors → norm √K)
      const g = gradientAt(trainer, rowsTensors(trainer, trainer.split.train.slice(0, 64)));
      const ctx = { step: 1, lr: 1e-3, params: trainer.params, config: trainer.currentConfig };
      const fromNg = ng.transform(g, ctx).grads;
      const fromNorm = gradnorm.transform(g, { ...ctx, config: matchedConfig }).grads;
      let maxDiff = 0;
      let maxAbs = 0;
      for (const name of Object.keys(g)) {
        const a = fromNg[name]!.dataSync();
        const b = fromNorm[name]!.dataSync();
        for (let i = 0; i < a.length; i++) {
          maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
          maxAbs = Math.max(maxAbs, Math.abs(b[i]!));
        }
      }
      expect(maxAbs).toBeGreaterThan(1e-3);
      expect(maxDiff).toBeLessThan(1e-6 * Math.max(1, maxAbs) + 1e-7);
      // the global norm both feed Adam: c·√K, clipped at 1
      const norm = Math.sqrt(Object.values(fromNorm).reduce((s, t) => s + tf.sum(tf.square(t)).dataSync()[0]!, 0));
      expect(norm).toBeCloseTo(Math.min(1, ngC * Math.sqrt(K)), 5);
    });
    trainer.dispose();
  });

  it('gradient normalization clips the global norm only when asked (the paper’s ablation has no clip)', async () => {
    tf.tidy(() => {
      const g = { a: tf.tensor1d([3, 4]), b: tf.tensor1d([0, 0, 2]) };
      const m = createGradNormMethod();
      const cfg = buildConfig(CLASSROOM_CONFIG, { method: 'gradnorm' });
      const ctx = { step: 1, lr: 1e-3, params: {}, config: cfg };
      expect(cfg).toMatchObject({ normC: 1, normClip: 0, normMatched: false, weightDecay: 1e-3 });
      const plain = m.transform(g, ctx).grads;
      expect(Array.from(plain.a!.dataSync())).toEqual([0.6000000238418579, 0.800000011920929]);
      expect(Array.from(plain.b!.dataSync())).toEqual([0, 0, 1]);
      const clipped = m.transform(g, { ...ctx, config: { ...cfg, normClip: 0.5 } }).grads;
      // both tensors at norm 1 → global √2, scaled to 0.5
      expect(clipped.a!.dataSync()[0]).toBeCloseTo((0.6 * 0.5) / Math.SQRT2, 6);
      expect(clipped.b!.dataSync()[2]).toBeCloseTo(0.5 / Math.SQRT2, 6);
    });
  });
});

describe('"is the amplifier doing anything?" diagnostics', () => {
  it('give the known answers on a synthetic gradient', async () => {
    // Amplifier s = relu(g): hidden width 1, identity weights, zero biases.
    // an outer loss that does not depend on the weights: the meta-gradient is exactly 0
    const method = new NeuralGrokMethod([1], 0, { outerLoss: (P) => tf.mul(tf.sum(P.A!), 0) });
    method.amplifier.load({
      format: 'groklab-amplifier',
      version: 1,
      hidden: [1],
      layers: [
        { weight: [1], bias: [0] },
        { weight: [1], bias: [0] },
      ],
    });
    const gA = [Math.log(3), 0.5];
    const gB = [-1, -2, -3];
    tf.tidy(() => {
      const raw = { A: tf.tensor1d(gA), B: tf.tensor1d(gB) };
      const cfg = buildConfig(CLASSROOM_CONFIG, { method: 'neuralgrok', ngClip: 0 });
      const applied = method.transform(raw, { step: 1, lr: 1e-3, params: {}, config: cfg }).grads;
      const d = Object.fromEntries(Object.entries(method.diagnostics(raw, applied)).map(([k, v]) => [k, v.dataSync()[0]!]));
      // A: softmax(ln 3, 0.5) = (3, e^0.5)/(3 + e^0.5); B: scores relu(g) = 0 → uniform
      const wA = [3, Math.exp(0.5)].map((x) => x / (3 + Math.exp(0.5)));
      const nwA = wA.map((w) => 2 * w);
      expect(d.ampWeightMin).toBeCloseTo(Math.min(...nwA, 1), 5);
      expect(d.ampWeightMax).toBeCloseTo(Math.max(...nwA), 5);
      expect(d.ampWeightStd).toBeCloseTo(Math.sqrt(((nwA[0]! - 1) ** 2 + (nwA[1]! - 1) ** 2) / 5), 5);
      // cosine between g' (each tensor at norm 1) and per-tensor-normalized g: B agrees exactly
      const wgA = [wA[0]! * gA[0]!, wA[1]! * gA[1]!];
      const cosA = (wgA[0]! * gA[0]! + wgA[1]! * gA[1]!) / (Math.hypot(...wgA) * Math.hypot(...gA));
      expect(d.cosToNorm).toBeCloseTo((cosA + 1) / 2, 5);
      expect(cosA).toBeLessThan(0.999); // so the test can tell a learned reweighting from normalization
      expect(d.metaGradRms).toBeUndefined(); // no meta step yet
    });
    // after a meta step: RMS of the decay term is wd·‖φ‖/√n over φ's components
    const params = { A: tf.variable(tf.tensor1d([0.1, 0.2])), B: tf.variable(tf.tensor1d([0.3, 0.1, 0.2])) };
    // meta lr 0 keeps φ = (1, 0, 1, 0) for the check
    const meta = { lr: 1e-3, ngC: 1, ngMetaLr: 0, ngMetaWd: 1e-3, beta1: 0.9, beta2: 0.98 };
    tf.tidy(() => method.metaStep({ A: tf.tensor1d(gA), B: tf.tensor1d(gB) }, params, meta));
    tf.tidy(() => {
      const d = method.diagnostics({ A: tf.tensor1d(gA), B: tf.tensor1d(gB) }, { A: tf.tensor1d(gA), B: tf.tensor1d(gB) });
      expect(d.metaDecayRms!.dataSync()[0]).toBeCloseTo((1e-3 * Math.SQRT2) / 2, 9);
      expect(d.metaGradRms!.dataSync()[0]).toBe(0); // the outer loss here is a constant
    });
    Object.values(params).forEach((v) => v.dispose());
    method.dispose();
  });

  it('are recorded at every evaluation of a NeuralGrok run and absent for other methods', async () => {
    const ng = new Trainer(buildConfig(TINY, { method: 'neuralgrok', evalEvery: 4 }));
    const { records } = await ng.runSteps(8);
    const evals = records.filter((r) => r.valAcc !== undefined);
    expect(evals.map((r) => r.step)).toEqual([1, 4, 8]);
    for (const r of evals) {
      expect(r.ampWeightMin!).toBeLessThanOrEqual(1);
      expect(r.ampWeightMax!).toBeGreaterThanOrEqual(1);
      expect(r.cosToNorm!).toBeGreaterThan(0.9);
      expect(r.cosToNorm!).toBeLessThanOrEqual(1 + 1e-6);
    }
    expect(evals.at(-1)!.metaGradRms).toBeGreaterThan(0); // a meta step ran at step 4
    expect(evals.at(-1)!.metaDecayRms).toBeGreaterThan(0);
    ng.dispose();
    const adam = new Trainer(buildConfig(TINY, { method: 'standard', evalEvery: 4 }));
    const other = await adam.runSteps(4);
    expect(other.records.every((r) => r.ampWeightStd === undefined && r.cosToNorm === undefined)).toBe(true);
    adam.dispose();
  });
});

describe('the paper’s method defaults and token layouts', () => {
  it('weight decay per method is the NeuralGrok paper’s (plus AdamW wd 1 and ⊥Grad’s AdamW without decay)', async () => {
    expect(METHOD_WEIGHT_DECAY).toEqual({
      standard: { weightDecay: 1e-3, weightDecayMode: 'coupled' },
      adamw: { weightDecay: 1, weightDecayMode: 'decoupled' },
      grokfast_ema: { weightDecay: 0.005, weightDecayMode: 'coupled' },
      grokfast_ma: { weightDecay: 1e-3, weightDecayMode: 'coupled' },
      gradnorm: { weightDecay: 1e-3, weightDecayMode: 'coupled' },
      neuralgrok: { weightDecay: 1e-3, weightDecayMode: 'coupled' },
      orthograd: { weightDecay: 0, weightDecayMode: 'decoupled' },
    });
  });

  it('writes a²−b as `a b op1 op2 =` and a·c+b·d−e as `a b c d e op1 op2 op3 =`', async () => {
    const sq = buildDataset('sq_sub', 97);
    expect(sq.seqLen).toBe(5);
    expect(sq.vocabSize).toBe(97 + 3);
    const i = Array.from({ length: sq.size }, (_, k) => k).find((k) => sq.inputs[k * 5] === 10 && sq.inputs[k * 5 + 1] === 3)!;
    expect(Array.from(sq.inputs.subarray(i * 5, i * 5 + 5))).toEqual([10, 3, 98, 99, 97]);
    expect(sq.targets[i]).toBe(0); // 100 − 3 = 97 ≡ 0

    const poly = buildDataset('poly5', 7);
    expect(poly.seqLen).toBe(9);
    expect(poly.vocabSize).toBe(7 + 4);
    const j = Array.from({ length: poly.size }, (_, k) => k).find((k) => [2, 3, 4, 5, 6].every((x, n) => poly.inputs[k * 9 + n] === x))!;
    expect(Array.from(poly.inputs.subarray(j * 9, j * 9 + 9))).toEqual([2, 3, 4, 5, 6, 8, 9, 10, 7]);
    expect(poly.targets[j]).toBe((2 * 4 + 3 * 5 - 6) % 7);

    const add = buildDataset('add', 97);
    expect(Array.from(add.inputs.subarray(0, 4))).toEqual([0, 1, 98, 97]);
    expect(add.vocabSize).toBe(99);
  });
});
