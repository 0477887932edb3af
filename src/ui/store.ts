/**
 * The UI state (zustand), in slices: config (what the user edits), run (worker state,
 * backend, errors) and metrics (columnar series). Talks to the worker only through the
 * protocol's messages, via an injected `send`.
 */
import { create } from 'zustand';
import { FIELDS, type FieldKey, type MethodId } from '../config/fields';
import { ConfigError, METHOD_WEIGHT_DECAY, buildConfig, validateConfig, type RunConfig } from '../config/schema';
import { PRESETS, UI_PRESETS } from '../config/presets';
import { decodeConfigQuery } from '../config/url';
import type { AmplifierJson } from '../engine/methods/amplifier';
import { loadRecent, makeRunFile, parseRunFile, saveRecent, type RecentRun } from './files';
import { GrokTracker } from '../engine/grokking';
import type { StepRecord } from '../engine/trainer';
import type { BackendInfo, FromWorker, ToWorker } from '../protocol';

export { TRAIN_KEYS, EVAL_KEYS, emptySeries, type Series } from './store-series';
import { appendRecords, emptySeries, type Series } from './store-series';

export interface UiError {
  id: number;
  message: string;
}

export interface GrokState {
  // config slice
  config: RunConfig;
  fieldErrors: Partial<Record<FieldKey, string>>;
  /** Structural fields edited since the last reset: they apply on Reset. */
  pendingReset: FieldKey[];
  // run slice
  workerConfig: RunConfig | null;
  running: boolean;
  stepCount: number;
  stepsPerSecond: number;
  backend: BackendInfo | null;
  errors: UiError[];
  // metrics slice
  series: Series;
  /** Bumped when series change; charts redraw at most ~10×/s from it. */
  seriesVersion: number;
  grokStep: number | null;
  grokStep99: number | null;
  // view slice
  /** Control groups or fields hidden by a classroom link (`hide=model,method`). */
  hidden: string[];
  presentation: boolean;
  showShortcuts: boolean;
  presetId: string | null;
  // files slice
  /** True while showing a run read from a file (Play then starts a fresh run). */
  imported: boolean;
  importedAmplifier: AmplifierJson | null;
  recent: RecentRun[];

  setField(key: FieldKey, value: unknown): void;
  switchMethod(method: MethodId): void;
  play(): void;
  pause(): void;
  step(count?: number): void;
  reset(overrides?: Partial<RunConfig>): void;
  receive(message: FromWorker): void;
  dismissError(id: number): void;
  pushError(message: string): void;
  /** Reads a share link's query string; bad fields fall back with a message each. Returns its compare list. */
  loadFromQuery(query: string): string | null;
  applyPreset(id: string): void;
  setView(v: Partial<Pick<GrokState, 'presentation' | 'showShortcuts'>>): void;
  /** The whole run as a JSON file: config, every metric series, the amplifier. */
  exportRunFile(): Promise<string>;
  /** Shows a run file; a bad file leaves everything as it was and says why. */
  importRunFile(text: string): boolean;
  /** Reuses the imported amplifier, frozen, in the current run (switching to NeuralGrok). */
  applyImportedAmplifier(): void;
}

let send: (m: ToWorker) => void = () => {};
/** Connects the store to a worker (or a test double). */
export function connect(sender: (m: ToWorker) => void): void {
  send = sender;
}

let tracker = new GrokTracker();
let errorId = 0;

export const DEFAULT_UI_CONFIG: RunConfig = buildConfig(PRESETS.classroom!.config, { method: 'adamw' });

const isLive = (k: FieldKey) => k === 'steps' || ('live' in FIELDS[k] && FIELDS[k].live === true);

export const useGrokStore = create<GrokState>((set, get) => ({
  config: DEFAULT_UI_CONFIG,
  fieldErrors: {},
  pendingReset: [],
  workerConfig: null,
  running: false,
  stepCount: 0,
  stepsPerSecond: 0,
  backend: null,
  errors: [],
  series: emptySeries(),
  seriesVersion: 0,
  grokStep: null,
  grokStep99: null,
  hidden: [],
  presentation: false,
  showShortcuts: false,
  presetId: 'fast',
  imported: false,
  importedAmplifier: null,
  recent: typeof localStorage === 'undefined' ? [] : loadRecent(localStorage),

  async exportRunFile() {
    const amplifier = get().workerConfig?.method === 'neuralgrok' ? await requestAmplifier() : null;
    const s = get();
    const file = makeRunFile(s.workerConfig ?? s.config, s.series, amplifier);
    rememberRun(file, s);
    return file;
  },

  importRunFile(text) {
    let run;
    try {
      run = parseRunFile(text);
    } catch (e) {
      get().pushError(`Import failed, nothing was changed: ${(e as Error).message}`);
      return false;
    }
    send({ type: 'pause' });
    tracker = new GrokTracker();
    const records = run.evals.step.map((step, i) => ({ step, valAcc: run.evals.valAcc[i] }));
    for (const r of records) if (Number.isFinite(r.valAcc)) tracker.observe(r as StepRecord);
    set({
      config: run.config,
      series: { train: run.train, evals: run.evals },
      seriesVersion: get().seriesVersion + 1,
      stepCount: run.train.step.at(-1) ?? 0,
      running: false,
      imported: true,
      importedAmplifier: run.amplifier,
      grokStep: tracker.stepsTo95,
      grokStep99: tracker.stepsTo99,
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
    send({ type: 'importAmplifier', amplifier });
  },

  loadFromQuery(query) {
    const { config, hidden, compare, messages } = decodeConfigQuery(query, DEFAULT_UI_CONFIG);
    set({ config, hidden, presetId: query.replace(/^\?/, '') === '' ? 'fast' : null });
    for (const m of messages) get().pushError(`Link: ${m.message}`);
    return compare;
  },

  applyPreset(id) {
    const preset = UI_PRESETS.find((p) => p.id === id);
    if (!preset) return;
    set({ presetId: id });
    get().reset(buildConfig({ ...DEFAULT_UI_CONFIG, ...preset.config }));
  },

  setView: (v) => set(v),

  setField(key, value) {
    const s = get();
    let next: RunConfig;
    try {
      next = validateConfig({ ...s.config, [key]: value });
    } catch (e) {
      const message = e instanceof ConfigError ? e.issues.map((i) => i.message).join('; ') : (e as Error).message;
      set({ fieldErrors: { ...s.fieldErrors, [key]: message } });
      return;
    }
    const fieldErrors = { ...s.fieldErrors };
    delete fieldErrors[key];
    if (key === 'method') {
      set({ fieldErrors });
      get().switchMethod(value as MethodId);
      return;
    }
    if (isLive(key) && s.workerConfig) {
      send({ type: 'update', changes: { [key]: next[key] } });
      set({ config: next, fieldErrors });
    } else {
      const changed = JSON.stringify(next[key]) !== JSON.stringify(s.workerConfig?.[key]);
      const pendingReset = changed ? [...new Set([...s.pendingReset, key])] : s.pendingReset.filter((k) => k !== key);
      set({ config: next, fieldErrors, pendingReset });
    }
  },

  switchMethod(method) {
    // Mid-run: continue from the current weights with the new method and its reference decay.
    const changes: Partial<RunConfig> = { method, ...METHOD_WEIGHT_DECAY[method] };
    const config = validateConfig({ ...get().config, ...changes });
    set({ config });
    if (get().workerConfig) send({ type: 'update', changes });
  },

  play() {
    if (get().imported) get().reset(); // a viewed file is not resumable: start the run fresh
    send({ type: 'play' });
  },
  pause: () => send({ type: 'pause' }),
  step: (count = 1) => send({ type: 'step', count }),

  reset(overrides = {}) {
    const s0 = get();
    let config: RunConfig;
    try {
      config = validateConfig({ ...get().config, ...overrides });
    } catch (e) {
      get().pushError((e as Error).message);
      return;
    }
    if (s0.series.train.step.length > 0 && !s0.imported) rememberRun(makeRunFile(s0.workerConfig ?? s0.config, s0.series, null), s0);
    tracker = new GrokTracker();
    set({ imported: false, config, pendingReset: [], series: emptySeries(), seriesVersion: get().seriesVersion + 1, grokStep: null, grokStep99: null, stepCount: 0, running: false });
    send({ type: 'reset', config });
  },

  receive(m) {
    switch (m.type) {
      case 'backend':
        set({ backend: m.info });
        return;
      case 'config':
        set({ workerConfig: m.config });
        return;
      case 'state':
        if (!get().imported) set({ running: m.running, stepCount: m.stepCount });
        return;
      case 'metrics':
        appendRecords(get().series, m.records);
        for (const r of m.records) tracker.observe(r);
        set({ stepCount: m.stepCount, stepsPerSecond: m.stepsPerSecond, seriesVersion: get().seriesVersion + 1, grokStep: tracker.stepsTo95, grokStep99: tracker.stepsTo99 });
        return;
      case 'amplifier':
        amplifierWaiters.splice(0).forEach((resolve) => resolve(m.amplifier));
        return;
      case 'error':
        get().pushError(m.message);
        if (m.fatal) set({ running: false });
        return;
    }
  },

  pushError(message) {
    set({ errors: [...get().errors, { id: ++errorId, message }] });
  },
  dismissError(id) {
    set({ errors: get().errors.filter((e) => e.id !== id) });
  },
}));

const amplifierWaiters: ((a: AmplifierJson | null) => void)[] = [];
function requestAmplifier(): Promise<AmplifierJson | null> {
  return new Promise((resolve) => {
    amplifierWaiters.push(resolve);
    send({ type: 'exportAmplifier' });
  });
}

/** Keeps a finished or exported run among the recent runs in the browser. */
function rememberRun(file: string, s: GrokState): void {
  if (typeof localStorage === 'undefined') return;
  const c = s.workerConfig ?? s.config;
  const steps = s.series.train.step.at(-1) ?? 0;
  const title = `${c.task} mod ${c.p} · ${c.method} · seed ${c.seed} · ${steps} steps${s.grokStep !== null ? ` · grokked @ ${s.grokStep}` : ''}`;
  useGrokStore.setState({ recent: saveRecent(localStorage, { id: `${c.task}-${c.method}-${c.seed}-${steps}-${Date.now()}`, title, file }) });
}
