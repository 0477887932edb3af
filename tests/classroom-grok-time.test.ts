/**
 * Issue 32, item 6: the introduction's "groks in about N s" is generated from the browser
 * measurement `npm run bench:browser` writes (src/ui/classroom-grok-time.json), and that
 * measurement belongs to the classroom preset's current config: a preset changed without
 * timing it again in the browser fails here.
 */
import { describe, expect, it } from 'vitest';
import { FIELDS, FIELD_KEYS } from '../src/config/fields';
import { PRESET_MEASUREMENTS } from '../src/config/preset-watch';
import { presetById } from '../src/config/presets';
import { buildConfig } from '../src/config/schema';
import { median } from '../src/core/stats';
import { expectedOutcome, emptyChartHint } from '../src/ui/class-texts';
import { CLASSROOM_GROK_SECONDS, CLASSROOM_GROK_TIME } from '../src/ui/help';

const classroom = buildConfig(presetById('classroom')!.config);

describe('the classroom run’s time to grok in the browser', () => {
  it('was measured on the classroom preset’s current config (run `npm run bench:browser` after changing it)', () => {
    const measured = CLASSROOM_GROK_TIME.config as Record<string, unknown>;
    const now = classroom as unknown as Record<string, unknown>;
    // the backend is the page's choice; another method's hyperparameters do not change the run
    const changed = FIELD_KEYS.filter((k) => {
      const owner = (FIELDS[k] as { method?: string }).method;
      if (k === 'backend' || (owner && owner !== now.method)) return false;
      return JSON.stringify(measured[k]) !== JSON.stringify(now[k]);
    });
    expect(changed).toEqual([]);
  });

  it('a faster classroom run still tells the story: memorized (train ≥ 0.99) at least 100 steps before it grokked (val ≥ 0.95)', () => {
    // the requirement of docs/decisions.md, "The classroom run groks sooner" (checked there on seeds 0–4; here on the recorded seed 0)
    const m = PRESET_MEASUREMENTS.find((x) => x.preset === 'classroom' && !x.method)!;
    expect(m.memorizedAt).not.toBeNull();
    expect(m.stepsTo95).not.toBeNull();
    expect(m.stepsTo95! - m.memorizedAt!).toBeGreaterThanOrEqual(100);
  });

  it('states a median of at least five runs, each of which grokked', () => {
    const t = CLASSROOM_GROK_TIME;
    expect(t.seconds.length).toBeGreaterThanOrEqual(5);
    expect(t.grokSteps).toHaveLength(t.seconds.length);
    expect(t.medianSeconds).toBeCloseTo(Number(median(t.seconds).toFixed(1)), 5);
    for (const s of t.grokSteps) expect(s).toBeGreaterThan(0);
    expect(t.command).toBe('npm run bench:browser');
  });

  it('the introduction and the placeholder promise the measured median, in whole seconds', () => {
    expect(CLASSROOM_GROK_SECONDS).toBe(Math.max(1, Math.round(CLASSROOM_GROK_TIME.medianSeconds)));
    expect(expectedOutcome(classroom)!.short).toBe(`it groks in about ${CLASSROOM_GROK_SECONDS} s`);
    expect(emptyChartHint(classroom)).toBe(`press Play — it groks in about ${CLASSROOM_GROK_SECONDS} s`);
  });
});
