/** Issue 20's page logic with a fake worker: pause when grokked, and no no-op edit markers. */
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_UI_CONFIG, useGrokStore } from '../src/ui/store';
import { watchPauseWhenGrokked } from '../src/ui/state/lesson-slice';
import { FakeWorker } from './fake-worker';

let main: FakeWorker;
const store = () => useGrokStore.getState();
const evalRecord = (step: number, valAcc: number) => ({ step, trainLoss: 0.1, trainAcc: 1, lr: 0.01, valAcc, valLoss: 0.5 });

beforeEach(() => {
  useGrokStore.setState({ config: DEFAULT_UI_CONFIG, pendingReset: [], fieldErrors: {}, notices: [], edits: [], pauseWhenGrokked: true });
  store().connect(() => (main = new FakeWorker()));
  store().reset();
  main.reply({ type: 'config', config: DEFAULT_UI_CONFIG });
});

describe('pause when grokked', () => {
  it('is the main run’s stop rule, sent with the run and when switched; the page says why the worker paused', () => {
    const stop = watchPauseWhenGrokked(useGrokStore);
    const reset = main.sent.findLast((m) => m.type === 'reset');
    expect(reset).toMatchObject({ type: 'reset', stopWhen: { valAccuracy: 0.95 } });
    main.reply({ type: 'state', running: true, stepCount: 0 });
    main.reply({ type: 'metrics', records: [evalRecord(10, 0.5)], stepsPerSecond: 10, stepCount: 10 });
    main.reply({ type: 'metrics', records: [evalRecord(20, 0.96)], stepsPerSecond: 10, stepCount: 20 });
    expect(main.sent.filter((m) => m.type === 'pause')).toHaveLength(0); // the worker pauses itself
    expect(store().notices.filter((n) => n.topic === 'paused')).toHaveLength(0);
    main.reply({ type: 'state', running: false, stepCount: 20, stoppedAt: 20 });
    expect(store().run.stoppedAt).toBe(20);
    expect(store().notices.at(-1)?.message).toMatch(/Paused: validation accuracy reached 95 % at step 20/);
    main.reply({ type: 'state', running: true, stepCount: 20 }); // Play again continues
    expect(store().run.stoppedAt).toBeNull();
    // switched off mid-run: the worker is told; switched on after 95 % was reached: nothing left to fire
    store().setPauseWhenGrokked(false);
    expect(main.sent.at(-1)).toEqual({ type: 'stopWhen', rule: null });
    store().setPauseWhenGrokked(true);
    expect(main.sent.at(-1)).toEqual({ type: 'stopWhen', rule: null });
    store().setPauseWhenGrokked(false);
    store().reset();
    expect(main.sent.at(-1)).toMatchObject({ type: 'reset', stopWhen: null });
    store().setPauseWhenGrokked(true);
    expect(main.sent.at(-1)).toEqual({ type: 'stopWhen', rule: { valAccuracy: 0.95 } });
    // stepped by hand onto the evaluation: the worker stops, and no banner is shown
    const shown = store().notices.length;
    main.reply({ type: 'metrics', records: [evalRecord(10, 0.99)], stepsPerSecond: 10, stepCount: 10 });
    main.reply({ type: 'state', running: false, stepCount: 10, stoppedAt: 10 });
    expect(store().notices.length).toBe(shown);
    stop();
  });

  it('a preset from the menu sets the switch: on for the classroom demo, off for the others', () => {
    const stop = watchPauseWhenGrokked(useGrokStore);
    store().applyPreset('grokfast');
    expect(store().pauseWhenGrokked).toBe(false);
    store().applyPreset('classroom');
    expect(store().pauseWhenGrokked).toBe(true);
    stop();
  });
});

describe('edit markers', () => {
  it('a value typed back after a refused one adds no "Weight decay 1 → 1" marker', () => {
    main.reply({ type: 'state', running: true, stepCount: 0 });
    main.reply({ type: 'metrics', records: [evalRecord(10, 0.5)], stepsPerSecond: 10, stepCount: 10 });
    const sent = main.sent.length;
    store().setFieldText('weightDecay', '-3'); // refused at the field
    expect(store().fieldErrors.weightDecay).toBeDefined();
    store().setFieldText('weightDecay', String(DEFAULT_UI_CONFIG.weightDecay));
    expect(store().fieldErrors.weightDecay).toBeUndefined();
    expect(store().edits).toEqual([]);
    expect(main.sent.length).toBe(sent);
    store().setField('weightDecay', 0);
    expect(store().edits.map((e) => e.label)).toEqual(['Weight decay 1 → 0']);
  });
});
