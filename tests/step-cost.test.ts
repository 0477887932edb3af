/**
 * The cost shown before Play (issue 17): a step's work from the config, over the speed this
 * backend was measured at on another config, is within 2× of the step time measured here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CLASSROOM_CONFIG, PAPER_CONFIG } from '../src/config/presets';
import { buildConfig, type ValidConfig } from '../src/config/schema';
import { describeCost, estimateMsPerStep, speedFrom, stepWork } from '../src/core/step-cost';
import { activateBackend } from '../src/engine/backend';
import { Trainer } from '../src/engine/trainer';

/**
 * ms per step of two configs, their rounds alternating (the machine's speed drifts): the
 * median of each, and the median per-round ratio b / a.
 */
async function measurePair(
  a: ValidConfig,
  b: ValidConfig,
  steps: number,
  rounds: number,
): Promise<{ aMs: number; bMs: number; ratio: number }> {
  const ta = new Trainer(a);
  const tb = new Trainer(b);
  await ta.runSteps(a.ngEvery);
  await tb.runSteps(b.ngEvery); // warm-up: a whole cycle, meta step included
  const time = async (t: Trainer) => {
    const t0 = performance.now();
    await t.runSteps(steps);
    return (performance.now() - t0) / steps;
  };
  const as: number[] = [];
  const bs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    as.push(await time(ta));
    bs.push(await time(tb));
  }
  ta.dispose();
  tb.dispose();
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  return { aMs: median(as), bMs: median(bs), ratio: median(bs.map((x, i) => x / as[i]!)) };
}

describe('step cost estimate', () => {
  beforeAll(() => activateBackend('wasm'));

  it('counts NeuralGrok’s extra work, more at T = 1, and evaluation by its frequency', () => {
    const adamw = buildConfig(PAPER_CONFIG, { method: 'adamw' });
    const ng = buildConfig(PAPER_CONFIG, { method: 'neuralgrok' });
    expect(stepWork(ng) / stepWork(adamw)).toBeGreaterThan(1.3);
    expect(stepWork({ ...ng, ngEvery: 1 })).toBeGreaterThan(stepWork(ng));
    expect(stepWork({ ...adamw, evalEvery: 1 })).toBeGreaterThan(stepWork({ ...adamw, evalEvery: 100 }));
    // three hidden layers run as the MLP over every component: far more work
    expect(stepWork({ ...ng, ngHidden: [128, 128, 128] })).toBeGreaterThan(5 * stepWork(ng));
  });

  it('says it in words', () => {
    expect(describeCost(1100, 5688)).toBe('≈ 1.1 s per step here: 5 688 steps ≈ 1 h 44 min');
    expect(describeCost(434, 1200)).toBe('≈ 430 ms per step here: 1 200 steps ≈ 9 min');
    expect(describeCost(500, 60)).toBe('≈ 500 ms per step here: 60 steps ≈ 30 s');
  });

  for (const [label, base, steps, rounds] of [
    ['classroom', CLASSROOM_CONFIG, 20, 5],
    ['paper, the authors’ widths', PAPER_CONFIG, 10, 2],
  ] as const) {
    it(`${label}: NeuralGrok's estimate from AdamW's measured speed is within 2× of its measured step`, async () => {
      const adamw = buildConfig(base, { method: 'adamw', evalEvery: 10 });
      const ng = buildConfig(base, { method: 'neuralgrok', evalEvery: 10 });
      const m = await measurePair(adamw, ng, steps, rounds);
      // the speed measured on AdamW, the NeuralGrok step as the same round measured it
      const speed = speedFrom(adamw, 1000 / m.aMs)!;
      const ratio = estimateMsPerStep(ng, speed) / (m.aMs * m.ratio);
      expect(ratio, `estimate / measured (AdamW ${m.aMs.toFixed(0)} ms, NeuralGrok ${m.bMs.toFixed(0)} ms)`).toBeGreaterThan(0.5);
      expect(ratio).toBeLessThan(2);
    }, 120_000);
  }
});
