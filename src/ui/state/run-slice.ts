/** The main run: one TrainingSession, its state as last reported, and run files. */
import { parseStoredConfig, validateConfig, type RunConfig } from '../../config/schema';
import { wasmThreadsFor } from '../../core/backend-choice';
import { trackerOf } from '../../core/grokking';
import { readRunFile, writeRunFile } from '../../core/run-file';
import { initialSessionState, TrainingSession } from '../session/training-session';
import { mainStopRule } from './lesson-slice';
import type { RunSlice, Slice } from './types';

/** WASM threads for a config on this machine (navigator.hardwareConcurrency; 1 where unknown). */
export const wasmThreadsHere = (config: RunConfig): number => wasmThreadsFor(config, globalThis.navigator?.hardwareConcurrency || 1);

export const createRunSlice: Slice<RunSlice> = (set, get) => ({
  createWorker: null,
  wasmThreads: 1,
  session: null,
  run: initialSessionState(),
  imported: null,
  importedAmplifier: null,
  edits: [],

  tryIt(query) {
    const session = get().session;
    return session ? session.tryIt(query) : Promise.reject(new Error('the run has not started'));
  },
  setInsideSlice: (slice) => get().session?.setInsideSlice(slice),

  connect(createWorker, wasmThreads = 1) {
    get().session?.terminate();
    // Every callback checks it still belongs to the store's session: a replaced one cannot write.
    const current = () => get().session === session;
    const session: TrainingSession = new TrainingSession(createWorker(wasmThreads), {
      // a file being viewed keeps its own numbers until the next reset
      onChange: (run) => {
        if (!current() || get().imported) return;
        const was = get().run;
        set({ run });
        // a plain warning, once, when a run starts failing without NaN
        if (run.notLearning && !was.notLearning && run.runId === was.runId)
          get().pushError(`This run is not learning: ${run.notLearning}. Try a lower learning rate, or press Reset.`, 'not-learning');
      },
      onError: (message) => current() && get().pushError(message),
      onEditRefused: (changes, message) => current() && get().refuseEdit(changes, message),
      onCrash: (message) => current() && get().restartCrashedWorker(message),
    });
    set({ createWorker, wasmThreads, session, run: session.current });
  },

  play() {
    if (get().compare.entries) return get().playCompare();
    if (get().imported) return get().leaveImported(); // a viewed file is not resumable: say so
    const { run, session, config } = get();
    if (run.resumableFrom !== null && session) {
      // after a divergence: never on the NaN weights, from the last good checkpoint at half the rate
      const lr = (run.workerConfig ?? config).lr / 2;
      set({ config: { ...config, lr }, edits: [...get().edits, { step: run.resumableFrom, label: `diverged: lr → ${lr}` }] });
      get().pushInfo(`Continuing from the last good checkpoint (step ${run.resumableFrom}) at half the learning rate (${lr}).`, 'resumed');
      session.resumeFromCheckpoint(0.5);
    }
    get().session?.play();
  },
  savedRun: null,
  restoreSavedRun(saved) {
    const s = get();
    set({ config: saved.config, edits: saved.edits, imported: null, pendingReset: [], fieldErrors: {} });
    const threads = wasmThreadsHere(saved.config);
    if (s.createWorker && threads !== s.wasmThreads) get().connect(s.createWorker, threads);
    get().session?.restore(
      saved.config,
      {
        series: saved.series,
        insideHistory: saved.insideHistory,
        checkpoint: saved.checkpoint,
        elapsedSeconds: saved.elapsedSeconds,
      },
      mainStopRule(get()),
    );
    const at = new Date(saved.savedAt).toLocaleTimeString();
    get().pushInfo(
      `Restored your run from this browser: step ${saved.checkpoint.step} of ${saved.config.steps} (saved at ${at}). ▶ Play continues it; Reset starts over.`,
      'restored',
    );
  },
  restartCrashedWorker(message) {
    const { session, createWorker, wasmThreads, run, config } = get();
    if (!session || !createWorker) return;
    const checkpoint = session.lastCheckpoint;
    const runConfig = run.workerConfig ?? config;
    const series = run.series;
    const insideHistory = run.insideHistory;
    get().connect(createWorker, wasmThreads); // terminates the dead one
    get().session!.restore(runConfig, { series, insideHistory, checkpoint, elapsedSeconds: run.elapsedSeconds }, mainStopRule(get()));
    get().pushError(
      `${message}. A new worker continues from the checkpoint at step ${checkpoint?.step ?? 0} (the steps after it were dropped); press Play to go on.`,
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
    get().session?.play();
  },
  pause() {
    if (get().compare.entries) return get().pauseCompare();
    get().session?.pause();
  },
  // a viewed file has no worker behind it: stepping would advance the hidden live run
  // (nor after a divergence: Play resumes from the checkpoint first)
  step: (count = 1) => (get().imported || get().run.resumableFrom !== null ? undefined : get().session?.step(count)),

  reset(overrides = {}) {
    const s = get();
    let config: RunConfig;
    try {
      config = validateConfig({ ...s.config, ...overrides });
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
    const threads = wasmThreadsHere(config);
    if (s.createWorker && threads !== s.wasmThreads) get().connect(s.createWorker, threads);
    get().session?.reset(config, mainStopRule(get()));
  },

  async exportRunFile() {
    const s = get();
    // the displayed run's own config: a viewed file's, else what the worker echoed (never the edited fields)
    const config = s.imported?.config ?? s.run.workerConfig ?? s.config;
    const amplifier = s.imported
      ? s.imported.amplifier
      : config.method === 'neuralgrok'
        ? ((await s.session?.requestAmplifier()) ?? null)
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
    get().session?.pause();
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
    get().session?.importAmplifier(amplifier);
  },
});
