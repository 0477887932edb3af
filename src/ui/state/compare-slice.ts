/**
 * Compare mode: up to four runs of one base config, runs of the run pool (ui/pool/run-pool.ts),
 * each in its own worker (they share the CPU, so each runs slower than alone); `compare.runs`
 * is a view of the pool's compare runs. A compare set is a base config plus a list of methods
 * (and optional seeds and weight decays), so it travels in the share URL as
 * `cmp=neuralgrok,grokfast_ema,adamw,standard` (`adamw.wd0@2`: AdamW without decay, seed 2).
 */
import { FIELDS, METHOD_IDS, type MethodId } from '../../config/fields';
import { METHODS } from '../../core/methods';
import { methodName } from '../class-texts';
import { buildConfig, withMethod, type RunConfig, type ValidConfig } from '../../config/schema';
import { trackerOf } from '../../core/grokking';
import type { SeedRun } from '../../core/multi-seed';
import { methodColor } from '../method-colors';
import { initialSessionState } from '../session/training-session';
import type { PoolRun } from '../pool/run-pool';
import type { CompareEntry, CompareRun, CompareSlice, GrokStore, Slice } from './types';

export const MAX_COMPARE = 4;

/** At most this many seeds per method in a multi-seed comparison, and this many runs in all. */
export const MAX_SEEDS = 5;
export const MAX_COMPARE_RUNS = 12;

/**
 * `cmp=neuralgrok,adamw@2` → entries; unknown methods are reported, at most four kept. With
 * `seeds=0,1,2` every method without its own `@seed` runs once per seed (a multi-seed
 * comparison, at most twelve runs, all at once: they share the CPU).
 */
export function parseCompareList(
  text: string,
  seedsText: string | null = null,
): { entries: CompareEntry[]; seeds: number[] | null; messages: string[] } {
  const messages: string[] = [];
  const entries: CompareEntry[] = [];
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [head, seedText] = part.split('@');
    const [method, wdText] = head!.split(/\.wd(?=[\d.])/);
    const seed = seedText === undefined ? undefined : Number(seedText);
    const weightDecay = wdText === undefined ? undefined : Number(wdText);
    if (!METHOD_IDS.includes(method as MethodId)) messages.push(`compare: unknown method "${part}" was ignored`);
    else if (seed !== undefined && !validSeed(seed)) messages.push(`compare: "${part}" has an invalid seed; ignored`);
    else if (weightDecay !== undefined && !validDecay(weightDecay))
      messages.push(`compare: "${part}" has an invalid weight decay; ignored`);
    else if (entries.length >= MAX_COMPARE) messages.push(`compare: at most ${MAX_COMPARE} runs; "${part}" was ignored`);
    else
      entries.push({
        method: method as MethodId,
        ...(seed !== undefined ? { seed } : {}),
        ...(weightDecay !== undefined ? { weightDecay } : {}),
      });
  }
  const seeds = seedsText === null ? null : parseSeeds(seedsText, messages);
  if (!seeds) return { entries, seeds: null, messages };
  const expanded: CompareEntry[] = [];
  for (const e of entries)
    for (const seed of e.seed === undefined ? seeds : [e.seed]) {
      if (expanded.length >= MAX_COMPARE_RUNS) {
        messages.push(`compare: at most ${MAX_COMPARE_RUNS} runs with seeds; ${e.method} seed ${seed} was left out`);
        continue;
      }
      expanded.push({ ...e, seed });
    }
  return { entries: expanded, seeds, messages };
}

const validSeed = (seed: number) => Number.isInteger(seed) && seed >= 0 && seed < 2 ** 31;
const validDecay = (wd: number) => Number.isFinite(wd) && wd >= FIELDS.weightDecay.min && wd <= FIELDS.weightDecay.max;

/** `adamw`, `adamw.wd0`: the method and, where the entry gives one, its weight decay. */
const armText = (e: CompareEntry) => (e.weightDecay === undefined ? e.method : `${e.method}.wd${e.weightDecay}`);

/** A compare run's name: the method's, or its short name and the weight decay where the entry sets one ("AdamW, wd 0"). */
export function entryLabel(e: CompareEntry, config: RunConfig): string {
  return e.weightDecay !== undefined ? `${METHODS[config.method].shortLabel}, wd ${e.weightDecay}` : methodName(config.method, config);
}

/** `0,1,2` → [0, 1, 2]: distinct valid seeds, at most MAX_SEEDS; null when none is valid. */
function parseSeeds(text: string, messages: string[]): number[] | null {
  const seeds: number[] = [];
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const seed = Number(part);
    if (!/^\d+$/.test(part) || !validSeed(seed)) messages.push(`seeds: "${part}" is not a seed; ignored`);
    else if (seeds.includes(seed)) continue;
    else if (seeds.length >= MAX_SEEDS) messages.push(`seeds: at most ${MAX_SEEDS}; "${part}" was ignored`);
    else seeds.push(seed);
  }
  return seeds.length ? seeds : null;
}

/** The compare list of a link; with a seed list, each method once (its seeds go to `seeds=`). */
export function formatCompareList(entries: CompareEntry[], seeds: number[] | null = null): string {
  if (seeds) return [...new Set(entries.map(armText))].join(',');
  return entries.map((e) => (e.seed === undefined ? armText(e) : `${armText(e)}@${e.seed}`)).join(',');
}

/** One config per entry: the base with the entry's method (and that method's reference weight decay, or the entry's) and seed. */
export function compareConfigs(base: RunConfig, entries: CompareEntry[]): ValidConfig[] {
  return entries.map((e) =>
    buildConfig(withMethod(base, e.method), {
      seed: e.seed ?? base.seed,
      ...(e.weightDecay !== undefined ? { weightDecay: e.weightDecay } : {}),
    }),
  );
}

/** Where a comparison stands: derived from its runs' own reports, never from a flag alone. */
export type CompareStatus = 'ready' | 'running' | 'paused' | 'finished' | 'saved';

export function compareStatus(compare: CompareSlice['compare']): CompareStatus {
  const live = compare.runs.filter((r) => r.live);
  if (live.length === 0) return 'saved';
  // a run that stopped with an error counts as done: it will not go further by itself
  const done = (r: CompareRun) =>
    r.state.stepCount >= (r.state.workerConfig ?? r.config).steps || (!r.state.running && r.state.error !== null);
  if (live.every((r) => done(r) && !r.state.running)) return 'finished';
  if (live.some((r) => r.state.running) || compare.running) return 'running';
  return live.some((r) => r.state.stepCount > 0) ? 'paused' : 'ready';
}

/** The comparison's progress for the toolbar: the slowest run's step, and its speed. */
export function compareProgress(runs: CompareRun[]): { step: number; total: number; speed: number; elapsed: number } {
  const live = runs.length > 0 ? runs : [];
  const slowest = live.reduce<CompareRun | null>((a, r) => (a === null || r.state.stepCount < a.state.stepCount ? r : a), null);
  return {
    step: slowest?.state.stepCount ?? 0,
    total: slowest ? (slowest.state.workerConfig ?? slowest.config).steps : 0,
    speed: slowest?.state.smoothStepsPerSecond ?? 0,
    elapsed: Math.max(0, ...live.map((r) => r.state.elapsedSeconds)),
  };
}

/** The compare runs as seed runs of their methods (a multi-seed comparison's summary, verdict and CSV). */
export function seedRunsOf(runs: CompareRun[]): SeedRun[] {
  return runs.map((r) => ({
    method: r.config.method,
    label: methodName(r.config.method, r.config),
    seed: r.config.seed,
    stepsTo95: r.state.stepsTo95,
    stepsTo99: r.state.stepsTo99,
    steps: r.state.stepCount,
  }));
}

/** Whether some method runs over more than one seed. */
export function isMultiSeed(runs: CompareRun[]): boolean {
  const seen = new Map<string, Set<number>>();
  for (const r of runs) seen.set(r.config.method, (seen.get(r.config.method) ?? new Set()).add(r.config.seed));
  return [...seen.values()].some((s) => s.size > 1);
}

/** One line: which method reached val ≥ 0.95 first, over how many runs and seeds. */
export function compareVerdict(runs: CompareRun[]): string {
  const methods = new Set(runs.map((r) => r.config.method));
  const seedsPer = Math.max(...[...methods].map((m) => new Set(runs.filter((r) => r.config.method === m).map((r) => r.config.seed)).size));
  const scope = `${runs.length} run${runs.length === 1 ? '' : 's'}, ${seedsPer === 1 ? '1 seed' : `${seedsPer} seeds`} each`;
  const grokked = runs.filter((r) => r.state.stepsTo95 !== null).sort((a, b) => a.state.stepsTo95! - b.state.stepsTo95!);
  const total = Math.max(...runs.map((r) => (r.state.workerConfig ?? r.config).steps));
  if (grokked.length === 0) return `No run reached val ≥ 0.95 within ${total} steps (${scope}).`;
  const best = grokked[0]!;
  const others =
    grokked.length === 1
      ? 'the only one to get there'
      : `then ${grokked
          .slice(1)
          .map((r) => `${r.label} ${r.state.stepsTo95}`)
          .join(', ')}`;
  return `${best.label} reached val ≥ 0.95 first, at step ${best.state.stepsTo95} (${others}; ${scope}).`;
}

/** A pool run as a compare row (the same object while the pool run is unchanged). */
const rowOf = (() => {
  const rows = new WeakMap<PoolRun, CompareRun>();
  return (run: PoolRun, live: boolean): CompareRun => {
    const known = rows.get(run);
    if (known && known.live === live) return known;
    const { id, label, config, status, state } = run;
    const row = { id, label, color: methodColor(config.method), config, status, live, state };
    rows.set(run, row);
    return row;
  };
})();

/** The compare view of the pool's runs: a new `compare` only when one of its runs changed. */
export function compareMirror(s: Pick<GrokStore, 'compare'>, runs: readonly PoolRun[]): Partial<Pick<GrokStore, 'compare'>> {
  const rows = runs.filter((r) => r.kind === 'compare').map((r) => rowOf(r, r.status === 'live'));
  const { compare } = s;
  if (rows.length === compare.runs.length && rows.every((r, i) => r === compare.runs[i])) return {};
  const next = { ...compare, runs: rows, version: compare.version + 1 };
  // Play was asked for; once every run has stopped at its end it is no longer running
  if (next.running && compareStatus({ ...next, running: false }) === 'finished') next.running = false;
  return { compare: next };
}

export const createCompareSlice: Slice<CompareSlice> = (set, get) => ({
  compare: { entries: null, runs: [], running: false, version: 0 },

  startCompare(base, entries, seeds = null) {
    get().stopCompare();
    get().pauseRuns('main'); // the hidden single run must not take CPU from the comparison
    const configs = compareConfigs(base, entries);
    set({ compare: { ...get().compare, entries, seeds, running: false } });
    get().startRuns(
      'compare',
      configs.map((config, i) => ({
        label: `${entryLabel(entries[i]!, config)}${entries[i]!.seed !== undefined ? ` seed ${config.seed}` : ''}`,
        config,
      })),
    );
  },
  restartCompare() {
    const { entries, runs, seeds } = get().compare;
    if (entries && runs.some((r) => r.live)) get().startCompare(get().config, entries, seeds ?? null);
  },
  playCompare() {
    // a finished comparison has nothing left to run: Play starts it over
    if (compareStatus(get().compare) === 'finished') {
      get().restartCompare();
      if (compareStatus(get().compare) === 'finished') return; // nothing to restart (a saved comparison)
    }
    get().playRuns('compare');
    set({ compare: { ...get().compare, running: true } });
  },
  pauseCompare() {
    get().pauseRuns('compare');
    set({ compare: { ...get().compare, running: false } });
  },
  stopCompare() {
    get().removeRuns('compare');
    set({ compare: { entries: null, runs: [], running: false, version: get().compare.version + 1 } });
  },
  viewCompare(saved) {
    get().stopCompare();
    const shown = saved.slice(0, MAX_COMPARE).map((r) => {
      const tracker = trackerOf(r.series.evals);
      const state = {
        ...initialSessionState(),
        workerConfig: r.config,
        series: r.series,
        stepCount: r.series.train.step.at(-1) ?? 0,
        stepsTo95: tracker.stepsTo95,
        stepsTo99: tracker.stepsTo99,
      };
      return { label: r.label, config: r.config, state };
    });
    set({ compare: { ...get().compare, entries: shown.map((r) => ({ method: r.config.method, seed: r.config.seed })), running: false } });
    get().showRuns('compare', shown);
  },
});
