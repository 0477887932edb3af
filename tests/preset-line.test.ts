/** Issue 32: the plain line under the toolbar and lesson chapter 6 read measured figures, in a class's words. */
import { describe, expect, it } from 'vitest';
import { PRESETS, presetById } from '../src/config/presets';
import { PRESET_MEASUREMENTS, thousands } from '../src/config/preset-watch';
import { methodName, presetSentence } from '../src/ui/class-texts';
import { decodeLink } from '../src/config/url';
import { DEFAULT_UI_CONFIG } from '../src/ui/state/config-slice';
import { GROKKING_LESSON, lessonFromLink } from '../src/ui/lesson/chapters';

describe('the line under the toolbar', () => {
  it('says when the classroom run memorizes and groks, from the measurement file, in one sentence', () => {
    const m = PRESET_MEASUREMENTS.find((x) => x.preset === 'classroom')!;
    const line = presetSentence(presetById('classroom')!);
    expect(line).toBe(
      `a + b mod 31: memorizes by step ~${thousands(m.memorizedAt!)}, groks near step ~${thousands(m.stepsTo95!)} — a few seconds here.`,
    );
  });

  it('keeps provenance out of every preset’s line (it is behind the ?)', () => {
    for (const p of PRESETS) {
      const line = presetSentence(p);
      expect(line, p.id).not.toMatch(/Measured headless|load \d|scripts\/|seed 0 \(/);
      expect(line.length, p.id).toBeLessThan(260);
    }
  });

  it('a compare preset names each method and says one seed can go either way', () => {
    const line = presetSentence(presetById('neuralgrok-vs-baselines')!);
    expect(line).toMatch(/Matched normalization/);
    expect(line).toMatch(/another seed can swap them/);
    expect(line).toMatch(/NeuralGrok ~[\d\u00a0]+|NeuralGrok none/);
  });
});

describe('lesson chapter 6', () => {
  const chapter = GROKKING_LESSON[5]!;
  it('shows what its button runs, under the compare table’s names, and that one seed can go either way', () => {
    expect(methodName('gradnorm', { normMatched: true })).toBe('Matched normalization');
    expect(chapter.watch).toMatch(/NeuralGrok and matched normalization side by side/);
    expect(chapter.watch).toMatch(/One seed can go either way/);
    expect(chapter.watch).not.toMatch(/GrokFast|Standard|four|several minutes/);
    for (const method of ['neuralgrok', 'gradnorm']) {
      const m = PRESET_MEASUREMENTS.find((x) => x.preset === 'neuralgrok-vs-baselines' && x.method === method)!;
      if (m.stepsTo95 !== null) expect(chapter.watch).toContain(`step ~${thousands(m.stepsTo95)}`);
    }
  });

  it('a link to a chapter the lesson does not have opens the nearest one and says so', () => {
    const lessonFromQuery = (query: string) => lessonFromLink(decodeLink(query, DEFAULT_UI_CONFIG).page);
    expect(lessonFromQuery('?lesson=grokking&chapter=3')).toEqual({ id: 'grokking', chapter: 2 });
    const far = lessonFromQuery('?lesson=grokking&chapter=99');
    expect(far).toMatchObject({ id: 'grokking', chapter: GROKKING_LESSON.length - 1 });
    expect((far as { note: string }).note).toMatch(/chapters 1–6; opened chapter 6/);
  });
});
