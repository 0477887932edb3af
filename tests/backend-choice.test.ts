import { describe, expect, it } from 'vitest';
import { describeTimings, forwardMacsPerStep, pickFastest, shouldTimeCpu, timingKey, wasmThreadsFor } from '../src/core/backend-choice';
import { CLASSROOM_CONFIG, PAPER_CONFIG, presetById } from '../src/config/presets';
import { buildConfig } from '../src/config/schema';

describe('auto backend choice by measurement', () => {
  it('picks the fastest timed backend, whatever the order', () => {
    // a laptop GPU on the tiny classroom model: dispatch cost makes WebGPU slower than WASM
    expect(
      pickFastest([
        { backend: 'webgpu', msPerStep: 31 },
        { backend: 'wasm', msPerStep: 12 },
        { backend: 'cpu', msPerStep: 240 },
      ]),
    ).toBe('wasm');
    // the same GPU on the paper model
    expect(
      pickFastest([
        { backend: 'webgpu', msPerStep: 40 },
        { backend: 'webgl', msPerStep: 95 },
        { backend: 'wasm', msPerStep: 480 },
      ]),
    ).toBe('webgpu');
    // this machine: only CPU backends verified
    expect(
      pickFastest([
        { backend: 'wasm', msPerStep: 48 },
        { backend: 'cpu', msPerStep: 1002 },
      ]),
    ).toBe('wasm');
  });

  it('breaks near-ties (within 5%) by the preference order and ignores untimed backends', () => {
    expect(
      pickFastest([
        { backend: 'wasm', msPerStep: 50 },
        { backend: 'webgpu', msPerStep: 52 },
      ]),
    ).toBe('webgpu');
    expect(
      pickFastest([
        { backend: 'wasm', msPerStep: 50 },
        { backend: 'webgpu', msPerStep: 60 },
      ]),
    ).toBe('wasm');
    expect(
      pickFastest([
        { backend: 'cpu', msPerStep: null, note: 'not timed' },
        { backend: 'wasm', msPerStep: 700 },
      ]),
    ).toBe('wasm');
    expect(pickFastest([{ backend: 'wasm', msPerStep: NaN }])).toBeNull();
    expect(pickFastest([])).toBeNull();
  });

  it('describes the timings for the badge tooltip', () => {
    expect(
      describeTimings(
        [
          { backend: 'wasm', msPerStep: 48.24 },
          { backend: 'cpu', msPerStep: null, note: 'not timed (slow)' },
        ],
        'wasm',
      ),
    ).toEqual(['wasm: 48.2 ms/step ← fastest, chosen', 'cpu: not timed (slow)']);
  });

  it('times the CPU backend only when WASM could not be timed', () => {
    expect(shouldTimeCpu([{ backend: 'wasm', msPerStep: 48 }])).toBe(false);
    expect(shouldTimeCpu([{ backend: 'wasm', msPerStep: 620 }])).toBe(false);
    expect(shouldTimeCpu([{ backend: 'wasm', msPerStep: null }])).toBe(true);
    expect(shouldTimeCpu([])).toBe(true);
  });

  it('measures again only when a field that changes the step changes', () => {
    const base = {
      task: 'add',
      p: 31,
      layers: 1,
      dModel: 32,
      heads: 4,
      batchSize: 512,
      trainFraction: 0.5,
      method: 'adamw',
      ngHidden: [16, 16],
      lr: 0.01,
    };
    expect(timingKey({ ...base, lr: 0.001, seed: 3 })).toBe(timingKey(base));
    expect(timingKey({ ...base, p: 97 })).not.toBe(timingKey(base));
    expect(timingKey({ ...base, layers: 2 })).not.toBe(timingKey(base));
    expect(timingKey({ ...base, model: 'mlp' })).not.toBe(timingKey({ ...base, model: 'transformer' }));
  });
});

describe('WASM threads by the work of a step', () => {
  const classroom = buildConfig(CLASSROOM_CONFIG, {});
  const paper = buildConfig(PAPER_CONFIG, {});

  it('counts the forward multiply-accumulates by hand', () => {
    // add mod 31: 31 × 30 rows, half for training = 465 rows of 4 tokens; 1 layer of width 32; head 32 → 33
    expect(forwardMacsPerStep(classroom)).toBe(465 * 4 * 1 * 12 * 32 * 32 + 465 * 32 * 33);
    // add mod 97: batch 512 of 4656 training rows; 2 layers of width 128; head 128 → 99
    expect(forwardMacsPerStep(paper)).toBe(512 * 4 * 2 * 12 * 128 * 128 + 512 * 128 * 99);
    // poly5 has 9 tokens (5 operands, 3 operators, '=')
    const poly = forwardMacsPerStep({ task: 'poly5', p: 7, trainFraction: 0.5, batchSize: 100, layers: 1, dModel: 8 });
    expect(poly).toBe(100 * 9 * 12 * 64 + 100 * 8 * 9);
    // the MLP of the no-weight-decay preset: a + b mod 59, ⌊3 422 × 0.4⌋ = 1 368 rows (the estimate's count; the split holds 1 369); one-hot(a) ⊕ one-hot(b) → 200 → 200 → 59
    const mlp = buildConfig(presetById('no-weight-decay')!.config);
    expect(forwardMacsPerStep(mlp)).toBe(1368 * (118 * 200 + 200 * 200 + 200 * 59));
  });

  it('runs small models on one thread and large ones on every core, up to 8', () => {
    expect(wasmThreadsFor(classroom, 2)).toBe(1);
    expect(wasmThreadsFor(classroom, 16)).toBe(1);
    expect(wasmThreadsFor(paper, 2)).toBe(2);
    expect(wasmThreadsFor(paper, 6)).toBe(6);
    expect(wasmThreadsFor(paper, 32)).toBe(8);
    expect(wasmThreadsFor(paper, 0)).toBe(1);
    expect(wasmThreadsFor(paper, Number.NaN)).toBe(1);
  });
});
