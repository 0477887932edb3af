import { beforeEach, describe, expect, it } from 'vitest';
import { connect, useGrokStore, DEFAULT_UI_CONFIG } from '../src/ui/store';
import { decimateMinMax } from '../src/ui/charts/decimate';
import { niceTicks } from '../src/ui/charts/MetricChart';
import type { ToWorker } from '../src/protocol';

let sent: ToWorker[] = [];
beforeEach(() => {
  sent = [];
  connect((m) => sent.push(m));
  useGrokStore.setState({ config: DEFAULT_UI_CONFIG, workerConfig: null, pendingReset: [], fieldErrors: {}, errors: [] });
  useGrokStore.getState().reset();
  useGrokStore.getState().receive({ type: 'config', config: DEFAULT_UI_CONFIG });
});

const store = () => useGrokStore.getState();

describe('UI store', () => {
  it('reset sends the config and clears series and the grokked marker', () => {
    store().receive({ type: 'metrics', records: [{ step: 1, trainLoss: 3, trainAcc: 0.1, valAcc: 0.96, valLoss: 0.2 }], stepsPerSecond: 10, stepCount: 1 });
    expect(store().grokStep).toBe(1);
    store().reset();
    expect(sent.at(-1)).toEqual({ type: 'reset', config: store().config });
    expect(store().series.train.step).toEqual([]);
    expect(store().grokStep).toBeNull();
  });

  it('appends metric batches: every step to train, evaluation steps to evals', () => {
    store().receive({
      type: 'metrics',
      records: [
        { step: 1, trainLoss: 3, trainAcc: 0.1, valLoss: 3.1, valAcc: 0.05, weightNorm: 30, ageRaw: 100, ageApplied: 90, trainFullAcc: 0.1, trainFullLoss: 3 },
        { step: 2, trainLoss: 2.5, trainAcc: 0.2 },
      ],
      stepsPerSecond: 12.5,
      stepCount: 2,
    });
    const s = store();
    expect(s.series.train.step).toEqual([1, 2]);
    expect(s.series.train.trainLoss).toEqual([3, 2.5]);
    expect(s.series.evals.step).toEqual([1]);
    expect(s.series.evals.weightNorm).toEqual([30]);
    expect(s.stepCount).toBe(2);
    expect(s.stepsPerSecond).toBe(12.5);
  });

  it('sends live edits at once, holds structural ones for Reset, and refuses bad values', () => {
    store().setField('lr', 0.004);
    expect(sent.at(-1)).toEqual({ type: 'update', changes: { lr: 0.004 } });
    store().setField('dModel', 64);
    expect(store().pendingReset).toEqual(['dModel']);
    expect(sent.at(-1)!.type).toBe('update'); // nothing sent for the structural field
    const before = store().config;
    store().setField('lr', 7);
    expect(store().fieldErrors.lr).toMatch(/≤ 1/);
    expect(store().config).toBe(before); // the bad value changed nothing
    store().setField('dModel', DEFAULT_UI_CONFIG.dModel);
    expect(store().pendingReset).toEqual([]);
  });

  it('switches method mid-run with the method’s reference weight decay', () => {
    store().setField('method', 'standard');
    expect(sent.at(-1)).toEqual({ type: 'update', changes: { method: 'standard', weightDecay: 1e-3, weightDecayMode: 'coupled' } });
    expect(store().config.method).toBe('standard');
  });

  it('shows worker errors until dismissed', () => {
    store().receive({ type: 'error', message: 'The run diverged at step 5', fatal: true });
    expect(store().errors.map((e) => e.message)).toEqual(['The run diverged at step 5']);
    expect(store().running).toBe(false);
    store().dismissError(store().errors[0]!.id);
    expect(store().errors).toEqual([]);
  });
});

describe('chart decimation', () => {
  it('keeps short series as they are (dropping non-finite points)', () => {
    expect(decimateMinMax([1, 2, 3], [0.5, NaN, 0.7], 100)).toEqual([
      { x: 1, y: 0.5 },
      { x: 3, y: 0.7 },
    ]);
  });

  it('bounds 100 000 points to the budget and keeps every spike', () => {
    const n = 100_000;
    const xs = Array.from({ length: n }, (_, i) => i + 1);
    const ys = xs.map((x) => Math.sin(x / 1000));
    ys[54_321] = 50; // a one-step spike
    ys[77_777] = -50;
    const pts = decimateMinMax(xs, ys, 2000);
    expect(pts.length).toBeLessThanOrEqual(2000);
    expect(pts.length).toBeGreaterThan(1000);
    expect(pts).toContainEqual({ x: 54_322, y: 50 });
    expect(pts).toContainEqual({ x: 77_778, y: -50 });
    expect(pts[0]!.x).toBe(1);
    for (let i = 1; i < pts.length; i++) expect(pts[i]!.x).toBeGreaterThan(pts[i - 1]!.x);
  });

  it('picks round ticks, powers of ten on log axes', () => {
    expect(niceTicks(0, 1, 5, false)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 1, 4, false)).toEqual([0, 0.5, 1]);
    expect(niceTicks(0, 3000, 5, false)).toEqual([0, 1000, 2000, 3000]);
    expect(niceTicks(0, 3000, 8, false)).toEqual([0, 500, 1000, 1500, 2000, 2500, 3000]);
    expect(niceTicks(0.01, 5, 4, true)).toEqual([0.01, 0.1, 1]);
  });
});
