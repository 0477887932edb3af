import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildConfig } from '../src/config/schema';
import { CLASSROOM_CONFIG } from '../src/config/presets';
import { activateBackend } from '../src/engine/backend';
import { Trainer } from '../src/engine/trainer';
import type { BackendName, FromWorker } from '../src/protocol';
import { RunController } from '../src/worker/run-controller';

// The worker's run loop in Node, with the two Node backends standing in for the browser's.
const CONFIG = buildConfig(CLASSROOM_CONFIG, { p: 11, evalEvery: 5, steps: 1000 });

function makeController() {
  const messages: FromWorker[] = [];
  const controller = new RunController({
    post: (m) => messages.push(m),
    chooseBackend: async (_pref, exclude: BackendName[]) => {
      const backend = (['wasm', 'cpu'] as const).find((b) => !exclude.includes(b))!;
      await activateBackend(backend);
      return { backend, adapter: null, skipped: exclude.map((b) => ({ backend: b, reason: 'failed' })) };
    },
  });
  return {
    controller,
    messages,
    of: <T extends FromWorker['type']>(t: T) => messages.filter((m): m is Extract<FromWorker, { type: T }> => m.type === t),
  };
}

async function until(cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

afterEach(async () => {
  vi.restoreAllMocks();
  await activateBackend('wasm');
});

describe('worker run loop', () => {
  it('resets, steps, plays, pauses and applies live edits between chunks', async () => {
    const { controller, of } = makeController();
    await controller.handle({ type: 'reset', runId: 1, config: CONFIG });
    expect(of('backend')[0]!.info.backend).toBe('wasm');
    expect(of('config')[0]!.config).toEqual(CONFIG);
    await controller.handle({ type: 'step', count: 3 });
    await until(() => of('metrics').reduce((n, m) => n + m.records.length, 0) >= 3);
    expect(of('metrics').flatMap((m) => m.records.map((r) => r.step))).toEqual([1, 2, 3]);
    await controller.handle({ type: 'update', editId: 1, changes: { lr: 0.002 } });
    expect(of('config').at(-1)!.config.lr).toBe(0.002);
    await controller.handle({ type: 'play' });
    await until(() => (of('metrics').at(-1)?.stepCount ?? 0) >= 15);
    await controller.handle({ type: 'pause' });
    const stoppedAt = of('state').at(-1)!.stepCount;
    await new Promise((r) => setTimeout(r, 300));
    expect(of('metrics').at(-1)!.stepCount).toBeLessThanOrEqual(stoppedAt + 5); // at most the chunk in flight
    const lrs = of('metrics')
      .flatMap((m) => m.records)
      .filter((r) => r.step > 10)
      .map((r) => r.lr!); // after the warm-up
    expect(lrs.every((lr) => Math.abs(lr - 0.002) < 1e-9)).toBe(true);
    await controller.handle({ type: 'update', editId: 1, changes: { dModel: 64 } });
    expect(of('error').at(-1)!.message).toMatch(/dModel.*reset/);
  });

  it('sends an "inside the model" snapshot at evaluation steps and answers Try it', async () => {
    const { controller, of } = makeController();
    await controller.handle({ type: 'reset', runId: 1, config: CONFIG });
    await controller.handle({ type: 'step', count: 10 });
    await until(() => of('inside').length >= 1 && (of('metrics').at(-1)?.stepCount ?? 0) >= 10);
    const snap = of('inside')[0]!.snapshot;
    expect(snap.step % CONFIG.evalEvery).toBe(0);
    expect(snap.p).toBe(11);
    expect(snap.table.correct.length).toBe(11 * 10); // the whole a × b table of add mod 11
    await controller.handle({ type: 'tryIt', id: 7, query: { operands: [3, 4] } });
    const answer = of('tryIt').at(-1)!;
    expect(answer.id).toBe(7);
    expect(answer.result?.trueAnswer).toBe(7);
    await controller.handle({ type: 'tryIt', id: 8, query: { operands: [3, 40] } });
    expect(of('tryIt').at(-1)).toMatchObject({ id: 8, result: null });
    expect(of('tryIt').at(-1)!.error).toBeTruthy();
  });

  it('falls back to the next backend when one throws mid-run, keeping the step count from the checkpoint', async () => {
    const { controller, of } = makeController();
    await controller.handle({ type: 'reset', runId: 1, config: CONFIG });
    await controller.handle({ type: 'step', count: 10 });
    await until(() => (of('metrics').at(-1)?.stepCount ?? 0) >= 10);
    const real = Trainer.prototype.runSteps;
    vi.spyOn(Trainer.prototype, 'runSteps').mockImplementationOnce(async () => {
      throw new Error('GPU device was lost');
    });
    await controller.handle({ type: 'step', count: 3 });
    await until(() => of('backend').length >= 2 && (of('metrics').at(-1)?.stepCount ?? 0) >= 13);
    expect(of('backend').at(-1)!.info.backend).toBe('cpu');
    expect(of('error').at(-1)!.message).toMatch(/wasm backend failed \(GPU device was lost\); switched to cpu and continued from step 10/);
    expect(of('error').at(-1)!.fatal).toBe(false);
    expect(of('metrics').at(-1)!.records.at(-1)!.step).toBe(13);
    expect(tf.getBackend()).toBe('cpu');
    expect(Trainer.prototype.runSteps).not.toBe(real);
  });

  it('stops with a clear message when the run diverges', async () => {
    const { controller, of } = makeController();
    await controller.handle({ type: 'reset', runId: 1, config: { ...CONFIG, lr: 1, warmupSteps: 0 } });
    vi.spyOn(Trainer.prototype, 'runSteps').mockImplementationOnce(async () => ({
      records: [{ step: 1, trainLoss: NaN }],
      stepsPerSecond: 1,
      divergedAt: 1,
    }));
    await controller.handle({ type: 'play' });
    await until(() => of('error').length > 0);
    expect(of('error')[0]!.message).toMatch(/diverged at step 1.*Lower the learning rate/);
    expect(of('state').at(-1)!.running).toBe(false);
  });
});
