/**
 * The stop rule is a field of the run, checked in one place — the engine's run loop — which the
 * worker (RunController) and the CLI (runTraining) both run.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildConfig } from '../src/config/schema';
import { CLASSROOM_CONFIG } from '../src/config/presets';
import { GrokTracker } from '../src/core/grokking';
import { STOP_WHEN_GROKKED, stopsAt, thresholdReached } from '../src/core/stop-rule';
import { activateBackend } from '../src/engine/backend';
import { RunLoop } from '../src/engine/run-loop';
import { runTraining } from '../src/engine/runner';
import type { FromWorker } from '../src/protocol';
import { RunController } from '../src/worker/run-controller';

const CONFIG = buildConfig(CLASSROOM_CONFIG, { p: 11, trainFraction: 0.9, evalEvery: 5, steps: 200 });

async function until(cond: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

afterEach(() => vi.restoreAllMocks());

describe('the stop rule (pure)', () => {
  const never = new GrokTracker();
  it('a threshold fires at the first evaluation at or above it, and never again in that run', () => {
    const rule = { valAccuracy: 0.5 };
    expect(stopsAt(rule, { step: 10, valAcc: 0.49 }, [0.1], never)).toBe(false);
    expect(stopsAt(rule, { step: 20, valAcc: 0.5 }, [0.1, 0.49], never)).toBe(true); // at: ≥, not >
    expect(stopsAt(rule, { step: 30, valAcc: 0.9 }, [0.1, 0.49, 0.5], never)).toBe(false);
    expect(stopsAt(null, { step: 20, valAcc: 0.9 }, [], never)).toBe(false);
    expect(stopsAt(rule, { step: 21, trainLoss: 1 }, [], never)).toBe(false); // not an evaluation
    expect(thresholdReached(STOP_WHEN_GROKKED, [0.2, 0.95])).toBe(true);
    expect(thresholdReached(STOP_WHEN_GROKKED, [0.2, 0.9499])).toBe(false);
  });

  it('`stableFor` asks the tracker (val ≥ 0.99 held for that many steps)', () => {
    const t = new GrokTracker();
    [0.99, 0.995, 1].forEach((valAcc, i) => t.observe({ step: 10 * (i + 1), valAcc }));
    expect(stopsAt({ stableFor: 20 }, { step: 30, valAcc: 1 }, [], t)).toBe(true);
    expect(stopsAt({ stableFor: 30 }, { step: 30, valAcc: 1 }, [], t)).toBe(false); // observed for 20 steps only
  });
});

describe('one check for the worker and the CLI', () => {
  it('both stop at the first evaluation with val ≥ the threshold, through RunLoop.advance', async () => {
    await activateBackend('wasm');
    // the unstopped run's evaluations: pick a threshold first met at an evaluation after the first few
    const free = await runTraining(CONFIG);
    const val = free.series.evals.valAcc;
    const i = val.findIndex((v, j) => j >= 3 && v > Math.max(...val.slice(0, j)));
    expect(i).toBeGreaterThan(0);
    const threshold = val[i]!;
    const expected = free.series.evals.step[i]!;
    expect(expected).toBeLessThan(CONFIG.steps);

    const advance = vi.spyOn(RunLoop.prototype, 'advance');
    const stopsOf = async () => (await Promise.all(advance.mock.results.map((r) => r.value))).filter((r) => r.stoppedAt !== null);

    // the CLI's path
    const cli = await runTraining(CONFIG, { stopWhen: { valAccuracy: threshold } });
    expect(cli.summary.stoppedEarly).toBe(true);
    expect(cli.series.evals.step.at(-1)).toBe(expected);
    expect(cli.series.train.step.at(-1)).toBe(expected);
    expect((await stopsOf()).map((r) => r.stoppedAt)).toEqual([expected]);
    advance.mockClear();

    // the worker's path: it pauses itself there, and Play goes on past later evaluations above it
    const messages: FromWorker[] = [];
    const controller = new RunController({
      post: (m) => messages.push(m),
      chooseBackend: async () => ({ backend: 'wasm', adapter: null, skipped: [] }),
    });
    const of = <T extends FromWorker['type']>(t: T) => messages.filter((m): m is Extract<FromWorker, { type: T }> => m.type === t);
    await controller.handle({ type: 'reset', runId: 1, config: CONFIG, stopWhen: { valAccuracy: threshold } });
    await controller.handle({ type: 'play' });
    await until(() => of('state').some((m) => m.stoppedAt !== undefined));
    const stopped = of('state').find((m) => m.stoppedAt !== undefined)!;
    expect(stopped).toMatchObject({ running: false, stepCount: expected, stoppedAt: expected });
    expect(of('metrics').at(-1)!.stepCount).toBe(expected);
    const evals = of('metrics')
      .flatMap((m) => m.records)
      .filter((r) => r.valAcc !== undefined);
    expect(evals.map((r) => r.valAcc)).toEqual(val.slice(0, i + 1)); // the same run as the CLI's
    expect((await stopsOf()).map((r) => r.stoppedAt)).toEqual([expected]);
    await controller.handle({ type: 'play' });
    await until(() => of('state').at(-1)!.running === false && of('metrics').at(-1)!.stepCount === CONFIG.steps);
    expect(of('state').filter((m) => m.stoppedAt !== undefined)).toHaveLength(1);
  }, 120_000);

  it('a rule switched on after the threshold was met does not fire; a new run sent with it fires at its first evaluation', async () => {
    await activateBackend('wasm');
    const messages: FromWorker[] = [];
    const controller = new RunController({
      post: (m) => messages.push(m),
      chooseBackend: async () => ({ backend: 'wasm', adapter: null, skipped: [] }),
    });
    const states = () => messages.filter((m) => m.type === 'state');
    const config = { ...CONFIG, steps: 15, trainFraction: 0.5 };
    await controller.handle({ type: 'reset', runId: 1, config });
    await controller.handle({ type: 'step', count: 10 }); // evaluations at 1, 5, 10: val ≥ 0 met at step 1
    await until(() => messages.some((m) => m.type === 'metrics' && m.stepCount === 10));
    await controller.handle({ type: 'stopWhen', rule: { valAccuracy: 0 } });
    await controller.handle({ type: 'play' });
    await until(() => messages.some((m) => m.type === 'metrics' && m.stepCount === 15) && states().at(-1)!.running === false);
    expect(states().some((m) => m.type === 'state' && m.stoppedAt !== undefined)).toBe(false);
    await controller.handle({ type: 'reset', runId: 2, config, stopWhen: { valAccuracy: 0 } });
    await controller.handle({ type: 'play' });
    await until(() => states().some((m) => m.type === 'state' && m.stoppedAt !== undefined));
    // fired at the step-1 evaluation; the run stops at the end of that chunk (at most the first interval)
    const stopped = states().find((m) => m.type === 'state' && m.stoppedAt !== undefined) as Extract<FromWorker, { type: 'state' }>;
    expect(stopped).toMatchObject({ runId: 2, stoppedAt: 1, running: false });
    expect(stopped.stepCount).toBeLessThanOrEqual(5);
  }, 60_000);
});
