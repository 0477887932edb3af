import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { absoluteEntropy, correctCount, crossEntropy, weightNorm } from '../src/engine/metrics';

const read = (t: tf.Tensor) => {
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
};

describe('metrics', () => {
  it('AGE = −Σ|g|·log(|g| + 1e-8) over all tensors', () => {
    // 0.5·ln 2 + 0.25·ln 4 = ln 2; a zero component contributes 0; a second tensor adds to it.
    const g = { a: tf.tensor1d([0.5, -0.25, 0]), b: tf.tensor2d([[-1e-3]], [1, 1]) };
    const want = Math.log(2) + -(1e-3 * Math.log(1e-3 + 1e-8));
    expect(read(absoluteEntropy(g))).toBeCloseTo(want, 5);
  });

  it('weight norm is the global L2 norm', () => {
    expect(read(weightNorm({ a: tf.tensor1d([3, 4]), b: tf.tensor1d([12]) }))).toBeCloseTo(13, 5);
  });

  it('cross-entropy and accuracy at the last position', () => {
    const logits = tf.tensor2d([
      [0, Math.log(3)],
      [2, 0],
    ]);
    // row 0: p(target 1) = 3/4; row 1: p(target 1) = 1/(1+e²)
    const want = (-Math.log(0.75) - Math.log(1 / (1 + Math.exp(2)))) / 2;
    expect(read(crossEntropy(logits, tf.tensor1d([1, 1], 'int32')))).toBeCloseTo(want, 5);
    expect(read(correctCount(logits, tf.tensor1d([1, 1], 'int32')))).toBe(1);
  });
});
