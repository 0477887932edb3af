/**
 * A preset's line states what its recorded command gives (issue 30, item 4): the cheap presets'
 * recorded commands (src/config/preset-measurements.json) are run again here, headless, through
 * the CLI, and every figure the line reads — memorized at, 95 % at, steps, final accuracies — must
 * come out the same (WASM's numbers are deterministic). Cheap: a recorded run of at most
 * CHEAP_STEPS steps on a 1-layer model, about 30 s here with the CLI's start-up (the classroom
 * preset, 330 steps: 28 s wall at load 15 on the 2-core machine). The others take minutes to
 * hours; `npx tsx scripts/measure-presets.ts --check` re-runs them (docs/testing.md).
 */
import { describe, expect, it } from 'vitest';
import { presetById } from '../src/config/presets';
import { PRESET_MEASUREMENTS, presetWatch, thousands } from '../src/config/preset-watch';
import { commandFlags, figureChanges, rerunMeasurement } from '../scripts/measure-presets';

const CHEAP_STEPS = 500;
const cheap = PRESET_MEASUREMENTS.filter((m) => m.steps <= CHEAP_STEPS && m.config.layers === 1);

describe('a preset’s line against its recorded command, re-run', () => {
  it('the classroom preset is among the cheap ones, and each recorded command is a CLI command', () => {
    expect(cheap.map((m) => m.preset)).toContain('classroom');
    for (const m of PRESET_MEASUREMENTS) expect(commandFlags(m.command).slice(0, 2)).toEqual(['--preset', m.preset]);
  });

  for (const m of cheap) {
    it(`${m.preset}${m.method ? ` (${m.method})` : ''}: ${m.command} gives the figures its line states`, () => {
      const { figures } = rerunMeasurement(m);
      expect(figureChanges(m, figures), `re-measure with npx tsx scripts/measure-presets.ts ${m.preset}`).toEqual([]);
      const line = presetWatch(presetById(m.preset)!);
      if (figures.stepsTo95 !== null) expect(line).toContain(`95\u00a0% at step ${thousands(figures.stepsTo95)}`);
      else expect(line).toContain(`${thousands(figures.steps)} steps`);
      if (figures.memorizedAt !== null && figures.stepsTo95 !== null)
        expect(line).toContain(`99\u00a0% at step ${thousands(figures.memorizedAt)}`);
      // the check can fail: a line recorded 10 steps off is caught
      if (figures.stepsTo95 !== null) {
        const off = { ...m, stepsTo95: figures.stepsTo95 + 10 };
        expect(figureChanges(off, figures)).toEqual([`stepsTo95: ${figures.stepsTo95 + 10} → ${figures.stepsTo95}`]);
        expect(presetWatch(presetById(m.preset)!, [off])).not.toContain(`95\u00a0% at step ${thousands(figures.stepsTo95)}`);
      }
    }, 300_000); // alone it takes 24–44 s at load 16–21; beside the other unit files on 2 busy cores, 145 s was seen
  }
});
