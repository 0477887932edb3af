/**
 * Every preset's "what to watch" line states what its committed measurement
 * (src/config/preset-measurements.json, scripts/measure-presets.ts) found, for the preset's
 * current config: a preset changed without measuring it again fails here.
 */
import { describe, expect, it } from 'vitest';
import { FIELDS, FIELD_KEYS } from '../src/config/fields';
import { PRESETS, armOverrides, compareArms } from '../src/config/presets';
import { DEFAULT_CONFIG, buildConfig } from '../src/config/schema';
import { NOT_MEASURED, PRESET_MEASUREMENTS, presetWatch, thousands } from '../src/config/preset-watch';
import { emptyChartHint, expectedOutcome } from '../src/ui/class-texts';

/** The fields that differ and matter for the run: another method's hyperparameters (and the backend) do not. */
function changedFields(measured: Record<string, unknown>, now: Record<string, unknown>): string[] {
  return FIELD_KEYS.filter((k) => {
    const owner = (FIELDS[k] as { method?: string }).method;
    if (k === 'backend' || (owner && owner !== now.method)) return false;
    return JSON.stringify(measured[k]) !== JSON.stringify(now[k]);
  });
}

describe('preset watch lines from measured runs', () => {
  for (const p of PRESETS.filter((p) => !NOT_MEASURED[p.id])) {
    it(`${p.id}: measured at its current config, and its line states those figures`, () => {
      const arms = p.compare ? compareArms(p) : [undefined];
      const line = presetWatch(p);
      for (const arm of arms) {
        const method = arm?.method;
        const m = PRESET_MEASUREMENTS.find((x) => x.preset === p.id && x.method === method);
        expect(m, `no measurement of ${p.id} ${method ?? ''}: run scripts/measure-presets.ts ${p.id}`).toBeDefined();
        const config = buildConfig(p.config, arm ? armOverrides(arm) : {});
        expect(
          // a field added since the measurement reads as its default, as a stored config does
          changedFields({ ...DEFAULT_CONFIG, ...m!.config }, { ...config, seed: 0 }),
          `${p.id} ${method ?? ''} changed since it was measured: measure it again`,
        ).toEqual([]);
        if (m!.stepsTo95 !== null) expect(line).toContain(`95\u00a0% at step ${thousands(m!.stepsTo95)}`);
        else expect(line).toContain(`${thousands(m!.steps)} steps`);
        if (m!.memorizedAt !== null && m!.stepsTo95 !== null) expect(line).toContain(`99\u00a0% at step ${thousands(m!.memorizedAt)}`);
      }
      expect(line).toContain('seed 0');
      // figures are not typed into the description: every "step N" in the line is a measured one
      expect(p.watch).not.toMatch(/step \d/);
      // numbers of four digits or more keep their thousands together
      expect(line).not.toMatch(/\d \d{3}\b/);
    });
  }

  it('a preset too slow to measure here says so and states no measurement of ours', () => {
    for (const p of PRESETS.filter((p) => NOT_MEASURED[p.id])) {
      expect(PRESET_MEASUREMENTS.some((m) => m.preset === p.id)).toBe(false);
      expect(presetWatch(p)).not.toMatch(/Measured headless/);
    }
  });

  it('a task the model does not learn says so plainly', () => {
    for (const p of PRESETS) {
      const m = PRESET_MEASUREMENTS.find((x) => x.preset === p.id && !x.method);
      const chance = 1 / Number(p.config.p ?? 97);
      if (m && m.stepsTo95 === null && m.finalValAcc < 2 * chance) expect(presetWatch(p)).toMatch(/does not learn the task/);
    }
  });

  it('the placeholder and the introduction promise only what was measured for the config', () => {
    const classroom = buildConfig(PRESETS.find((p) => p.id === 'classroom')!.config);
    expect(emptyChartHint(classroom)).toMatch(/^press Play — it groks in about \d+ s$/);
    expect(emptyChartHint({ ...classroom, lr: 0.003 })).toBe('press Play'); // custom: no promise
    for (const p of PRESETS.filter((p) => !p.compare && p.id !== 'classroom' && !NOT_MEASURED[p.id])) {
      const m = PRESET_MEASUREMENTS.find((x) => x.preset === p.id && !x.method)!;
      const hint = emptyChartHint(buildConfig(p.config));
      expect(hint, p.id).toContain(m.stepsTo95 !== null ? `step ${thousands(m.stepsTo95)}` : `within ${thousands(m.steps)} steps`);
      expect(expectedOutcome(buildConfig(p.config))!.long).toContain('seed 0');
    }
  });
});
