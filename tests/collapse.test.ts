/**
 * After NeuralGrok (issue 31): ⊥Grad's projection, the StableMax loss and the softmax-collapse
 * count, each against hand-computed values, and the trainer's evaluation series carrying them.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildConfig } from '../src/config/schema';
import { CLASSROOM_CONFIG } from '../src/config/presets';
import { softmaxCollapseStep, SOFTMAX_COLLAPSE_THRESHOLD } from '../src/core/collapse';
import { activateBackend } from '../src/engine/backend';
import { lossHead } from '../src/engine/losses';
import { crossEntropy } from '../src/engine/metrics';
import { createOrthoGradMethod, orthogonalGradient } from '../src/engine/methods/orthograd';
import { Trainer } from '../src/engine/trainer';
import { appendEvaluation, emptySeries } from '../src/core/metrics';
import { runStory } from '../src/ui/run-story';

const data = (t: tf.Tensor) => Array.from(t.dataSync());
const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);
const norm = (a: number[]) => Math.sqrt(dot(a, a));
/** Deterministic pseudo-random values in (−1, 1). */
const values = (n: number, seed: number) => {
  let s = seed;
  return Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1);
};

beforeAll(() => activateBackend('wasm'));

describe('⊥Grad', () => {
  const shapes: number[][] = [[7], [16, 8], [3, 5, 4], [128, 64]];
  for (const shape of shapes) {
    it(`on a [${shape}] tensor: orthogonal to θ (|cos| < 1e-5) and of the same norm as g`, () => {
      const n = shape.reduce((a, b) => a * b, 1);
      // θ and g aligned (cos ≈ 0.7): the projection removes half of g. In float32 the residual
      // cosine grows with n and with ‖g‖/‖g⊥‖ (its sums' rounding), as in the reference's code.
      const w = values(n, 1 + n);
      const g = values(n, 2 + n).map((x, i) => x + w[i]!);
      const out = tf.tidy(() => data(orthogonalGradient(tf.tensor(g, shape), tf.tensor(w, shape))));
      expect(Math.abs(dot(out, w)) / (norm(out) * norm(w))).toBeLessThan(1e-5);
      expect(Math.abs(norm(out) - norm(g)) / norm(g)).toBeLessThan(1e-5);
      // and it was not orthogonal before
      expect(Math.abs(dot(g, w)) / (norm(g) * norm(w))).toBeGreaterThan(0.5);
    });
  }

  it('passes a zero tensor through unchanged: a zero gradient stays 0, zero weights leave g as it is', () => {
    const g = values(12, 5);
    tf.tidy(() => {
      expect(data(orthogonalGradient(tf.zeros([3, 4]), tf.tensor(values(12, 6), [3, 4])))).toEqual(new Array(12).fill(0));
      expect(data(orthogonalGradient(tf.tensor(g, [3, 4]), tf.zeros([3, 4])))).toEqual(Array.from(Float32Array.from(g)));
    });
  });

  it('as a method: every tensor of the gradient map, against the parameters of the same name', () => {
    const method = createOrthoGradMethod();
    tf.tidy(() => {
      const params = { a: tf.variable(tf.tensor(values(6, 7), [2, 3])), b: tf.variable(tf.zeros([4])) };
      const grads = { a: tf.tensor(values(6, 8), [2, 3]), b: tf.tensor(values(4, 9)) };
      const out = method.transform(grads, { step: 1, lr: 1e-3, params, config: buildConfig({}, { method: 'orthograd' }) }).grads;
      expect(Math.abs(dot(data(out.a!), data(params.a)))).toBeLessThan(1e-6);
      expect(data(out.b!)).toEqual(data(grads.b)); // bias at 0: unchanged
      Object.values(params).forEach((v) => v.dispose());
    });
    method.dispose();
  });
});

/** StableMax by hand, in float64: s(x), the loss −log p_t and ∂loss/∂x. */
function stablemaxByHand(x: number[], t: number) {
  const s = x.map((v) => (v >= 0 ? v + 1 : 1 / (1 - v)));
  const ds = x.map((v, i) => (v >= 0 ? 1 : s[i]! * s[i]!));
  const S = s.reduce((a, b) => a + b, 0);
  return { loss: Math.log(S) - Math.log(s[t]!), grad: x.map((_, j) => ds[j]! / S - (j === t ? ds[t]! / s[t]! : 0)) };
}

describe('StableMax cross-entropy', () => {
  // positive, negative, mixed and large logits (the last: where softmax collapses in float32)
  const rows: [number[], number][] = [
    [[2, 0.5, 1], 0],
    [[-3, -0.5, -1.25], 2],
    [[-2, 0, 3.5], 1],
    [[300, -40, 0], 0],
  ];

  it('forward and gradient equal the hand-computed values', () => {
    tf.tidy(() => {
      for (const [x, t] of rows) {
        const head = lossHead(tf.tensor2d([x]), tf.oneHot([t], x.length).toFloat() as tf.Tensor2D, 'stablemax', true);
        const want = stablemaxByHand(x, t);
        expect(head.loss.dataSync()[0]).toBeCloseTo(want.loss, 5);
        data(head.rowGradient!).forEach((g, j) => expect(g, `${x}: ∂/∂x${j}`).toBeCloseTo(want.grad[j]!, 6));
      }
    });
  });

  it('its gradient matches central finite differences of the loss and tfjs autograd of crossEntropy', () => {
    tf.tidy(() => {
      for (const [x, t] of rows) {
        const target = tf.tensor1d([t], 'int32');
        const lossAt = (v: number[]) => crossEntropy(tf.tensor2d([v]), target, 'stablemax').dataSync()[0]!;
        const head = lossHead(tf.tensor2d([x]), tf.oneHot([t], x.length).toFloat() as tf.Tensor2D, 'stablemax', true);
        const auto = data(tf.grad((l: tf.Tensor) => crossEntropy(l, target, 'stablemax'))(tf.tensor2d([x])));
        data(head.rowGradient!).forEach((g, j) => {
          // steps that stay on one side of 0 (s is not smooth there); float32 at |x| = 300 needs a larger one
          const h = Math.abs(x[j]!) > 100 ? 0.5 : Math.abs(x[j]!) < 1 ? 1e-3 : 1e-2;
          const fd = (lossAt(x.map((v, i) => (i === j ? v + h : v))) - lossAt(x.map((v, i) => (i === j ? v - h : v)))) / (2 * h);
          expect(Math.abs(g - fd), `${x}: ∂/∂x${j} ${g} vs finite difference ${fd}`).toBeLessThan(2e-3 * Math.max(1, Math.abs(g)));
          expect(auto[j]).toBeCloseTo(g, 6);
        });
      }
    });
  });

  it('stays finite with a non-zero gradient where softmax cross-entropy in float32 has a zero gradient', () => {
    tf.tidy(() => {
      const x = tf.tensor2d([[200, 0, -5]]);
      const y = tf.tensor2d([[1, 0, 0]]);
      const soft = lossHead(x, y, 'softmax', true, true);
      expect(Math.abs(soft.loss.dataSync()[0]!)).toBe(0);
      expect(data(soft.rowGradient!)).toEqual([0, 0, 0]);
      expect(soft.collapsed!.dataSync()[0]).toBe(1);
      const stable = lossHead(x, y, 'stablemax', true, true);
      const loss = stable.loss.dataSync()[0]!;
      expect(Number.isFinite(loss) && loss > 0).toBe(true);
      expect(loss).toBeCloseTo(stablemaxByHand([200, 0, -5], 0).loss, 6);
      expect(Math.max(...data(stable.rowGradient!).map(Math.abs))).toBeGreaterThan(1e-4);
      expect(stable.collapsed!.dataSync()[0]).toBe(0);
    });
  });
});

describe('softmax collapse', () => {
  it('counts the rows whose float32 loss gradient is exactly 0, as by hand', () => {
    // by hand: row 0 — e^(−200) and e^(−205) are 0 in float32, p_target = 1: collapsed.
    // row 1 — e^(−20) ≈ 2e-9 survives: not. row 2 — the target is the loser (p_target = 0, gradient −1): not.
    // row 3 — e^(−160), e^(−200): collapsed. row 4 — ordinary logits: not. Row 5 — ties: not.
    const logits = [
      [200, 0, -5],
      [20, 0, 0],
      [0, 200, 0],
      [150, -10, -50],
      [1, 2, 3],
      [5, 5, 5],
    ];
    const targets = [0, 0, 0, 0, 2, 1];
    tf.tidy(() => {
      const head = lossHead(tf.tensor2d(logits), tf.oneHot(targets, 3).toFloat() as tf.Tensor2D, 'softmax', false, true);
      expect(head.collapsed!.dataSync()[0]).toBe(2);
    });
  });

  it('is marked from the first evaluation at or above the stated threshold', () => {
    expect(SOFTMAX_COLLAPSE_THRESHOLD).toBe(0.5);
    expect(softmaxCollapseStep({ step: [10, 20, 30, 40], collapseFraction: [0, 0.49, 0.5, 0.2] })).toBe(30);
    expect(softmaxCollapseStep({ step: [10, 20], collapseFraction: [NaN, 0.1] })).toBe(null);
  });

  it('puts a “softmax collapse @ N” marker on the charts at that evaluation', () => {
    const series = emptySeries();
    for (const [step, f] of [
      [10, 0.1],
      [20, 0.6],
      [30, 0.9],
    ] as const)
      appendEvaluation(series, { step, valAcc: 0.1, trainFullAcc: 1, weightNorm: 1, collapseFraction: f });
    const labels = runStory(series.evals, { step: [], sparsity: [] }, [], 10).markers.map((m) => m.label);
    expect(labels).toContain('softmax collapse @ 20');
  });

  it('is measured by the trainer at every evaluation, with cos(Δθ, θ), for both losses', async () => {
    for (const loss of ['softmax', 'stablemax'] as const) {
      const trainer = new Trainer(buildConfig(CLASSROOM_CONFIG, { p: 7, dModel: 8, heads: 2, batchSize: 16, evalEvery: 5, loss }));
      const { records } = await trainer.runSteps(5);
      trainer.dispose();
      for (const r of [records[0]!, records[4]!]) {
        expect(r.collapseFraction, loss).toBeGreaterThanOrEqual(0);
        expect(r.collapseFraction, loss).toBeLessThanOrEqual(1);
      }
      // step 1 moves nothing (warm-up factor 0): no cosine; step 5 has one
      expect(records[0]!.nlmCosine).toBeUndefined();
      expect(Math.abs(records[4]!.nlmCosine!), loss).toBeLessThanOrEqual(1);
      expect(records[1]!.collapseFraction).toBeUndefined();
    }
  });
});
