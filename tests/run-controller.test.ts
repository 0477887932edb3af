import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildConfig } from '../src/config/schema';
import { CLASSROOM_CONFIG } from '../src/config/presets';
import { activateBackend } from '../src/engine/backend';
import { Trainer } from '../src/engine/trainer';
import type { BackendName, FromWorker } from '../src/protocol';
import { RunController } from '../src/worker/run-controller';
import { TrainingSession, type WorkerPort } from '../src/ui/session/training-session';

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
    expect(of('error').at(-1)!.message).toMatch(
      /wasm backend failed \(GPU device was lost\); switched to cpu and continued from the checkpoint at step 10/,
    );
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
    expect(of('error')[0]!.message).toMatch(/diverged at step 1.*last good checkpoint.*half the learning rate/);
    expect(of('state').at(-1)!.running).toBe(false);
  });

  it('a fallback cuts the page’s series back to the checkpoint (no step twice) and restores Adam’s moments', async () => {
    const { controller, of } = makeController();
    // the real page side: a TrainingSession receiving what the controller posts
    const port: WorkerPort = { postMessage: (m) => void controller.handle(m), terminate() {}, onmessage: null, onerror: null };
    const session = new TrainingSession(port, { onChange() {}, onError() {} });
    const forward = () => {
      for (const m of pending.splice(0)) port.onmessage?.({ data: m });
    };
    const pending: FromWorker[] = [];
    const all = (controller as unknown as { deps: { post: (m: FromWorker) => void } }).deps;
    const post = all.post;
    all.post = (m) => {
      post(m);
      pending.push(m);
    };
    session.reset(CONFIG);
    await until(() => (forward(), session.current.workerConfig !== null));
    session.step(12); // checkpoint at 10, then 11 and 12 shown
    await until(() => (forward(), session.current.stepCount >= 12));
    // the page holds at most one checkpoint every few seconds: the first, at step 5, with Adam's state
    const checkpoint = of('checkpoint').at(-1)!.checkpoint;
    expect(checkpoint.step).toBe(5);
    expect(checkpoint.optimizer?.t).toBe(5);
    expect(session.lastCheckpoint?.step).toBe(5);
    const restored = vi.spyOn(Trainer.prototype, 'restoreCheckpoint');
    vi.spyOn(Trainer.prototype, 'dispose').mockImplementationOnce(() => {
      throw new Error('device lost'); // a lost device's dispose must not abort the recovery
    });
    vi.spyOn(Trainer.prototype, 'runSteps').mockImplementationOnce(async () => {
      throw new Error('GPU device was lost');
    });
    session.step(3);
    await until(() => (forward(), of('backend').length >= 2 && session.current.stepCount >= 13));
    expect(restored).toHaveBeenCalledWith(expect.objectContaining({ step: 10 }));
    expect(of('rewind').at(-1)!.step).toBe(10);
    expect(session.current.series.train.step).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    expect(session.current.series.evals.step).toEqual([1, 5, 10]);
    expect(of('error').at(-1)!.message).toMatch(/continued from the checkpoint at step 10 \(weights and Adam's moments\)/);
  });

  it('never checkpoints NaN weights, and continues from the last good checkpoint at half the learning rate', async () => {
    const { controller, of } = makeController();
    await controller.handle({ type: 'reset', runId: 1, config: CONFIG });
    await controller.handle({ type: 'step', count: 5 });
    await until(() => of('checkpoint').length >= 1);
    expect(of('checkpoint')[0]!.checkpoint.step).toBe(5);
    vi.spyOn(Trainer.prototype, 'runSteps').mockImplementationOnce(async function (this: Trainer, n: number) {
      for (const v of Object.values(this.params)) v.assign(tf.fill(v.shape, NaN));
      this.optimizer.stepCount += n;
      return { records: [{ step: 6, trainLoss: NaN }], stepsPerSecond: 1, divergedAt: 6 };
    });
    await controller.handle({ type: 'step', count: 5 });
    await until(() => of('error').length > 0);
    expect(of('error')[0]).toMatchObject({ fatal: true, resumableFrom: 5 });
    expect(of('checkpoint').every((m) => m.checkpoint.step === 5)).toBe(true); // no checkpoint of the NaN weights
    await controller.handle({ type: 'step', count: 1 }); // refused on NaN weights
    expect(of('error').at(-1)!.message).toMatch(/diverged/);
    const metricsBefore = of('metrics').length;
    await controller.handle({ type: 'resumeFromCheckpoint', lrFactor: 0.5 });
    expect(of('rewind').at(-1)!.step).toBe(5);
    expect(of('config').at(-1)!.config.lr).toBeCloseTo(CONFIG.lr / 2);
    await controller.handle({ type: 'step', count: 5 });
    await until(() => (of('metrics').at(-1)?.stepCount ?? 0) >= 10 && of('metrics').length > metricsBefore);
    const resumed = of('metrics')
      .slice(metricsBefore)
      .flatMap((m) => m.records);
    expect(resumed.map((r) => r.step)).toEqual([6, 7, 8, 9, 10]);
    expect(resumed.every((r) => Number.isFinite(r.trainLoss))).toBe(true);
  });
});
