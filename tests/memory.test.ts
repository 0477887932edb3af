import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { maWindowMegabytes, modelParameterCount } from '../src/core/memory';
import { TASKS, type TaskId } from '../src/core/tasks';
import { CLASSROOM_CONFIG, PAPER_CONFIG } from '../src/config/presets';
import { buildConfig, type ConfigError, validateConfig } from '../src/config/schema';
import { initParameters } from '../src/engine/model';
import { Trainer } from '../src/engine/trainer';
import { disposeMap } from '../src/engine/tensors';

describe('method memory budget', () => {
  it('counts the parameters the engine builds, for every task shape', () => {
    for (const [task, p, layers, dModel] of [
      ['add', 31, 1, 32],
      ['sq_sub', 97, 2, 128],
      ['poly5', 7, 2, 16],
      ['mix', 11, 1, 8],
    ] as [TaskId, number, number, number][]) {
      const spec = TASKS[task];
      const vocabSize = p + spec.operatorTokens.length + 1;
      const seqLen = spec.operands.length + spec.variants[0]!.length + 1;
      const params = initParameters({ vocabSize, seqLen, layers, dModel, heads: 4 }, 0);
      const engine = Object.values(params).reduce((n, v) => n + v.size, 0);
      disposeMap(params);
      expect(modelParameterCount({ task, p, layers, dModel }), task).toBe(engine);
    }
    expect(tf.memory().numTensors).toBeGreaterThanOrEqual(0);
  });

  it('counts the MLP’s parameters as the trainer builds them (operands one-hot → width → … → the p numbers)', () => {
    for (const [task, p, layers, dModel] of [
      ['add', 59, 2, 200],
      ['poly5', 7, 3, 16],
    ] as [TaskId, number, number, number][]) {
      const t = new Trainer(buildConfig(PAPER_CONFIG, { model: 'mlp', task, p, layers, dModel, backend: 'cpu' }));
      const engine = t.parameterCount;
      t.dispose();
      expect(modelParameterCount({ model: 'mlp', task, p, layers, dModel }), task).toBe(engine);
    }
    // a + b mod 59: one-hot(a) ⊕ one-hot(b) → 200 → 200 → 59
    expect(modelParameterCount({ model: 'mlp', task: 'add', p: 59, layers: 2, dModel: 200 })).toBe(118 * 200 + 200 * 200 + 200 * 59);
    // mix mod 7: a, b and the operator (one of 3) → 16 → 7
    expect(modelParameterCount({ model: 'mlp', task: 'mix', p: 7, layers: 1, dModel: 16 })).toBe(17 * 16 + 16 * 7);
  });

  it('refuses a GrokFast-MA window that would not fit, at the field, with the figure in MB', () => {
    const paper = { ...buildConfig(PAPER_CONFIG, { method: 'grokfast_ma' }), maWindow: 1000 };
    expect(maWindowMegabytes(paper)).toBeCloseTo(1613, -1); // ≈ 1.7 GB in the issue (10^9 bytes)
    let error: ConfigError | null = null;
    try {
      validateConfig(paper);
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.issues).toEqual([
      {
        field: 'maWindow',
        message: expect.stringMatching(/1000 gradients .* needs 1614 MB; the limit is 384 MB \(use a window of at most 237\)/),
      },
    ]);
    expect(() => validateConfig({ ...paper, maWindow: 237 })).not.toThrow();
    expect(() => validateConfig({ ...paper, maWindow: 238 })).toThrow(/limit is 384 MB/);
    expect(() => buildConfig(CLASSROOM_CONFIG, { method: 'grokfast_ma', maWindow: 1000 })).not.toThrow();
    expect(() => validateConfig({ ...paper, method: 'adamw' })).not.toThrow(); // the window only counts when MA runs
    // The paper's poly5 GrokFast-MA (4 layers, p 7, window 100: 307 MB) fits.
    expect(() => buildConfig(PAPER_CONFIG, { method: 'grokfast_ma', task: 'poly5', p: 7, layers: 4, maWindow: 100 })).not.toThrow();
  });
});
