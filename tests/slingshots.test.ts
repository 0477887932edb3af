import { describe, expect, it } from 'vitest';
import { dropsAfterGrokking } from '../src/core/slingshots';

describe('drops of validation accuracy after grokking', () => {
  it('counts each dip below best − 0.1 once, until it recovers within 0.02', () => {
    // grokked at 0.96; dip to 0.7 (1), back to 0.97; dip to 0.8 (2) and a second low inside it; back
    expect(dropsAfterGrokking([0.1, 0.5, 0.96, 0.7, 0.97, 0.8, 0.75, 0.96, 0.99])).toBe(2);
  });
  it('ignores dips before grokking and shallow wobbles after it', () => {
    expect(dropsAfterGrokking([0.1, 0.6, 0.3, 0.95, 0.9, 0.93, 0.99, 0.91])).toBe(0);
  });
  it('says null for a run that never grokked, and skips missing evaluations', () => {
    expect(dropsAfterGrokking([0.1, null, 0.5, 0.9])).toBeNull();
    expect(dropsAfterGrokking([0.96, null, 0.5, null, 0.96])).toBe(1);
  });
});
