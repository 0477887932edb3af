/**
 * Each preset's "what to watch" line: its own words (what it is for, with no figures) followed
 * by what a headless run of it measured, generated from src/config/preset-measurements.json
 * (written by scripts/measure-presets.ts; a unit test checks both agree with the presets).
 * Numbers carry non-breaking thousands spaces ("3 000" never breaks across lines).
 */
import { METHODS } from '../core/methods';
import { METHOD_LABELS, type MethodId } from './fields';
import { compareArms, type Preset } from './presets';
import measurements from './preset-measurements.json';

export interface PresetMeasurement {
  preset: string;
  /** The compared method, for a compare preset. */
  method?: string;
  seed: number;
  command: string;
  config: Record<string, unknown>;
  /** First evaluation with full-training accuracy ≥ 0.99. */
  memorizedAt: number | null;
  stepsTo95: number | null;
  finalTrainAcc: number;
  finalValAcc: number;
  steps: number;
  /** Share of the training rows whose loss gradient was exactly 0 at the end (softmax collapse); older measurements lack it. */
  finalCollapseFraction?: number;
  /** cos(Δθ, θ) at the last evaluation (near +1: the update only scales the weights); older measurements lack it. */
  finalNlmCosine?: number;
  seconds: number;
  /** 1-minute load average when it started (the seconds are wall-clock time under that load). */
  loadAverage: number;
  commit: string;
  date: string;
}

export const PRESET_MEASUREMENTS = measurements as PresetMeasurement[];

/**
 * Presets too slow to measure on the development machine, and why: their lines may cite the
 * paper's figures (attributed) but state none of ours (docs/results.md has what was measured).
 */
export const NOT_MEASURED: Readonly<Record<string, string>> = {
  'neuralgrok-poly5':
    'the 4-layer model with a 1 152-wide amplifier and a meta step every step takes seconds per step here: 6 000 steps would take hours',
};

/** 12345 → "12 345" with a no-break space (U+00A0), so a figure never breaks across lines. */
export function thousands(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
}

const pct = (x: number) => `${Math.round(100 * x)}\u00a0%`;

function wallTime(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)}\u00a0s`;
  const min = Math.round(seconds / 60);
  return `${min}\u00a0min`;
}

/** What one measured run showed, in one sentence. */
export function measuredSentence(m: PresetMeasurement, chance: number): string {
  // wall time says little on a shared machine: the load it ran under goes with it
  const duration = (seconds: number) =>
    `${wallTime(seconds)} in Node${m.loadAverage > 2.5 ? ` on a shared 2-core machine, load ${m.loadAverage}` : ''}`;
  const memorized = m.memorizedAt !== null ? `training accuracy reached 99\u00a0% at step ${thousands(m.memorizedAt)}` : null;
  if (m.stepsTo95 !== null)
    return `${memorized ? `${memorized} and v` : 'V'}alidation 95\u00a0% at step ${thousands(m.stepsTo95)} (${duration(m.seconds)})`;
  const atChance = m.finalTrainAcc < 2 * chance && m.finalValAcc < 2 * chance;
  if (atChance)
    return `after ${thousands(m.steps)} steps (${duration(m.seconds)}) training and validation accuracy were still at chance (train ${pct(m.finalTrainAcc)}, val ${pct(m.finalValAcc)}, chance ${pct(chance)}): this model does not learn the task here`;
  const collapsed =
    m.finalCollapseFraction !== undefined && m.finalCollapseFraction > 0
      ? `; softmax collapse: ${pct(m.finalCollapseFraction)} of the training rows had a zero loss gradient at the end`
      : '';
  return `${memorized ?? `training accuracy ${pct(m.finalTrainAcc)}`}; validation stayed below 95\u00a0% for ${thousands(m.steps)} steps (${pct(m.finalValAcc)} at the end, ${duration(m.seconds)})${collapsed}`;
}

/** A compare preset's run by name: `label`'s, or the method's short name and the decay where the preset sets the arm's ("AdamW, wd 0"). */
export function armName(p: Preset, method: string | undefined, label: (method: string) => string): string {
  const arm = compareArms(p).find((a) => a.method === method);
  return arm?.weightDecay !== undefined ? `${METHODS[arm.method].shortLabel}, wd ${arm.weightDecay}` : label(method ?? '');
}

/** The preset's whole watch line: its description, then what was measured (seed, command, date). */
export function presetWatch(p: Preset, list: readonly PresetMeasurement[] = PRESET_MEASUREMENTS): string {
  const runs = list.filter((m) => m.preset === p.id);
  if (runs.length === 0) return p.watch;
  const chance = 1 / Number(p.config.p ?? 97);
  const head = `Measured headless, seed 0 (${runs[0]!.date}, scripts/measure-presets.ts)`;
  if (p.compare) {
    const parts = runs.map((m) => `${armName(p, m.method, (id) => METHOD_LABELS[id as MethodId] ?? id)}: ${measuredSentence(m, chance)}`);
    return `${p.watch} ${head}: ${parts.join('; ')}.`;
  }
  return `${p.watch} ${head}: ${measuredSentence(runs[0]!, chance)}.`;
}
