import { describe, expect, it } from 'vitest';
import { countStepKernels } from '../bench/kernels';

// Small models are bound by per-kernel overhead (20–60 µs per kernel on wasm): the classroom
// step was ≈ 550 kernels before the hand-written backward pass and flat method buffers
// (docs/performance.md). This keeps it from creeping back.
const TARGET = 300;

describe('kernels per classroom step (tf.profile)', () => {
  for (const method of ['adamw', 'standard', 'grokfast_ema', 'grokfast_ma'] as const) {
    it(`${method}: at most ${TARGET} per training step, and on average with an evaluation every 10 steps`, async () => {
      const k = await countStepKernels({ method });
      expect(k.train).toBeLessThanOrEqual(TARGET);
      expect(k.average).toBeLessThanOrEqual(TARGET);
    });
  }
});
