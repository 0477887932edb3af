import { describe, expect, it } from 'vitest';
import { notLearningReason } from '../src/core/not-learning';

const flat = (n: number, v: number) => new Array<number>(n).fill(v);

describe('a run that fails without NaN', () => {
  it('is "not learning" when the training loss stays far above chance for ten evaluations', () => {
    const p = 31; // chance: ln 31 ≈ 3.43
    expect(notLearningReason({ trainFullLoss: flat(10, 9), weightNorm: flat(10, 30) }, p)).toMatch(/above 2× chance \(ln 31 = 3.43\)/);
    expect(notLearningReason({ trainFullLoss: [...flat(9, 9), 3], weightNorm: flat(10, 30) }, p)).toBeNull();
    expect(notLearningReason({ trainFullLoss: flat(9, 9), weightNorm: flat(9, 30) }, p)).toBeNull(); // too early to say
  });

  it('is "not learning" when the weight norm keeps exploding, and not when it merely grows a little', () => {
    const exploding = Array.from({ length: 10 }, (_, i) => 30 * 1.2 ** i);
    expect(notLearningReason({ trainFullLoss: flat(10, 1), weightNorm: exploding }, 31)).toMatch(/weight norm grew at each of the last 10/);
    const slow = Array.from({ length: 10 }, (_, i) => 30 + i);
    expect(notLearningReason({ trainFullLoss: flat(10, 1), weightNorm: slow }, 31)).toBeNull();
  });
});
