/**
 * A NeuralGrok run resumed from a checkpoint (a reload, a worker restart, a backend fallback)
 * continues the same run: the amplifier φ and its meta optimizer are checkpointed with the
 * weights and Adam's moments. Without them the resumed run would train with a fresh amplifier.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CLASSROOM_CONFIG } from '../src/config/presets';
import { buildConfig } from '../src/config/schema';
import { isFiniteCheckpoint, type Checkpoint } from '../src/core/checkpoint';
import { activateBackend } from '../src/engine/backend';
import { Trainer } from '../src/engine/trainer';

// A meta step every 2 steps with a large meta lr and no meta decay: φ moves measurably.
const CONFIG = buildConfig(CLASSROOM_CONFIG, {
  p: 11,
  method: 'neuralgrok',
  ngHidden: [8, 8],
  ngEvery: 2,
  ngMetaLr: 0.05,
  ngMetaWd: 0,
  evalEvery: 1000,
});

const phiOf = async (t: Trainer) => (await t.exportAmplifier())!.layers[0]!.weight;

/** Losses of `steps` more steps from the checkpoint, and the amplifier's first-layer weights after them. */
async function resume(c: Checkpoint, steps: number): Promise<{ losses: number[]; phi: number[] }> {
  const t = new Trainer(CONFIG);
  t.restoreCheckpoint(c);
  const r = await t.runSteps(steps);
  const phi = await phiOf(t);
  t.dispose();
  return { losses: r.records.map((x) => x.trainLoss!), phi };
}

describe('NeuralGrok checkpoints', () => {
  beforeAll(() => activateBackend('wasm'));

  it('carry the amplifier and its optimizer, and a resumed run continues exactly', async () => {
    const original = new Trainer(CONFIG);
    await original.runSteps(6); // three meta steps
    const c = await original.exportCheckpoint();
    expect(c.method?.amplifier?.weights.hidden).toEqual([8, 8]);
    expect(c.method?.amplifier?.optimizer?.t).toBe(3);
    expect(isFiniteCheckpoint(c)).toBe(true);
    const continued = (await original.runSteps(4)).records.map((x) => x.trainLoss!);
    const phi = await phiOf(original);
    original.dispose();
    const resumed = await resume(c, 4);
    expect(resumed.losses).toEqual(continued);
    expect(resumed.phi).toEqual(phi);
    // the control: the same checkpoint without the method's state trains another amplifier
    const gap = (a: number[], b: number[]) => Math.max(...a.map((x, i) => Math.abs(x - b[i]!)));
    const fresh = await resume({ ...c, method: null }, 4);
    expect(gap(fresh.phi, phi)).toBeGreaterThan(1e-2);
  });

  it('an older checkpoint’s amplifier field (saved runs in a browser) still restores it', async () => {
    const original = new Trainer(CONFIG);
    await original.runSteps(6);
    const c = await original.exportCheckpoint();
    const continued = (await original.runSteps(2)).records.map((x) => x.trainLoss!);
    original.dispose();
    const legacy: Checkpoint = {
      step: c.step,
      params: c.params,
      optimizer: c.optimizer,
      amplifier: c.method!.amplifier!,
      sampler: c.sampler,
    };
    expect((await resume(legacy, 2)).losses).toEqual(continued);
  });

  it('a non-finite amplifier is never checkpointed', async () => {
    const t = new Trainer(CONFIG);
    await t.runSteps(2);
    const c = await t.exportCheckpoint();
    t.dispose();
    c.method!.amplifier!.weights.layers[0]!.weight[0] = NaN;
    expect(isFiniteCheckpoint(c)).toBe(false);
  });
});

describe('a checkpoint from before a method switch', () => {
  beforeAll(() => activateBackend('wasm'));

  it('restores the weights and leaves the other method’s state out (the new method starts fresh, as a switch does)', async () => {
    const ng = new Trainer(CONFIG);
    await ng.runSteps(4);
    const c = await ng.exportCheckpoint();
    ng.dispose();
    const adamw = new Trainer(buildConfig(CONFIG, { method: 'adamw' }));
    adamw.restoreCheckpoint(c);
    expect(adamw.stepCount).toBe(4);
    expect(await adamw.exportParameters()).toEqual(c.params);
    // NeuralGrok trains on the inner split, AdamW on inner + outer: the stored order is left out, training goes on
    expect((await adamw.runSteps(2)).records.every((r) => Number.isFinite(r.trainLoss))).toBe(true);
    adamw.dispose();
  });
});
