import { describe, expect, it } from 'vitest';
import { describeTimings, pickFastest, shouldTimeCpu, timingKey } from '../src/core/backend-choice';

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
  });
});
