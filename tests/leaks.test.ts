import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { METHOD_IDS } from '../src/config/fields';
import { buildConfig } from '../src/config/schema';
import { Trainer } from '../src/engine/trainer';

// A tiny model so 300 steps of every method stay quick; evaluation every 25 steps exercises
// the detailed-metrics path too. GrokFast-MA's window (5) fills before the first count.
const TINY = { task: 'add', p: 7, layers: 1, dModel: 8, heads: 2, batchSize: 16, evalEvery: 25, maWindow: 5, ngHidden: [4] } as const;

describe('no tensor leaks', () => {
  for (const method of METHOD_IDS) {
    it(`${method}: tf.memory().numTensors is identical after step 10 and step 300, and 0 after dispose`, async () => {
      const before = tf.memory().numTensors;
      const trainer = new Trainer(buildConfig({ ...TINY, method, ngHidden: [4] }));
      await trainer.runSteps(10);
      const at10 = tf.memory().numTensors;
      for (let i = 0; i < 29; i++) await trainer.runSteps(10);
      expect(trainer.stepCount).toBe(300);
      expect(tf.memory().numTensors).toBe(at10);
      trainer.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('the StableMax loss (with ⊥Grad): identical after step 10 and step 300, and 0 after dispose', async () => {
    const before = tf.memory().numTensors;
    const trainer = new Trainer(buildConfig({ ...TINY, method: 'orthograd', loss: 'stablemax', ngHidden: [4] }));
    await trainer.runSteps(10);
    const at10 = tf.memory().numTensors;
    for (let i = 0; i < 29; i++) await trainer.runSteps(10);
    expect(tf.memory().numTensors).toBe(at10);
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
