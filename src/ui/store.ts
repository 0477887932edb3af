/**
 * The UI state (zustand), in slices: config (what the user edits), run (worker state,
 * backend, errors) and metrics (columnar series). Talks to the worker only through the
 * protocol's messages, via an injected `send`.
 */
import { create } from 'zustand';
import { FIELDS, type FieldKey, type MethodId } from '../config/fields';
import { ConfigError, METHOD_WEIGHT_DECAY, buildConfig, validateConfig, type RunConfig } from '../config/schema';
import { PRESETS } from '../config/presets';
import { GrokTracker } from '../engine/grokking';
import type { StepRecord } from '../engine/trainer';
import type { BackendInfo, FromWorker, ToWorker } from '../protocol';

export const TRAIN_KEYS = ['trainLoss', 'trainAcc'] as const;
export const EVAL_KEYS = ['valLoss', 'valAcc', 'trainFullLoss', 'trainFullAcc', 'weightNorm', 'ageRaw', 'ageApplied'] as const;

export interface Series {
  train: { step: number[] } & Record<(typeof TRAIN_KEYS)[number], number[]>;
  evals: { step: number[] } & Record<(typeof EVAL_KEYS)[number], number[]>;
}

export const emptySeries = (): Series => ({
  train: { step: [], trainLoss: [], trainAcc: [] },
  evals: { step: [], valLoss: [], valAcc: [], trainFullLoss: [], trainFullAcc: [], weightNorm: [], ageRaw: [], ageApplied: [] },
});

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

  setField(key: FieldKey, value: unknown): void;
  switchMethod(method: MethodId): void;
  play(): void;
  pause(): void;
  step(count?: number): void;
  reset(overrides?: Partial<RunConfig>): void;
  receive(message: FromWorker): void;
  dismissError(id: number): void;
  pushError(message: string): void;
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

  play: () => send({ type: 'play' }),
  pause: () => send({ type: 'pause' }),
  step: (count = 1) => send({ type: 'step', count }),

  reset(overrides = {}) {
    let config: RunConfig;
    try {
      config = validateConfig({ ...get().config, ...overrides });
    } catch (e) {
      get().pushError((e as Error).message);
      return;
    }
    tracker = new GrokTracker();
    set({ config, pendingReset: [], series: emptySeries(), seriesVersion: get().seriesVersion + 1, grokStep: null, grokStep99: null, stepCount: 0, running: false });
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
        set({ running: m.running, stepCount: m.stepCount });
        return;
      case 'metrics':
        appendRecords(get().series, m.records);
        for (const r of m.records) tracker.observe(r);
        set({ stepCount: m.stepCount, stepsPerSecond: m.stepsPerSecond, seriesVersion: get().seriesVersion + 1, grokStep: tracker.stepsTo95, grokStep99: tracker.stepsTo99 });
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

function appendRecords(series: Series, records: StepRecord[]): void {
  for (const r of records) {
    series.train.step.push(r.step);
    for (const k of TRAIN_KEYS) series.train[k].push(r[k] ?? NaN);
    if (r.valAcc !== undefined) {
      series.evals.step.push(r.step);
      for (const k of EVAL_KEYS) series.evals[k].push(r[k] ?? NaN);
    }
  }
}
