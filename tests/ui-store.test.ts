import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PAPER_CONFIG } from '../src/config/presets';
import { DEFAULT_UI_CONFIG, useGrokStore } from '../src/ui/store';
import { compareProgress, compareStatus, compareVerdict } from '../src/ui/state/compare-slice';
import { FakeWorker } from './fake-worker';
import { appendRecords, emptySeries } from '../src/core/metrics';
import { writeRunFile } from '../src/core/run-file';

let workers: FakeWorker[] = [];
let threadsAsked: (number | undefined)[] = [];
let main: FakeWorker;
afterEach(() => vi.unstubAllGlobals());
beforeEach(() => {
  workers = [];
  threadsAsked = [];
  useGrokStore.setState({ config: DEFAULT_UI_CONFIG, pendingReset: [], fieldErrors: {}, notices: [], imported: null });
  useGrokStore.getState().stopCompare();
  useGrokStore.getState().connect((threads) => {
    const w = new FakeWorker();
    workers.push(w);
    threadsAsked.push(threads);
    return w;
  });
  main = workers[0]!;
  useGrokStore.getState().reset();
  main.reply({ type: 'config', config: DEFAULT_UI_CONFIG });
});

const store = () => useGrokStore.getState();

describe('UI store: the main run session', () => {
  it('starts a worker with more WASM threads when a reset brings a large model, and back', async () => {
    vi.stubGlobal('navigator', { hardwareConcurrency: 4 });
    expect(threadsAsked).toEqual([1]);
    store().reset(PAPER_CONFIG);
    expect(threadsAsked).toEqual([1, 4]);
    expect(main.terminated).toBe(true);
    expect(workers[1]!.sent.at(-1)).toMatchObject({ type: 'reset', config: store().config });
    store().reset({ lr: 0.002 }); // same size: same worker
    expect(workers).toHaveLength(2);
    const question = store().tryIt({ operands: [1, 2], variant: 0 });
    store().reset({ p: 31, dModel: 32, layers: 1 });
    expect(threadsAsked).toEqual([1, 4, 1]);
    expect(workers[1]!.terminated).toBe(true);
    // a question the replaced worker never answered is refused, not left hanging
    await expect(question).rejects.toThrow(/restarted/);
  });

  it('reset sends the config and clears series and the grokked marker', () => {
    main.reply({
      type: 'metrics',
      records: [{ step: 1, trainLoss: 3, trainAcc: 0.1, valAcc: 0.96, valLoss: 0.2 }],
      stepsPerSecond: 10,
      stepCount: 1,
    });
    expect(store().run.stepsTo95).toBe(1);
    store().reset();
    expect(main.sent.at(-1)).toMatchObject({ type: 'reset', config: store().config });
    expect(store().run.series.train.step).toEqual([]);
    expect(store().run.stepsTo95).toBeNull();
  });

  it('appends metric batches: every step to train, evaluation steps to evals', () => {
    main.reply({
      type: 'metrics',
      records: [
        {
          step: 1,
          trainLoss: 3,
          trainAcc: 0.1,
          valLoss: 3.1,
          valAcc: 0.05,
          weightNorm: 30,
          ageRaw: 100,
          ageApplied: 90,
          trainFullAcc: 0.1,
          trainFullLoss: 3,
        },
        { step: 2, trainLoss: 2.5, trainAcc: 0.2 },
      ],
      stepsPerSecond: 12.5,
      stepCount: 2,
    });
    const s = store().run;
    expect(s.series.train.step).toEqual([1, 2]);
    expect(s.series.train.trainLoss).toEqual([3, 2.5]);
    expect(s.series.evals.step).toEqual([1]);
    expect(s.series.evals.weightNorm).toEqual([30]);
    expect(s.stepCount).toBe(2);
    expect(s.stepsPerSecond).toBe(12.5);
  });

  it('sends live edits at once, holds structural ones for Reset, and refuses bad values', () => {
    store().setField('lr', 0.004);
    expect(main.sent.at(-1)).toMatchObject({ type: 'update', changes: { lr: 0.004 } });
    store().setField('steps', 5000); // live in the field table: extends the run
    expect(main.sent.at(-1)).toMatchObject({ type: 'update', changes: { steps: 5000 } });
    store().setField('dModel', 64);
    expect(store().pendingReset).toEqual(['dModel']);
    expect(main.sent.at(-1)!.type).toBe('update'); // nothing sent for the structural field
    const before = store().config;
    store().setField('lr', 7);
    expect(store().fieldErrors.lr).toMatch(/≤ 1/);
    expect(store().config).toBe(before); // the bad value changed nothing
    store().setFieldText('ngHidden', '64, 32');
    expect(store().config.ngHidden).toEqual([64, 32]);
    store().setFieldText('lr', 'fast');
    expect(store().fieldErrors.lr).toMatch(/not a number/);
    store().setField('dModel', DEFAULT_UI_CONFIG.dModel);
    expect(store().pendingReset).toEqual(['ngHidden']);
  });

  it('switches method mid-run with the method’s reference weight decay', () => {
    store().setField('method', 'standard');
    expect(main.sent.at(-1)).toMatchObject({
      type: 'update',
      changes: { method: 'standard', weightDecay: 1e-3, weightDecayMode: 'coupled' },
    });
    expect(store().config.method).toBe('standard');
  });

  it('shows worker errors until dismissed; "link copied" kind of news is information, not an error', () => {
    main.reply({ type: 'error', message: 'The run diverged at step 5', fatal: true });
    expect(store().notices.map((n) => [n.kind, n.message])).toEqual([['error', 'The run diverged at step 5']]);
    expect(store().run.running).toBe(false);
    store().pushInfo('Link copied');
    expect(store().notices.map((n) => n.kind)).toEqual(['error', 'info']);
    store().dismissNotice(store().notices[0]!.id);
    expect(store().notices.map((n) => n.message)).toEqual(['Link copied']);
  });

  it('asks the worker for the amplifier with a request id and matches the reply to it', async () => {
    store().setField('method', 'neuralgrok');
    main.reply({ type: 'config', config: { ...DEFAULT_UI_CONFIG, method: 'neuralgrok' } });
    const exported = store().exportRunFile();
    const request = main.sent.at(-1) as { type: 'exportAmplifier'; id: number };
    expect(request.type).toBe('exportAmplifier');
    const amplifier = {
      format: 'groklab-amplifier' as const,
      version: 1 as const,
      hidden: [1],
      layers: [
        { weight: [1], bias: [0] },
        { weight: [1], bias: [0] },
      ],
    };
    main.reply({ type: 'amplifier', id: request.id + 100, amplifier: null }); // someone else's answer: ignored
    main.reply({ type: 'amplifier', id: request.id, amplifier });
    expect(JSON.parse(await exported).amplifier).toEqual(amplifier);
  });

  it('presets win over the method defaults, and a comparison preset opens compare mode', () => {
    store().applyPreset('grokfast-readme');
    expect(store().config).toMatchObject({ method: 'grokfast_ma', weightDecay: 0.01, task: 'mul', p: 97 });
    expect(store().compare.entries).toBeNull();
  });
});

describe('UI store: run identity and edits never lost', () => {
  const record = (step: number) => ({ step, trainLoss: 3, trainAcc: 0.1 });

  it('drops a chunk of the previous run that arrives after a reset', () => {
    main.reply({ type: 'metrics', records: [record(1), record(2)], stepsPerSecond: 10, stepCount: 2 });
    const oldRun = main.runId;
    store().reset();
    expect(main.runId).toBe(oldRun + 1);
    // the chunk that was computing when the reset was sent
    main.reply({ type: 'metrics', records: [record(3), record(4)], stepsPerSecond: 10, stepCount: 4 }, oldRun);
    main.reply({ type: 'state', running: true, stepCount: 4 }, oldRun);
    expect(store().run.series.train.step).toEqual([]);
    expect(store().run.stepCount).toBe(0);
    main.reply({ type: 'metrics', records: [record(1)], stepsPerSecond: 10, stepCount: 1 });
    expect(store().run.series.train.step).toEqual([1]);
  });

  it('a replaced worker’s session can no longer touch the store', () => {
    vi.stubGlobal('navigator', { hardwareConcurrency: 4 });
    store().reset(PAPER_CONFIG); // another thread count: a new worker
    const [old, fresh] = workers;
    old!.reply({ type: 'metrics', records: [record(1)], stepsPerSecond: 10, stepCount: 1 }, old!.runId);
    old!.reply({ type: 'error', message: 'late error of the old worker', fatal: true }, old!.runId);
    expect(store().run.series.train.step).toEqual([]);
    expect(store().notices).toEqual([]);
    fresh!.reply({ type: 'config', config: store().config });
    expect(store().run.workerConfig).toEqual(store().config);
  });

  it('an edit sent while the worker starts is applied once it echoes it, and shown as pending until then', () => {
    vi.stubGlobal('navigator', { hardwareConcurrency: 4 });
    store().applyPreset('paper'); // a new worker, still choosing its backend
    const fresh = workers.at(-1)!;
    const paper = store().config;
    expect(store().run.workerConfig).toBeNull();
    store().setField('method', 'neuralgrok');
    expect(fresh.sent.at(-1)).toMatchObject({ type: 'update', changes: { method: 'neuralgrok' } });
    expect(store().run.pendingEdits).toContain('method');
    fresh.reply({ type: 'config', config: paper });
    expect(store().run.pendingEdits).toContain('method'); // the reset's echo is not the edit's
    fresh.reply({ type: 'config', config: { ...paper, method: 'neuralgrok' }, editId: fresh.lastEditId });
    expect(store().run.pendingEdits).toEqual([]);
    expect(store().run.workerConfig?.method).toBe('neuralgrok');
  });

  it('an edit the worker refuses goes back to what runs, with the reason at the field', () => {
    store().setField('lr', 0.004);
    main.reply({ type: 'error', message: 'The change was not applied: the run has not started.', fatal: false, editId: main.lastEditId });
    expect(store().config.lr).toBe(DEFAULT_UI_CONFIG.lr);
    expect(store().fieldErrors.lr).toMatch(/not applied/);
    expect(store().run.pendingEdits).toEqual([]);
    expect(store().notices.at(-1)?.message).toMatch(/Learning rate.*not applied/i);
  });
});

describe('UI store: faults lose nothing', () => {
  it('a worker that dies is replaced by one that continues from the last checkpoint, with a message', () => {
    const records = Array.from({ length: 12 }, (_, i) => ({
      step: i + 1,
      trainLoss: 2,
      trainAcc: 0.5,
      ...(i === 9 ? { valAcc: 0.4 } : {}),
    }));
    main.reply({ type: 'metrics', records, stepsPerSecond: 10, stepCount: 12 });
    const checkpoint = { step: 10, params: { w: new Float32Array([1, 2]) }, optimizer: null };
    main.reply({ type: 'checkpoint', checkpoint });
    main.onerror!({ message: 'out of memory' });
    expect(main.terminated).toBe(true);
    const fresh = workers.at(-1)!;
    expect(fresh).not.toBe(main);
    expect(fresh.sent[0]).toMatchObject({ type: 'reset', config: DEFAULT_UI_CONFIG, resume: { step: 10 } });
    expect(store().run.series.train.step).toEqual(Array.from({ length: 10 }, (_, i) => i + 1)); // 11 and 12 come again
    expect(store().run.stepCount).toBe(10);
    expect(store().notices.at(-1)?.message).toMatch(/crashed: out of memory.*continues from the checkpoint at step 10/);
    fresh.reply({ type: 'metrics', records: [{ step: 11, trainLoss: 2, trainAcc: 0.5 }], stepsPerSecond: 10, stepCount: 11 });
    expect(store().run.series.train.step.at(-1)).toBe(11);
  });

  it('after a divergence Play continues from the last good checkpoint at half the learning rate, never on the NaN weights', () => {
    main.reply({ type: 'error', message: 'The run diverged at step 7', fatal: true, resumableFrom: 5 });
    expect(store().run.resumableFrom).toBe(5);
    const sent = main.sent.length;
    store().step(1); // refused on NaN weights
    expect(main.sent.length).toBe(sent);
    store().play();
    expect(main.sent.slice(sent)).toEqual([{ type: 'resumeFromCheckpoint', lrFactor: 0.5 }, { type: 'play' }]);
    expect(store().config.lr).toBe(DEFAULT_UI_CONFIG.lr / 2);
    expect(store().run.resumableFrom).toBeNull();
  });
});

describe('UI store: one displayed run', () => {
  it('import → export is identity on config and series; the toolbar total and Recent runs follow the file', async () => {
    vi.stubGlobal('localStorage', new Map() as never); // no storage: rememberRun only skips
    const config = { ...DEFAULT_UI_CONFIG, task: 'sub' as const, seed: 3, lr: 0.005, steps: 100_000 };
    const series = emptySeries();
    appendRecords(series, [
      { step: 1, trainLoss: 3, trainAcc: 0.1 },
      {
        step: 2,
        trainLoss: 2.5,
        trainAcc: 0.2,
        valLoss: 2.9,
        valAcc: 0.3,
        weightNorm: 30,
        ageRaw: 1,
        ageApplied: 1,
        trainFullAcc: 0.2,
        trainFullLoss: 2.6,
      },
    ]);
    const text = writeRunFile({ config, series, amplifier: null });
    expect(store().importRunFile(text)).toBe(true);
    expect(store().imported?.config).toEqual(config);
    expect(store().run.workerConfig).toEqual(config); // what the toolbar and charts read
    const again = JSON.parse(await store().exportRunFile());
    const original = JSON.parse(text);
    expect(again.config).toEqual(original.config);
    expect(again.train).toEqual(original.train);
    expect(again.evals).toEqual(original.evals);
    // Play leaves the file explicitly: a new run with its settings, and a message that says so
    const sentBefore = main.sent.length;
    store().step(1); // no worker behind a viewed file
    expect(main.sent.length).toBe(sentBefore);
    store().play();
    expect(store().imported).toBeNull();
    expect(main.sent.slice(sentBefore).map((m) => m.type)).toEqual(['reset', 'play']);
    expect(main.sent.at(-2)).toMatchObject({ config: { task: 'sub', seed: 3, lr: 0.005 } });
    expect(store().notices.at(-1)?.message).toMatch(/Left the imported run \(2 steps\)/);
  });
});

describe('UI store: compare mode', () => {
  it('runs one session per entry, each with its method’s colour; Play and Pause act on them, not the hidden run', () => {
    store().startCompare(store().config, [{ method: 'neuralgrok' }, { method: 'adamw', seed: 3 }]);
    const [a, b] = workers.slice(1);
    expect(a!.sent[0]).toMatchObject({ type: 'reset', config: { method: 'neuralgrok', weightDecay: 1e-3 } });
    expect(b!.sent[0]).toMatchObject({ type: 'reset', config: { method: 'adamw', seed: 3, weightDecay: 1 } });
    const mainSent = main.sent.length;
    store().play();
    expect(a!.sent.at(-1)).toEqual({ type: 'play' });
    expect(b!.sent.at(-1)).toEqual({ type: 'play' });
    expect(main.sent.length).toBe(mainSent);
    b!.reply({ type: 'metrics', records: [{ step: 10, trainLoss: 1, trainAcc: 1, valAcc: 0.97 }], stepsPerSecond: 5, stepCount: 10 });
    expect(store().compare.runs[1]!.state.stepsTo95).toBe(10);
    expect(store().compare.runs.map((r) => r.color)).toEqual(['#d62728', '#2ca02c']);
    store().stopCompare();
    expect(a!.terminated && b!.terminated).toBe(true);
  });

  it('has a lifecycle: running, paused, finished with a verdict; a stopped comparison’s worker cannot write into the next', () => {
    const base = { ...store().config, steps: 20 };
    store().startCompare(base, [{ method: 'neuralgrok' }, { method: 'adamw' }]);
    const [a, b] = workers.slice(1);
    const status = () => compareStatus(store().compare);
    expect(status()).toBe('ready');
    store().play();
    expect(status()).toBe('running');
    for (const w of [a!, b!]) w.reply({ type: 'state', running: true, stepCount: 0 });
    a!.reply({ type: 'metrics', records: [{ step: 10, trainLoss: 1, trainAcc: 1, valAcc: 0.97 }], stepsPerSecond: 5, stepCount: 10 });
    store().pause();
    for (const w of [a!, b!]) w.reply({ type: 'state', running: false, stepCount: w === a ? 10 : 5 });
    expect(status()).toBe('paused');
    expect(compareProgress(store().compare.runs)).toMatchObject({ step: 5, total: 20 });
    store().play();
    for (const w of [a!, b!]) w.reply({ type: 'state', running: true, stepCount: w === a ? 10 : 5 });
    a!.reply({ type: 'metrics', records: [{ step: 20, trainLoss: 1, trainAcc: 1, valAcc: 0.99 }], stepsPerSecond: 5, stepCount: 20 });
    b!.reply({ type: 'metrics', records: [{ step: 20, trainLoss: 1, trainAcc: 1, valAcc: 0.96 }], stepsPerSecond: 5, stepCount: 20 });
    expect(status()).toBe('running'); // the workers have not said they stopped
    for (const w of [a!, b!]) w.reply({ type: 'state', running: false, stepCount: 20 });
    expect(status()).toBe('finished');
    expect(store().compare.running).toBe(false);
    expect(compareVerdict(store().compare.runs)).toBe(
      'NeuralGrok reached val ≥ 0.95 first, at step 10 (then AdamW (weight decay) 20; 2 runs, 1 seed each).',
    );
    store().restartCompare();
    const [c] = workers.slice(3);
    a!.reply({ type: 'metrics', records: [{ step: 21, trainLoss: 1, trainAcc: 1 }], stepsPerSecond: 5, stepCount: 21 }, 1);
    expect(store().compare.runs[0]!.state.stepCount).toBe(0);
    expect(c!.sent[0]).toMatchObject({ type: 'reset' });
  });
});
