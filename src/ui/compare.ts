/**
 * Compare mode: up to four runs side by side, each in its own worker (they share the CPU, so
 * each runs slower than alone), drawn as overlaid, colour-coded curves with a steps-to-grok
 * table. A compare set is a base config plus a list of methods (and optional seeds), so it
 * travels in the share URL as `cmp=neuralgrok,grokfast_ema,adamw,standard`.
 */
import { create } from 'zustand';
import { METHOD_IDS, type MethodId } from '../config/fields';
import { buildConfig, type RunConfig } from '../config/schema';
import { GrokTracker } from '../engine/grokking';
import type { FromWorker, ToWorker } from '../protocol';
import { appendRecords, emptySeries, type Series } from './store-series';

export const MAX_COMPARE = 4;
export const COMPARE_COLORS = ['#d62728', '#1f77b4', '#2ca02c', '#ff7f0e'];

export interface CompareEntry {
  method: MethodId;
  seed?: number;
}

export interface CompareRun {
  label: string;
  color: string;
  config: RunConfig;
  series: Series;
  stepCount: number;
  grokStep: number | null;
  grokStep99: number | null;
  backend: string | null;
  error: string | null;
}

/** `cmp=neuralgrok,adamw@2` → entries; unknown methods are reported, at most four kept. */
export function parseCompareList(text: string): { entries: CompareEntry[]; messages: string[] } {
  const messages: string[] = [];
  const entries: CompareEntry[] = [];
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [method, seedText] = part.split('@');
    const seed = seedText === undefined ? undefined : Number(seedText);
    if (!METHOD_IDS.includes(method as MethodId)) messages.push(`compare: unknown method "${part}" was ignored`);
    else if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 31)) messages.push(`compare: "${part}" has an invalid seed; ignored`);
    else if (entries.length >= MAX_COMPARE) messages.push(`compare: at most ${MAX_COMPARE} runs; "${part}" was ignored`);
    else entries.push({ method: method as MethodId, ...(seed !== undefined ? { seed } : {}) });
  }
  return { entries, messages };
}

export function formatCompareList(entries: CompareEntry[]): string {
  return entries.map((e) => (e.seed === undefined ? e.method : `${e.method}@${e.seed}`)).join(',');
}

/** One config per entry: the base with the entry's method (and its reference weight decay) and seed. */
export function compareConfigs(base: RunConfig, entries: CompareEntry[]): RunConfig[] {
  return entries.map((e) => {
    const { weightDecay: _wd, weightDecayMode: _wdm, ...rest } = base;
    void _wd;
    void _wdm;
    return buildConfig(rest, { method: e.method, seed: e.seed ?? base.seed });
  });
}

interface CompareState {
  entries: CompareEntry[] | null;
  runs: CompareRun[];
  running: boolean;
  version: number;
  start(base: RunConfig, entries: CompareEntry[]): void;
  play(): void;
  pause(): void;
  stop(): void;
  /** Shows a saved compare set (no workers: nothing to resume). */
  view(runs: { label: string; config: RunConfig; series: Series }[]): void;
}

let workers: Worker[] = [];
let trackers: GrokTracker[] = [];

export const useCompareStore = create<CompareState>((set, get) => ({
  entries: null,
  runs: [],
  running: false,
  version: 0,

  start(base, entries) {
    get().stop();
    const configs = compareConfigs(base, entries);
    trackers = configs.map(() => new GrokTracker());
    const runs = configs.map((config, i) => ({
      label: `${config.method}${entries[i]!.seed !== undefined ? ` seed ${config.seed}` : ''}`,
      color: COMPARE_COLORS[i]!,
      config,
      series: emptySeries(),
      stepCount: 0,
      grokStep: null,
      grokStep99: null,
      backend: null,
      error: null,
    }));
    set({ entries, runs, running: false, version: get().version + 1 });
    workers = configs.map((config, i) => {
      const w = new Worker(new URL('../worker/training.worker.ts', import.meta.url), { type: 'module' });
      w.onmessage = (e: MessageEvent<FromWorker>) => receive(i, e.data);
      w.postMessage({ type: 'reset', config } satisfies ToWorker);
      return w;
    });
  },
  play() {
    workers.forEach((w) => w.postMessage({ type: 'play' } satisfies ToWorker));
    set({ running: true });
  },
  pause() {
    workers.forEach((w) => w.postMessage({ type: 'pause' } satisfies ToWorker));
    set({ running: false });
  },
  stop() {
    workers.forEach((w) => w.terminate());
    workers = [];
    set({ entries: null, runs: [], running: false });
  },
  view(saved) {
    get().stop();
    const runs = saved.slice(0, MAX_COMPARE).map((r, i) => {
      const tracker = new GrokTracker();
      r.series.evals.step.forEach((step, j) => tracker.observe({ step, valAcc: r.series.evals.valAcc[j] }));
      return { label: r.label, color: COMPARE_COLORS[i]!, config: r.config, series: r.series, stepCount: r.series.train.step.at(-1) ?? 0, grokStep: tracker.stepsTo95, grokStep99: tracker.stepsTo99, backend: 'file', error: null };
    });
    set({ entries: runs.map((r) => ({ method: r.config.method, seed: r.config.seed })), runs, running: false, version: get().version + 1 });
  },
}));

function receive(i: number, m: FromWorker): void {
  const state = useCompareStore.getState();
  const run = state.runs[i];
  if (!run) return;
  const runs = [...state.runs];
  switch (m.type) {
    case 'backend':
      runs[i] = { ...run, backend: m.info.backend };
      break;
    case 'metrics':
      appendRecords(run.series, m.records);
      for (const r of m.records) trackers[i]!.observe(r);
      runs[i] = { ...run, stepCount: m.stepCount, grokStep: trackers[i]!.stepsTo95, grokStep99: trackers[i]!.stepsTo99 };
      break;
    case 'error':
      runs[i] = { ...run, error: m.message };
      break;
    default:
      return;
  }
  useCompareStore.setState({ runs, version: state.version + 1 });
}
