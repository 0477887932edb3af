/**
 * Issue 31, item 5: the "Grokking without weight decay" preset's claim, headless and short. The
 * preset itself (p 59, 500 steps) is measured by scripts/measure-presets.ts (its figures:
 * src/config/preset-measurements.json, checked against the preset by preset-watch.test.ts);
 * here the same MLP, optimizer and decay on a + b mod 31 (half the table for training), 250
 * steps: ⊥Grad's validation accuracy has left chance far behind, plain AdamW's has not, and
 * AdamW's update points along the weights (naïve loss minimization) where ⊥Grad's does not.
 */
import { describe, expect, it } from 'vitest';
import { armOverrides, compareArms, presetById } from '../src/config/presets';
import { buildConfig } from '../src/config/schema';
import { runTraining } from '../src/engine/runner';

const PRESET = presetById('no-weight-decay')!;

describe('grokking without weight decay, short', () => {
  it('the preset compares ⊥Grad and AdamW on the MLP, both without decay', () => {
    const configs = compareArms(PRESET).map((a) => buildConfig(PRESET.config, armOverrides(a)));
    expect(configs.map((c) => [c.model, c.method, c.weightDecay])).toEqual([
      ['mlp', 'orthograd', 0],
      ['mlp', 'adamw', 0],
    ]);
  });

  it('in 250 steps on a + b mod 31, ⊥Grad is far above chance on validation and AdamW wd 0 is not', async () => {
    const results = [];
    for (const arm of compareArms(PRESET)) {
      const config = buildConfig(PRESET.config, { ...armOverrides(arm), p: 31, trainFraction: 0.5, steps: 250, evalEvery: 250 });
      results.push((await runTraining(config)).series.evals);
    }
    const [o, a] = results as [(typeof results)[number], (typeof results)[number]];
    const last = (xs: number[]) => xs.at(-1)!;
    console.log(
      `⊥Grad: val ${last(o.valAcc).toFixed(3)}, cos(Δθ, θ) ${last(o.nlmCosine).toFixed(3)}; AdamW wd 0: val ${last(a.valAcc).toFixed(3)}, train ${last(a.trainFullAcc).toFixed(3)}, cos ${last(a.nlmCosine).toFixed(3)}`,
    );
    expect(last(a.trainFullAcc)).toBe(1); // AdamW memorized…
    expect(last(a.valAcc)).toBeLessThan(0.1); // …and stays at chance (1/31) or below
    expect(last(o.valAcc)).toBeGreaterThan(0.3);
    // AdamW's steps lean along θ (naïve loss minimization), ⊥Grad's far less (0.25 vs 0.06 when written)
    expect(last(a.nlmCosine)).toBeGreaterThan(0.15);
    expect(last(a.nlmCosine)).toBeGreaterThan(3 * Math.abs(last(o.nlmCosine)));
  }, 240_000);
});
