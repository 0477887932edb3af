import { describe, expect, it } from 'vitest';
import { buildConfig } from '../src/config/schema';
import { PAPER_CONFIG } from '../src/config/presets';
import { explainAllocationFailure, isAllocationFailure } from '../src/engine/out-of-memory';

describe('allocation failures', () => {
  it('name the settings to lower instead of "memory access out of bounds"', () => {
    const config = buildConfig(PAPER_CONFIG, { method: 'neuralgrok', ngHidden: [128, 128] });
    for (const raw of [
      'memory access out of bounds',
      'Aborted(). Build with -sASSERTIONS for more info.',
      'Array buffer allocation failed',
    ]) {
      expect(isAllocationFailure(new Error(raw))).toBe(true);
      const message = (explainAllocationFailure(new Error(raw), config, 422656) as Error).message;
      expect(message).toMatch(/Amplifier widths/);
      expect(message).toMatch(/--ng-hidden/);
      expect(message).toMatch(/206 MB/); // 422 656 × 128 × 4 bytes
      expect(message).not.toMatch(/out of bounds|Aborted/);
    }
    const adamw = (
      explainAllocationFailure(new Error('memory access out of bounds'), buildConfig(PAPER_CONFIG, { method: 'adamw' }), 1000) as Error
    ).message;
    expect(adamw).toMatch(/--d-model/);
    expect(adamw).not.toMatch(/Amplifier/);
  });

  it('leave other errors as they are', () => {
    const e = new Error('checkpoint does not match parameter x');
    expect(explainAllocationFailure(e, buildConfig(PAPER_CONFIG, { method: 'adamw' }), 10)).toBe(e);
  });
});
