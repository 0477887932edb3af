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

async function checkpointOf(t: Trainer): Promise<Checkpoint> {
  return {
    step: t.stepCount,
    params: await t.exportParameters(),
    optimizer: await t.optimizer.exportState(),
    amplifier: await t.exportMethodState(),
  };
}

/** Losses of `steps` more steps from the checkpoint, and the amplifier's first-layer weights after them. */
async function resume(c: Checkpoint, withAmplifier: boolean, steps: number): Promise<{ losses: number[]; phi: number[] }> {
  const t = new Trainer(CONFIG);
  t.restore(c.params, c.step);
  if (c.optimizer) t.optimizer.importState(c.optimizer);
  if (withAmplifier && c.amplifier) t.importMethodState(c.amplifier);
  const r = await t.runSteps(steps);
  const phi = (await t.exportMethodState())!.weights.layers[0]!.weight;
  t.dispose();
  return { losses: r.records.map((x) => x.trainLoss!), phi };
}

describe('NeuralGrok checkpoints', () => {
  beforeAll(() => activateBackend('wasm'));

  it('carry the amplifier and its optimizer, and a resumed run continues exactly', async () => {
    const original = new Trainer(CONFIG);
    await original.runSteps(6); // three meta steps
    const c = await checkpointOf(original);
    expect(c.amplifier?.weights.hidden).toEqual([8, 8]);
    expect(c.amplifier?.optimizer?.t).toBe(3);
    expect(isFiniteCheckpoint(c)).toBe(true);
    const continued = (await original.runSteps(4)).records.map((x) => x.trainLoss!);
    const phi = (await original.exportMethodState())!.weights.layers[0]!.weight;
    original.dispose();
    const gap = (a: number[], b: number[]) => Math.max(...a.map((x, i) => Math.abs(x - b[i]!)));
    const resumed = await resume(c, true, 4);
    expect(gap(resumed.losses, continued)).toBeLessThan(1e-6);
    expect(gap(resumed.phi, phi)).toBeLessThan(1e-6);
    // the control: the same checkpoint without the amplifier trains another amplifier
    const fresh = await resume(c, false, 4);
    expect(gap(fresh.phi, phi)).toBeGreaterThan(1e-2);
  });

  it('a non-finite amplifier is never checkpointed', async () => {
    const t = new Trainer(CONFIG);
    await t.runSteps(2);
    const c = await checkpointOf(t);
    t.dispose();
    c.amplifier!.weights.layers[0]!.weight[0] = NaN;
    expect(isFiniteCheckpoint(c)).toBe(false);
  });
});
