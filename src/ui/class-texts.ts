/**
 * Texts that depend on the run being set up: the introduction's task and promise, and the
 * empty charts' placeholder. They name what was measured for this config (the classroom run's
 * browser time, or a preset's headless measurement), and promise nothing for a custom one.
 */
import { TASK_LABELS } from '../config/fields';
import { PRESET_MEASUREMENTS, thousands } from '../config/preset-watch';
import { PRESETS, type Preset } from '../config/presets';
import { buildConfig, type RunConfig } from '../config/schema';
import { CLASSROOM_GROK_SECONDS } from './help';

const configKey = (c: RunConfig) => JSON.stringify({ ...c, backend: 'auto' });
/** The single-run presets' full configs, built once (selectors call presetOf on every store update). */
let presetKeys: [Preset, string][] | null = null;
const seen = new WeakMap<RunConfig, Preset | null>();

/** The (single-run) preset whose whole config this is, backend aside. */
export function presetOf(config: RunConfig): Preset | undefined {
  const cached = seen.get(config);
  if (cached !== undefined) return cached ?? undefined;
  presetKeys ??= PRESETS.filter((p) => !p.compare).map((p) => [p, configKey(buildConfig(p.config))]);
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
      long: `the default run groks in about ${CLASSROOM_GROK_SECONDS} s on a laptop CPU (longer while other programs are busy)`,
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
