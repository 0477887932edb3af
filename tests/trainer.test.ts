import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildConfig } from '../src/config/schema';
import { CLASSROOM_CONFIG } from '../src/config/presets';
import { Trainer } from '../src/engine/trainer';
import { runTraining } from '../src/engine/runner';

const SMALL = { ...CLASSROOM_CONFIG, p: 11, steps: 30, evalEvery: 10 };

describe('trainer', () => {
  it('is deterministic: same config + seed + backend → identical metrics; another seed differs', async () => {
    const a = await runTraining(buildConfig(SMALL));
    const b = await runTraining(buildConfig(SMALL));
    const c = await runTraining(buildConfig({ ...SMALL, seed: 1 }));
    expect(b.series).toEqual(a.series);
    expect(c.series.train.trainLoss).not.toEqual(a.series.train.trainLoss);
  });

  it('reports every metric on evaluation steps and training metrics on every step', async () => {
    const r = await runTraining(buildConfig(SMALL));
    const { train, evals } = r.series;
    expect(train.step).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(train.lr.every(Number.isFinite)).toBe(true);
    expect(evals.step).toEqual([1, 10, 20, 30]);
    for (const k of ['valLoss', 'valAcc', 'trainFullAcc', 'weightNorm', 'weightEntropy', 'ageRaw', 'ageApplied'] as const) {
      expect(
        evals[k].every((x) => Number.isFinite(x)),
        k,
      ).toBe(true);
    }
    expect(evals.cosToNorm.every(Number.isNaN)).toBe(true); // not measured: not a NeuralGrok run
    expect(r.summary.steps).toBe(30);
    expect(r.summary.finalValAcc).toBe(evals.valAcc.at(-1));
  });

  it('applies live hyperparameter edits at the next step and refuses structural ones', async () => {
    const t = new Trainer(buildConfig(SMALL));
    await t.runSteps(12);
    const before = t.optimizer.snapshot();
    t.updateConfig({ lr: 0.5, weightDecay: 0.1 });
    const { records } = await t.runSteps(1);
    expect(records[0]!.lr).toBeCloseTo(0.5, 6);
    expect(t.optimizer.snapshot().t).toBe(before.t + 1); // moments kept, not reset
    expect(() => t.updateConfig({ dModel: 64 })).toThrow(/dModel.*reset/);
    expect(() => t.updateConfig({ lr: 5 })).toThrow(/lr/);
    expect(t.currentConfig.lr).toBe(0.5);
    t.dispose();
  });

  it('switches method mid-run, continuing from the current weights and Adam state', async () => {
    const t = new Trainer(buildConfig(SMALL));
    await t.runSteps(5);
    const head = Array.from(t.params.head!.dataSync());
    const adam = t.optimizer.snapshot();
    t.updateConfig({ method: 'neuralgrok' });
    expect(Array.from(t.params.head!.dataSync())).toEqual(head);
    expect(t.optimizer.snapshot()).toEqual(adam);
    expect(t.gradientMethod.id).toBe('neuralgrok');
    const r = await t.runSteps(4);
    expect(r.records[0]!.step).toBe(6);
    expect(r.records.some((x) => x.metaOuterLoss !== undefined)).toBe(true);
    t.updateConfig({ method: 'grokfast_ema' });
    expect((await t.runSteps(2)).divergedAt).toBeNull();
    t.dispose();
  });

  it('reports divergence instead of producing numbers silently', async () => {
    const t = new Trainer(buildConfig({ ...SMALL, lr: 1, warmupSteps: 0, method: 'standard' }));
    // Poison one weight: the loss becomes NaN at the next step.
    tf.tidy(() => t.params.head!.assign(tf.fill(t.params.head!.shape, NaN)));
    const r = await t.runSteps(3);
    expect(r.divergedAt).toBe(1);
    t.dispose();
  });
});
