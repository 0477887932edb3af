/**
 * Texts that depend on the run being set up: the introduction's task and promise, and the
 * empty charts' placeholder. They name what was measured for this config (the classroom run's
 * browser time, or a preset's headless measurement), and promise nothing for a custom one.
 */
import { METHOD_LABELS, TASK_LABELS, type MethodId } from '../config/fields';
import { NOT_MEASURED, PRESET_MEASUREMENTS, armName, thousands, type PresetMeasurement } from '../config/preset-watch';
import { PRESETS, presetConfig, type Preset } from '../config/presets';
import type { RunConfig } from '../config/schema';
import { CLASSROOM_GROK_SECONDS, CLASSROOM_GROK_TIME } from './help';

const configKey = (c: RunConfig) => JSON.stringify({ ...c, backend: 'auto' });
/** The single-run presets' full configs, built once (selectors call presetOf on every store update). */
let presetKeys: [Preset, string][] | null = null;
const seen = new WeakMap<RunConfig, Preset | null>();

/** The (single-run) preset whose whole config this is, backend aside. */
export function presetOf(config: RunConfig): Preset | undefined {
  const cached = seen.get(config);
  if (cached !== undefined) return cached ?? undefined;
  presetKeys ??= PRESETS.filter((p) => !p.compare).map((p) => [p, configKey(presetConfig(p))]);
  const key = configKey(config);
  const preset = presetKeys.find(([, k]) => k === key)?.[0];
  seen.set(config, preset ?? null);
  return preset;
}

export const taskText = (config: RunConfig): string => `${TASK_LABELS[config.task]} mod ${config.p}`;

/** What Play will show for this config, as measured; null when nothing was measured for it. */
export function expectedOutcome(config: RunConfig): { short: string; long: string } | null {
  const preset = presetOf(config);
  if (!preset) return null;
  if (preset.id === 'classroom')
    return {
      short: `it groks in about ${CLASSROOM_GROK_SECONDS} s`,
      long: `the default run groks about ${CLASSROOM_GROK_SECONDS} s after Play (measured in Chromium on a ${CLASSROOM_GROK_TIME.cores}-core machine; longer while other programs are busy)`,
    };
  const m = PRESET_MEASUREMENTS.find((x) => x.preset === preset.id && !x.method);
  if (!m) return null;
  if (m.stepsTo95 !== null)
    return {
      short: `measured: val 95\u00a0% at step ${thousands(m.stepsTo95)}`,
      long: `this preset reached validation 95\u00a0% at step ${thousands(m.stepsTo95)} in a headless run (seed 0)`,
    };
  return {
    short: `measured: no grokking within ${thousands(m.steps)} steps`,
    long: `in a headless run (seed 0) this preset did not reach validation 95\u00a0% within ${thousands(m.steps)} steps`,
  };
}

/** The step this config grokked at when it was measured (a preset's seed-0 run), or null. */
export function measuredGrokStep(config: RunConfig): number | null {
  const preset = presetOf(config);
  return PRESET_MEASUREMENTS.find((m) => preset && m.preset === preset.id && !m.method)?.stepsTo95 ?? null;
}

/** The empty charts' placeholder for this config. */
export function emptyChartHint(config: RunConfig): string {
  const outcome = expectedOutcome(config);
  return outcome ? `press Play — ${outcome.short}` : 'press Play';
}

/**
 * A method's name as the class reads it: gradient normalization matched to NeuralGrok's scale
 * is "Matched normalization" (the lesson's word, the compare table's and the paper view's).
 */
export function methodName(method: MethodId | string, config?: object): string {
  if (method === 'gradnorm' && (config as { normMatched?: boolean } | undefined)?.normMatched === true) return 'Matched normalization';
  return METHOD_LABELS[method as MethodId] ?? method;
}

/** A wall time as a class says it: "a few seconds", "about a minute", "about 20 min". */
export function roughDuration(seconds: number): string {
  if (seconds < 20) return 'a few seconds';
  if (seconds < 90) return 'about a minute';
  if (seconds < 5400) return `about ${Math.round(seconds / 60)}\u00a0min`;
  return `about ${Math.round(seconds / 3600)}\u00a0h`;
}

/** "memorizes by step ~90, groks near step ~470": one measured run in a few words. */
function measuredPhrase(m: PresetMeasurement, chance: number): string {
  const memorized = m.memorizedAt !== null ? `memorizes by step ~${thousands(m.memorizedAt)}` : null;
  if (m.stepsTo95 !== null) return `${memorized ? `${memorized}, ` : ''}groks near step ~${thousands(m.stepsTo95)}`;
  if (m.finalTrainAcc < 2 * chance && m.finalValAcc < 2 * chance)
    return `stays at chance for ${thousands(m.steps)} steps: this model does not learn it`;
  return `${memorized ?? 'learns its training rows'}, but does not grok within ${thousands(m.steps)} steps`;
}

/**
 * The one plain line under the toolbar for a preset (issue 32): what a class will see, from the
 * measured run (src/config/preset-measurements.json), with no provenance — that is behind its ?
 * (presetWatch) and in docs/presets.md.
 */
export function presetSentence(p: Preset, list: readonly PresetMeasurement[] = PRESET_MEASUREMENTS): string {
  const task = `${TASK_LABELS[(p.config.task ?? 'add') as keyof typeof TASK_LABELS]} mod ${p.config.p ?? 97}`;
  const chance = 1 / Number(p.config.p ?? 97);
  const runs = list.filter((m) => m.preset === p.id);
  if (NOT_MEASURED[p.id]) return `${task}: not measured here — ${NOT_MEASURED[p.id]}.`;
  if (runs.length === 0) return `${task}: ${p.watch.split(/(?<=\.)\s/)[0]}`;
  if (p.compare) {
    const grok = (m: PresetMeasurement) => (m.stepsTo95 !== null ? `~${thousands(m.stepsTo95)}` : `none in ${thousands(m.steps)}`);
    const parts = runs.map((m) => `${armName(p, m.method, (id) => methodName(id, m.config))} ${grok(m)}`);
    return `${task}, ${runs.length} methods side by side — steps to grok: ${parts.join(', ')}; one seed each, and another seed can swap them.`;
  }
  const m = runs[0]!;
  const time =
    p.id === 'classroom'
      ? CLASSROOM_GROK_SECONDS <= 20
        ? 'a few seconds here'
        : `about ${CLASSROOM_GROK_SECONDS}\u00a0s here`
      : `${roughDuration(m.seconds)} on a CPU`;
  return `${task}: ${measuredPhrase(m, chance)} — ${time}.`;
}
