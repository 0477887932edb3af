import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { AdamOptimizer, warmupFactor, type AdamHyperparameters } from '../src/engine/optimizer';

const HP: AdamHyperparameters = { lr: 0.1, beta1: 0.9, beta2: 0.98, eps: 1e-8, warmupSteps: 0, weightDecay: 0, weightDecayMode: 'coupled' };

function run(
  hp: Partial<AdamHyperparameters>,
  grads: number[][],
  theta0 = [1, -2],
  edits: Record<number, Partial<AdamHyperparameters>> = {},
) {
  const opt = new AdamOptimizer({ ...HP, ...hp });
  const params = { w: tf.variable(tf.tensor1d(theta0)) };
  const trail: number[][] = [];
  grads.forEach((g, i) => {
    if (edits[i]) opt.setHyperparameters(edits[i]!);
    const gt = tf.tensor1d(g);
    opt.apply(params, { w: gt });
    gt.dispose();
    trail.push(Array.from(params.w.dataSync()));
  });
  params.w.dispose();
  opt.dispose();
  return trail;
}

describe('Adam / AdamW', () => {
  it('matches hand-computed Adam steps (β = 0.9, 0.98)', () => {
    // Step 1: bias-corrected m̂ = g, v̂ = g², so θ moves by lr·sign(g).
    // Step 2 (by hand): m = [-0.005, 0.039], v = [0.0099, 0.001996], bc1 = 0.19, bc2 = 0.0396.
    const trail = run({}, [
      [0.5, 0.1],
      [-0.5, 0.3],
    ]);
    expect(trail[0]![0]).toBeCloseTo(0.9, 6);
    expect(trail[0]![1]).toBeCloseTo(-2.1, 6);
    expect(trail[1]![0]).toBeCloseTo(0.90526316, 5);
    expect(trail[1]![1]).toBeCloseTo(-2.1914278, 5);
  });

  it('coupled weight decay adds wd·θ to the gradient (torch Adam weight_decay)', () => {
    // g' = g + 0.5·θ = [1.0, -0.9] → θ − 0.1·sign(g')
    const [t1] = run({ weightDecay: 0.5, weightDecayMode: 'coupled' }, [[0.5, 0.1]]);
    expect(t1![0]).toBeCloseTo(0.9, 6);
    expect(t1![1]).toBeCloseTo(-1.9, 6);
  });

  it('decoupled weight decay shrinks θ by (1 − lr·wd) before the Adam step (AdamW)', () => {
    // θ·(1 − 0.05) = [0.95, -1.9], then − 0.1·sign(g)
    const [t1] = run({ weightDecay: 0.5, weightDecayMode: 'decoupled' }, [[0.5, 0.1]]);
    expect(t1![0]).toBeCloseTo(0.85, 6);
    expect(t1![1]).toBeCloseTo(-2.0, 6);
  });

  it('exempts named parameters from decay', () => {
    const opt = new AdamOptimizer({ ...HP, weightDecay: 0.5, weightDecayMode: 'decoupled', decayExempt: new Set(['b']) });
    const params = { a: tf.variable(tf.tensor1d([1])), b: tf.variable(tf.tensor1d([1])) };
    opt.apply(params, { a: tf.tensor1d([0.5]), b: tf.tensor1d([0.5]) });
    expect(params.a.dataSync()[0]).toBeCloseTo(0.85, 6);
    expect(params.b.dataSync()[0]).toBeCloseTo(0.9, 6);
  });

  it('warms the learning rate up as the reference does: factor 0 at step 1, 1 at step warmup + 1', () => {
    expect([1, 2, 6, 10, 11, 12].map((t) => warmupFactor(t, 10))).toEqual([0, 0.1, 0.5, 0.9, 1, 1]);
    expect(warmupFactor(1, 0)).toBe(1);
    const [t1, t2] = run({ warmupSteps: 10 }, [
      [0.5, 0.1],
      [0.5, 0.1],
    ]);
    expect(t1![0]).toBe(1); // lr 0 on the first step: the weight does not move
    expect(t2![0]).toBeCloseTo(1 - 0.01, 6); // lr 0.1 · 1/10, Adam's bias-corrected step of a constant gradient is 1
  });

  it('keeps its moments when hyperparameters change between steps', () => {
    // Same two gradients as the hand-computed case, lr halved before step 2: step 2's move halves.
    const trail = run(
      {},
      [
        [0.5, 0.1],
        [-0.5, 0.3],
      ],
      [1, -2],
      { 1: { lr: 0.05 } },
    );
    expect(trail[1]![0]).toBeCloseTo(0.9 + (0.90526316 - 0.9) / 2, 5);
    expect(trail[1]![1]).toBeCloseTo(-2.1 + (-2.1914278 + 2.1) / 2, 5);
  });
});
