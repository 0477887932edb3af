/** The main run: one TrainingSession, its state as last reported, and run files. */
import { parseStoredConfig, validateConfig, type RunConfig } from '../../config/schema';
import { wasmThreadsFor } from '../../core/backend-choice';
import { GrokTracker } from '../../core/grokking';
import { readRunFile, writeRunFile } from '../../core/run-file';
import { initialSessionState, TrainingSession } from '../session/training-session';
import type { RunSlice, Slice } from './types';

/** WASM threads for a config on this machine (navigator.hardwareConcurrency; 1 where unknown). */
export const wasmThreadsHere = (config: RunConfig): number => wasmThreadsFor(config, globalThis.navigator?.hardwareConcurrency || 1);

export const createRunSlice: Slice<RunSlice> = (set, get) => ({
  createWorker: null,
  wasmThreads: 1,
  session: null,
  run: initialSessionState(),
  imported: false,
  importedAmplifier: null,
  edits: [],

  tryIt(query) {
    const session = get().session;
    return session ? session.tryIt(query) : Promise.reject(new Error('the run has not started'));
  },
  setInsideSlice: (slice) => get().session?.setInsideSlice(slice),

  connect(createWorker, wasmThreads = 1) {
    get().session?.terminate();
    const session = new TrainingSession(createWorker(wasmThreads), {
      // a file being viewed keeps its own numbers until the next reset
      onChange: (run) => !get().imported && set({ run }),
      onError: (message) => get().pushError(message),
    });
    set({ createWorker, wasmThreads, session, run: session.current });
  },

  play() {
    if (get().compare.entries) return get().playCompare();
    if (get().imported) get().reset(); // a viewed file is not resumable: start the run fresh
    get().session?.play();
  },
  pause() {
    if (get().compare.entries) return get().pauseCompare();
    get().session?.pause();
  },
  step: (count = 1) => get().session?.step(count),

  reset(overrides = {}) {
    const s = get();
    let config: RunConfig;
    try {
      config = validateConfig({ ...s.config, ...overrides });
    } catch (e) {
      get().pushError((e as Error).message);
      return;
    }
    if (s.run.series.train.step.length > 0 && !s.imported) {
      get().rememberRun(writeRunFile({ config: s.run.workerConfig ?? s.config, series: s.run.series, amplifier: null }));
    }
    // a refused value shown at its field belongs to the config just replaced
    set({ imported: false, config, pendingReset: [], edits: [], ...(Object.keys(overrides).length > 0 ? { fieldErrors: {} } : {}) });
    // The WASM thread count is fixed when a worker starts: a config that wants another gets a new one.
    const threads = wasmThreadsHere(config);
    if (s.createWorker && threads !== s.wasmThreads) get().connect(s.createWorker, threads);
    get().session?.reset(config);
  },

  async exportRunFile() {
    const s = get();
    const amplifier =
      s.run.workerConfig?.method === 'neuralgrok' && !s.imported ? ((await s.session?.requestAmplifier()) ?? null) : s.importedAmplifier;
    const file = writeRunFile({ config: s.run.workerConfig ?? s.config, series: s.run.series, amplifier, inside: s.run.insideHistory });
    get().rememberRun(file);
    return file;
  },

  importRunFile(text) {
    let file;
    try {
      file = readRunFile(text, parseStoredConfig);
    } catch (e) {
      get().pushError(`Import failed, nothing was changed: ${(e as Error).message}`);
      return false;
    }
    get().session?.pause();
    const tracker = new GrokTracker();
    file.series.evals.step.forEach((step, i) => tracker.observe({ step, valAcc: file.series.evals.valAcc[i] }));
    const run = get().run;
    set({
      config: file.config,
      run: {
        ...run,
        running: false,
        inside: null,
        insideHistory: file.inside ?? initialSessionState().insideHistory,
        series: file.series,
        seriesVersion: run.seriesVersion + 1,
        stepCount: file.series.train.step.at(-1) ?? 0,
        stepsTo95: tracker.stepsTo95,
        stepsTo99: tracker.stepsTo99,
      },
      imported: true,
      importedAmplifier: file.amplifier,
      presetId: null,
      pendingReset: [],
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
