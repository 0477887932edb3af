/**
 * One validated config per run: validated once where it is made (an edit, a reset with changes,
 * a link, a file), carried as a ValidConfig to the run pool, the worker and the Trainer, and
 * echoed once. An unvalidated config cannot reach a worker; a valid one is never rebuilt.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLASSROOM_CONFIG, presetById, presetConfig } from '../src/config/presets';
import { assertValidConfig, buildConfig, DEFAULT_CONFIG, isValidConfig, receivedConfig, type ValidConfig } from '../src/config/schema';
import { activateBackend } from '../src/engine/backend';
import { Trainer } from '../src/engine/trainer';
import type { FromWorker, ToWorker } from '../src/protocol';
import { RunPool } from '../src/ui/pool/run-pool';
import { DEFAULT_UI_CONFIG, useGrokStore } from '../src/ui/store';
import { RunController } from '../src/worker/run-controller';
import { FakeWorker } from './fake-worker';

const TINY = buildConfig(CLASSROOM_CONFIG, { p: 11, dModel: 16, heads: 2, batchSize: 16, evalEvery: 5, steps: 20 });

describe('a validated config is a value of its own', () => {
  it('validateConfig makes one; a copy or a spread of it is not one until validated; an echo through a message is marked as received', () => {
    expect(isValidConfig(TINY)).toBe(true);
    expect(isValidConfig({ ...TINY })).toBe(false);
    expect(isValidConfig(structuredClone(TINY))).toBe(false);
    expect(isValidConfig(DEFAULT_CONFIG)).toBe(false); // the field defaults, never validated as a run
    expect(() => assertValidConfig({ ...TINY, lr: 7 })).toThrow(/validated/);
    const echoed = structuredClone(TINY);
    expect(receivedConfig(echoed)).toBe(echoed);
    expect(isValidConfig(echoed)).toBe(true);
    // a preset's config is built once and shared
    expect(presetConfig(presetById('paper')!)).toBe(presetConfig(presetById('paper')!));
  });
});

describe('an invalid config cannot reach a worker', () => {
  it('the run pool refuses a config that did not come out of validateConfig, and sends nothing', () => {
    const workers: FakeWorker[] = [];
    const pool = new RunPool(
      () => {
        const w = new FakeWorker();
        workers.push(w);
        return w;
      },
      () => {},
    );
    const bad = { ...TINY, lr: 7 } as ValidConfig; // a spread keeps the type's brand: the pool checks the object itself
    expect(() => pool.start('compare', [{ label: 'bad', config: bad }])).toThrow(/validated/);
    expect(workers).toHaveLength(0);
    const id = pool.open('main', { label: 'main', config: TINY });
    expect(() => pool.reset(id, bad, null)).toThrow(/validated/);
    // @ts-expect-error a RunConfig is not a ValidConfig
    expect(() => pool.reset(id, { ...DEFAULT_CONFIG }, null)).toThrow(/validated/);
    expect(workers[0]!.sent).toEqual([]);
  });

  describe('the page', () => {
    let main: FakeWorker;
    const store = () => useGrokStore.getState();
    const resets = () => main.sent.filter((m): m is Extract<ToWorker, { type: 'reset' }> => m.type === 'reset');
    beforeEach(() => {
      useGrokStore.setState({ config: DEFAULT_UI_CONFIG, pendingReset: [], fieldErrors: {}, notices: [], imported: null });
      store().stopCompare();
      store().connect(() => (main = new FakeWorker()));
      store().reset();
      main.reply({ type: 'config', config: DEFAULT_UI_CONFIG });
    });
    afterEach(() => store().stopCompare());

    it('a bad edit, a bad reset and a bad link send nothing invalid; every config sent was validated', () => {
      store().setField('lr', 7);
      store().setField('dModel', 33); // not divisible by the heads
      expect(store().fieldErrors).toMatchObject({ lr: expect.stringMatching(/≤ 1/), dModel: expect.any(String) });
      store().reset({ p: 12 }); // not prime
      expect(store().notices.at(-1)?.message).toMatch(/prime/);
      expect(resets()).toHaveLength(1);
      store().loadFromQuery('?lr=7&p=12&task=nope');
      store().reset();
      expect(resets()).toHaveLength(2);
      for (const r of resets()) expect(isValidConfig(r.config)).toBe(true);
      expect(resets()[1]!.config).toBe(store().config);
    });

    it('a valid config is sent as it is: the edited config at Reset, a preset’s own, a comparison’s runs', () => {
      store().setField('lr', 0.002);
      store().setField('dModel', 64); // structural: applies on Reset
      const edited = store().config;
      store().reset();
      expect(resets().at(-1)!.config).toBe(edited);
      store().applyPreset('paper');
      expect(store().config).toBe(presetConfig(presetById('paper')!));
      expect(store().runs.find((r) => r.kind === 'main')!.config).toBe(store().config);
    });
  });
});

describe('the worker and the Trainer run the config they were given', () => {
  afterEach(() => activateBackend('wasm'));

  it('the Trainer keeps the validated config as it is (no second validation, no copy)', async () => {
    await activateBackend('wasm');
    const trainer = new Trainer(TINY);
    expect(trainer.currentConfig).toBe(TINY);
    // a live edit makes a new config: validated there, once
    trainer.updateConfig({ lr: 0.002 });
    expect(trainer.currentConfig).not.toBe(TINY);
    expect(isValidConfig(trainer.currentConfig)).toBe(true);
    expect(() => trainer.updateConfig({ lr: 7 })).toThrow(/≤ 1/);
    trainer.dispose();
  });

  it('the worker echoes the config it runs once per reset, the very object it received', async () => {
    const messages: FromWorker[] = [];
    const controller = new RunController({
      post: (m) => messages.push(m),
      chooseBackend: async () => {
        await activateBackend('wasm');
        return { backend: 'wasm', adapter: null, skipped: [] };
      },
    });
    await controller.handle({ type: 'reset', runId: 1, config: TINY });
    const echoes = messages.filter((m) => m.type === 'config');
    expect(echoes).toHaveLength(1);
    expect((echoes[0] as Extract<FromWorker, { type: 'config' }>).config).toBe(TINY);
  });
});
