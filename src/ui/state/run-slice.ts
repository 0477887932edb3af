/** The main run: a run of the pool (kind 'main'); the store keeps its state as data, the pool its worker. */
import { isValidConfig, parseStoredConfig, validateConfig, type RunConfig, type ValidConfig } from '../../config/schema';
import { wasmThreadsFor } from '../../core/backend-choice';
import { trackerOf } from '../../core/grokking';
import { readRunFile, writeRunFile } from '../../core/run-file';
import type { RunPool } from '../pool/run-pool';
import { initialSessionState } from '../session/training-session';
import { mainStopRule } from './lesson-slice';
import type { RunSlice, Slice } from './types';

/** WASM threads for a config on this machine (navigator.hardwareConcurrency; 1 where unknown). */
export const wasmThreadsHere = (config: RunConfig): number => wasmThreadsFor(config, globalThis.navigator?.hardwareConcurrency || 1);

export const createRunSlice =
  (pool: RunPool): Slice<RunSlice> =>
  (set, get) => {
    /** The main run's id in the pool (opened by the first `connect`). */
    const main = (): number => pool.idOf('main') ?? -1;
    return {
      createWorker: null,
      run: initialSessionState(),
      imported: null,
      importedAmplifier: null,
      edits: [],

      tryIt(query) {
        const session = pool.sessionOf(main());
        return session ? session.tryIt(query) : Promise.reject(new Error('the run has not started'));
      },
      setInsideSlice: (slice) => pool.sessionOf(main())?.setInsideSlice(slice),
      mainCheckpoint: () => pool.checkpointOf(main()),

      connect(createWorker, wasmThreads = 1) {
        set({ createWorker });
        if (pool.idOf('main') !== undefined) return pool.replaceWorker(main(), wasmThreads);
        pool.open(
          'main',
          { label: 'main', config: get().config, stopWhen: mainStopRule(get()) },
          {
            wasmThreads,
            onError: (_run, message) => get().pushError(message),
            onEditRefused: (_run, changes, message) => get().refuseEdit(changes, message),
            // the worker died (an uncaught error, out of memory): the pool moved the run to a new one
            onCrash: (_run, message, fromStep) =>
              get().pushError(
                `${message}. A new worker continues from the checkpoint at step ${fromStep} (the steps after it were dropped); press Play to go on.`,
              ),
          },
        );
      },

      play() {
        if (get().compare.entries) return get().playCompare();
        if (get().imported) return get().leaveImported(); // a viewed file is not resumable: say so
        const { run, config } = get();
        if (run.resumableFrom !== null && pool.isLive(main())) {
          // after a divergence: never on the NaN weights, from the last good checkpoint at half the rate
          const lr = (run.workerConfig ?? config).lr / 2;
          let halved: ValidConfig;
          try {
            halved = validateConfig({ ...config, lr });
          } catch (e) {
            return get().pushError(`Cannot continue at half the learning rate: ${(e as Error).message}. Press Reset.`);
          }
          set({ config: halved, edits: [...get().edits, { step: run.resumableFrom, label: `diverged: lr → ${lr}` }] });
          get().pushInfo(
            `Continuing from the last good checkpoint (step ${run.resumableFrom}) at half the learning rate (${lr}).`,
            'resumed',
          );
          pool.resumeFromCheckpoint(main(), 0.5);
        }
        pool.playRun(main());
      },
      savedRun: null,
      restoreSavedRun(saved) {
        // read from this browser's storage: validated here, once (fields added since take their defaults)
        let config: ValidConfig;
        try {
          config = parseStoredConfig(saved.config as unknown as Record<string, unknown>);
        } catch (e) {
          return get().pushError(`The run saved in this browser could not be restored: ${(e as Error).message}`);
        }
        set({ config, edits: saved.edits, imported: null, pendingReset: [], fieldErrors: {} });
        pool.restore(
          main(),
          config,
          {
            series: saved.series,
            insideHistory: saved.insideHistory,
            checkpoint: saved.checkpoint,
            elapsedSeconds: saved.elapsedSeconds,
          },
          mainStopRule(get()),
          wasmThreadsHere(config),
        );
        const at = new Date(saved.savedAt).toLocaleTimeString();
        get().pushInfo(
          `Restored your run from this browser: step ${saved.checkpoint.step} of ${config.steps} (saved at ${at}). ▶ Play continues it; Reset starts over.`,
          'restored',
        );
      },
      leaveImported() {
        const viewed = get().imported;
        if (!viewed) return;
        const steps = get().run.series.train.step.at(-1) ?? 0;
        get().reset();
        get().pushInfo(
          `Left the ${viewed.source === 'file' ? 'imported' : 'recent'} run (${steps} steps): a new run with its settings started from step 0. The file is unchanged; Recent runs and Import open it again.`,
          'left-run',
        );
        pool.playRun(main());
      },
      pause() {
        if (get().compare.entries) return get().pauseCompare();
        pool.pauseRun(main());
      },
      // a viewed file has no worker behind it: stepping would advance the hidden live run
      // (nor after a divergence: Play resumes from the checkpoint first)
      step: (count = 1) => (get().imported || get().run.resumableFrom !== null ? undefined : pool.stepRun(main(), count)),

      reset(overrides = {}) {
        const s = get();
        // the edited config is valid already, and so is a whole validated config (a preset's, a lesson's): sent as they are;
        // only a merge with other overrides is a new config, validated here
        let config: ValidConfig;
        try {
          config = isValidConfig(overrides)
            ? overrides
            : Object.keys(overrides).length === 0
              ? s.config
              : validateConfig({ ...s.config, ...overrides });
        } catch (e) {
          get().pushError((e as Error).message);
          return;
        }
        if (s.run.series.train.step.length > 0 && !s.imported && s.run.workerConfig) {
          const run = { config: s.run.workerConfig, series: s.run.series, stepsTo95: s.run.stepsTo95 };
          get().rememberRun({ ...run, file: writeRunFile({ ...run, amplifier: null }) });
        }
        // a refused value shown at its field belongs to the config just replaced
        set({ imported: null, config, pendingReset: [], edits: [], ...(Object.keys(overrides).length > 0 ? { fieldErrors: {} } : {}) });
        // The WASM thread count is fixed when a worker starts: a config that wants another gets a new one.
        pool.reset(main(), config, mainStopRule(get()), wasmThreadsHere(config));
      },

      async exportRunFile() {
        const s = get();
        // the displayed run's own config: a viewed file's, else what the worker echoed (never the edited fields)
        const config = s.imported?.config ?? s.run.workerConfig ?? s.config;
        const amplifier = s.imported
          ? s.imported.amplifier
          : config.method === 'neuralgrok'
            ? ((await pool.sessionOf(main())?.requestAmplifier()) ?? null)
            : null;
        const file = writeRunFile({ config, series: s.run.series, amplifier, inside: s.run.insideHistory });
        get().rememberRun({ file, config, series: s.run.series, stepsTo95: s.run.stepsTo95 });
        return file;
      },

      importRunFile(text, source = 'file') {
        let file;
        try {
          file = readRunFile(text, parseStoredConfig);
        } catch (e) {
          get().pushError(`Import failed, nothing was changed: ${(e as Error).message}`, 'import-failed');
          return false;
        }
        pool.pauseRun(main());
        const tracker = trackerOf(file.series.evals);
        const run = get().run;
        set({
          config: file.config,
          // the file's run alone, as if its worker had reported it (its config echoed): nothing of the live run
          run: {
            ...initialSessionState(),
            runId: run.runId,
            backend: run.backend,
            workerConfig: file.config,
            insideHistory: file.inside ?? initialSessionState().insideHistory,
            series: file.series,
            seriesVersion: run.seriesVersion + 1,
            stepCount: file.series.train.step.at(-1) ?? 0,
            stepsTo95: tracker.stepsTo95,
            stepsTo99: tracker.stepsTo99,
          },
          imported: { source, config: file.config, amplifier: file.amplifier },
          importedAmplifier: file.amplifier,
          presetId: null,
          pendingReset: [],
          edits: [],
          fieldErrors: {},
        });
        return true;
      },

      applyImportedAmplifier() {
        const amplifier = get().importedAmplifier;
        if (!amplifier) return;
        if (get().config.method !== 'neuralgrok') get().switchMethod('neuralgrok');
        get().setField('ngFrozen', true);
        pool.sessionOf(main())?.importAmplifier(amplifier);
      },
    };
  };
