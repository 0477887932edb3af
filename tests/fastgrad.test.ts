import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildFastBatch, disposeFastBatch, expNonPositive, fastLossAndGradients } from '../src/engine/fastgrad';
import { correctCount, crossEntropy } from '../src/engine/metrics';
import { forward, initParameters, type ModelConfig } from '../src/engine/model';
import { disposeMap, type VariableMap } from '../src/engine/tensors';
import { Trainer } from '../src/engine/trainer';
import { buildConfig } from '../src/config/schema';
import { presetById } from '../src/config/presets';
import { argMaxAbs, centralDifference } from './helpers';

/** A random token table: rows × T ids below V, targets below V. */
function table(n: number, T: number, V: number, seed: number): { inputs: Int32Array; targets: Int32Array } {
  let s = seed;
  const next = (m: number) => (s = (s * 1103515245 + 12345) % 2147483648) % m;
  return { inputs: Int32Array.from({ length: n * T }, () => next(V)), targets: Int32Array.from({ length: n }, () => next(V)) };
}

const CONFIGS: [string, ModelConfig][] = [
  ['1 layer (only the last-position block)', { vocabSize: 9, seqLen: 4, layers: 1, dModel: 8, heads: 2 }],
  ['2 layers', { vocabSize: 7, seqLen: 4, layers: 2, dModel: 8, heads: 2 }],
  ['3 layers, 4 heads, length 6', { vocabSize: 11, seqLen: 6, layers: 3, dModel: 16, heads: 4 }],
  ['MLP, 2 hidden layers', { kind: 'mlp', vocabSize: 9, seqLen: 4, layers: 2, dModel: 10, heads: 4 }],
  ['MLP, 1 hidden layer, length 6', { kind: 'mlp', vocabSize: 7, seqLen: 6, layers: 1, dModel: 6, heads: 4 }],
  // the trainer's layout for `mix` mod 6 (`a b op =`, ids 0–5 numbers, 6 '=', 7–9 operators): operands and operator, 6 logits
  [
    'MLP with input blocks and class logits (mix)',
    {
      kind: 'mlp',
      vocabSize: 10,
      seqLen: 4,
      layers: 2,
      dModel: 6,
      heads: 1,
      mlpInputs: [
        { position: 0, first: 0, count: 6 },
        { position: 1, first: 0, count: 6 },
        { position: 2, first: 7, count: 3 },
      ],
      classes: 6,
    },
  ],
];

/** By hand, for the MLP's forward: ReLU, and a row vector times a matrix. */
const relu = (v: number[]) => v.map((z) => Math.max(0, z));
const times = (v: number[], w: number[][]) => w[0]!.map((_, j) => v.reduce((a, vi, i) => a + vi * w[i]![j]!, 0));

const live: VariableMap[] = [];
afterAll(() => live.forEach(disposeMap));

describe('hand-written backward pass (fastgrad)', () => {
  for (const [label, mc] of CONFIGS)
    for (const loss of ['softmax', 'stablemax'] as const) {
      it(`${label}, ${loss}: loss, correct count and every parameter gradient equal tfjs autograd`, () => {
        const P = initParameters(mc, 11);
        live.push(P);
        const n = 13;
        const { inputs, targets: anyTargets } = table(n, mc.seqLen, mc.vocabSize, 5);
        const targets = anyTargets.map((t) => t % (mc.classes ?? mc.vocabSize)); // a target is a class
        const rows = Array.from({ length: n }, (_, i) => (i * 7) % n); // a permutation, as a sampler gives
        const batch = buildFastBatch(inputs, targets, rows, mc.seqLen, mc.vocabSize, true);
        tf.tidy(() => {
          const tokens = tf.tensor2d(
            rows.flatMap((r) => Array.from(inputs.subarray(r * mc.seqLen, (r + 1) * mc.seqLen))),
            [n, mc.seqLen],
            'int32',
          );
          const t = tf.tensor1d(
            rows.map((r) => targets[r]!),
            'int32',
          );
          const { value, grads } = tf.variableGrads(() => crossEntropy(forward(P, tokens, mc), t, loss), Object.values(P));
          const ref = { loss: value.dataSync()[0]!, correct: correctCount(forward(P, tokens, mc), t).dataSync()[0]! };
          const fast = fastLossAndGradients(P, batch, mc, true, { loss });
          expect(fast.loss.dataSync()[0]).toBeCloseTo(ref.loss, 5);
          expect(fast.correct.dataSync()[0]).toBe(ref.correct);
          expect(Object.keys(fast.grads!).sort()).toEqual(Object.keys(P).sort());
          for (const [name, v] of Object.entries(P)) {
            const a = grads[v.name]!.dataSync();
            const b = fast.grads![name]!.dataSync();
            expect(fast.grads![name]!.shape, name).toEqual(v.shape);
            const scale = Math.max(...Array.from(a, Math.abs), 1e-6);
            for (let i = 0; i < a.length; i++)
              expect(Math.abs(a[i]! - b[i]!), `${name}[${i}]: autograd ${a[i]} fast ${b[i]}`).toBeLessThan(1e-5 + 1e-4 * scale);
          }
        });
        disposeFastBatch(batch);
      });
    }

  it('matches central finite differences of its own loss', () => {
    const mc = CONFIGS[1]![1];
    const P = initParameters(mc, 3);
    live.push(P);
    const { inputs, targets } = table(10, mc.seqLen, mc.vocabSize, 9);
    const rows = Array.from({ length: 10 }, (_, i) => i);
    const batch = buildFastBatch(inputs, targets, rows, mc.seqLen, mc.vocabSize, true);
    const loss = (Q: Record<string, tf.Tensor>) => fastLossAndGradients(Q, batch, mc, false).loss;
    const g = tf.tidy(() =>
      Object.fromEntries(Object.entries(fastLossAndGradients(P, batch, mc, true).grads!).map(([k, t]) => [k, t.dataSync().slice()])),
    );
    for (const name of [
      'tokEmbed',
      'posEmbed',
      'blocks.0.attn.wQKV',
      'blocks.1.attn.wQKV',
      'blocks.1.mlp.bIn',
      'blocks.0.ln1.gain',
      'head',
    ]) {
      const index = Math.floor(g[name]!.length / 3);
      const fd = centralDifference(loss, P, name, index, 3e-3);
      expect(Math.abs(fd - g[name]![index]!), name).toBeLessThan(2e-3 + 3e-2 * Math.abs(g[name]![index]!));
    }
    disposeFastBatch(batch);
  });

  it('MLP: matches central finite differences of its own loss, and its forward a hand computation', () => {
    const mc: ModelConfig = { kind: 'mlp', vocabSize: 7, seqLen: 3, layers: 2, dModel: 5, heads: 1 };
    const P = initParameters(mc, 8);
    live.push(P);
    expect(Object.fromEntries(Object.entries(P).map(([k, v]) => [k, v.shape]))).toEqual({
      'mlp.0.w': [21, 5], // 3 positions × 7 tokens, one-hot
      'mlp.1.w': [5, 5],
      head: [5, 7],
    });
    const { inputs, targets } = table(9, mc.seqLen, mc.vocabSize, 4);
    const rows = Array.from({ length: 9 }, (_, i) => i);
    const batch = buildFastBatch(inputs, targets, rows, mc.seqLen, mc.vocabSize, true);
    const loss = (Q: Record<string, tf.Tensor>) => fastLossAndGradients(Q, batch, mc, false).loss;
    const g = tf.tidy(() =>
      Object.fromEntries(Object.entries(fastLossAndGradients(P, batch, mc, true).grads!).map(([k, t]) => [k, t.dataSync().slice()])),
    );
    for (const name of ['mlp.0.w', 'mlp.1.w', 'head']) {
      const index = argMaxAbs(g[name]!);
      const fd = centralDifference(loss, P, name, index, 1e-3);
      expect(Math.abs(g[name]![index]!), name).toBeGreaterThan(1e-3);
      expect(Math.abs(fd - g[name]![index]!), name).toBeLessThan(2e-3 + 3e-2 * Math.abs(g[name]![index]!));
    }
    // row 0's logits by hand: the first layer sums the rows of its tokens (t·V + token), ReLU, ReLU, head
    const w0 = P['mlp.0.w']!.arraySync() as number[][];
    const w1 = P['mlp.1.w']!.arraySync() as number[][];
    const wh = P.head!.arraySync() as number[][];
    const h1 = relu([0, 1, 2, 3, 4].map((j) => [0, 1, 2].reduce((a, t) => a + w0[t * 7 + inputs[t]!]![j]!, 0)));
    const want = times(relu(times(h1, w1)), wh);
    const got = tf.tidy(() => forward(P, tf.tensor2d(Array.from(inputs.subarray(0, 3)), [1, 3], 'int32'), mc).dataSync());
    want.forEach((x, j) => expect(got[j]).toBeCloseTo(x, 5));
    disposeFastBatch(batch);
  });

  it("the trainer's MLP on a + b reads one-hot(a) ⊕ one-hot(b) and gives p logits, as Prieto et al.'s", () => {
    const p = 7;
    const t = new Trainer(
      buildConfig(presetById('classroom')!.config, { model: 'mlp', task: 'add', p, layers: 2, dModel: 5, backend: 'cpu' }),
    );
    try {
      expect(Object.fromEntries(Object.entries(t.params).map(([k, v]) => [k, v.shape]))).toEqual({
        'mlp.0.w': [2 * p, 5], // one-hot(a) ⊕ one-hot(b): the operator and '=' are not inputs
        'mlp.1.w': [5, 5],
        head: [5, p], // one logit per number
      });
      // 3 + 5 =: the first layer sums rows a and p + b of its weights
      const w0 = t.params['mlp.0.w']!.arraySync() as number[][];
      const w1 = t.params['mlp.1.w']!.arraySync() as number[][];
      const wh = t.params.head!.arraySync() as number[][];
      const want = times(relu(times(relu(w0[3]!.map((x, j) => x + w0[p + 5]![j]!)), w1)), wh);
      const row = [3, 5, p + 1, p]; // a, b, '+', '='
      const got = tf.tidy(() => forward(t.params, tf.tensor2d(row, [1, 4], 'int32'), t.modelConfig).dataSync());
      expect(got.length).toBe(p);
      want.forEach((x, j) => expect(got[j]).toBeCloseTo(x, 5));
    } finally {
      t.dispose();
    }
  });

  it('eᶻ for z ≤ 0 as σ(z)/σ(−z) is as accurate as tf.exp', () => {
    const zs = Array.from({ length: 2001 }, (_, i) => -i * 0.05); // 0 … −100
    const worstError = (values: ArrayLike<number>) => {
      let worst = 0;
      zs.forEach((z, i) => {
        const want = Math.exp(z);
        if (want > 1e-30) worst = Math.max(worst, Math.abs(values[i]! - want) / want);
        else expect(values[i]!).toBeLessThan(1e-29);
      });
      return worst;
    };
    const ours = tf.tidy(() => expNonPositive(tf.tensor1d(zs)).dataSync());
    const reference = tf.tidy(() => tf.exp(tf.tensor1d(zs)).dataSync());
    expect(ours[0]).toBe(1);
    // both are limited by z's own float32 rounding (≈ 3e-6 relative at z ≈ −65)
    expect(worstError(ours)).toBeLessThan(1.5 * worstError(reference) + 1e-7);
    expect(worstError(ours)).toBeLessThan(1e-5);
  });

  it('creates no tensors outside the caller’s tidy (transformer and MLP)', () => {
    for (const mc of [CONFIGS[1]![1], CONFIGS[3]![1]]) {
      const P = initParameters(mc, 4);
      live.push(P);
      const { inputs, targets } = table(6, mc.seqLen, mc.vocabSize, 2);
      const batch = buildFastBatch(inputs, targets, [0, 1, 2, 3, 4, 5], mc.seqLen, mc.vocabSize, true);
      const before = tf.memory().numTensors;
      tf.tidy(() => void fastLossAndGradients(P, batch, mc, true));
      expect(tf.memory().numTensors, mc.kind ?? 'transformer').toBe(before);
      disposeFastBatch(batch);
    }
  });
});
