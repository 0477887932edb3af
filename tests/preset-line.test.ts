/** Issue 32: the plain line under the toolbar and lesson chapter 6 read measured figures, in a class's words. */
import { describe, expect, it } from 'vitest';
import { PRESETS, presetById } from '../src/config/presets';
import { PRESET_MEASUREMENTS, thousands } from '../src/config/preset-watch';
import { methodName, presetSentence } from '../src/ui/class-texts';
import { decodeLink } from '../src/config/url';
import { DEFAULT_UI_CONFIG } from '../src/ui/state/config-slice';
import { GROKKING_LESSON, lessonFromLink, noDecayLine } from '../src/ui/lesson/chapters';

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
    expect((far as { note: string }).note).toMatch(/chapters 1–7; opened chapter 7/);
  });
});

describe('lesson chapter 7: grokking without weight decay', () => {
  const chapter = GROKKING_LESSON[6]!;
  const measured = (method: string) => PRESET_MEASUREMENTS.find((x) => x.preset === 'no-weight-decay' && x.method === method)!;

  it('states the measured steps of both runs, and AdamW’s drift and collapse as measured', () => {
    const ortho = measured('orthograd');
    const plain = measured('adamw');
    expect(chapter.title).toBe('Grokking without weight decay');
    expect(ortho.stepsTo95).not.toBeNull(); // the preset's point: ⊥Grad groks in its budget…
    expect(plain.stepsTo95).toBeNull(); // …and plain AdamW without decay does not
    expect(plain.config.weightDecay).toBe(0);
    expect(chapter.watch).toContain(`⊥Grad grokked at step ~${thousands(ortho.stepsTo95!)}`);
    expect(chapter.watch).toContain(
      `AdamW, wd 0 memorized by step ~${thousands(plain.memorizedAt!)} and did not grok within ${thousands(plain.steps)} steps`,
    );
    expect(chapter.watch).toContain(`cos(Δθ, θ) ${plain.finalNlmCosine!.toFixed(2)}`);
    expect(chapter.watch).toMatch(
      plain.finalCollapseFraction! > 0 ? /% of its training rows had an exactly-zero gradient/ : /no training row had collapsed/,
    );
  });

  it('says what another measurement would say (the text is generated, not typed)', () => {
    const fake = [
      { ...measured('orthograd'), stepsTo95: 1234 },
      { ...measured('adamw'), finalCollapseFraction: 0.625, finalNlmCosine: 0.91 },
    ];
    const line = noDecayLine(fake);
    expect(line).toContain('⊥Grad grokked at step ~1\u00a0234');
    expect(line).toContain('cos(Δθ, θ) 0.91');
    expect(line).toContain('63\u00a0% of its training rows had an exactly-zero gradient');
    expect(noDecayLine([])).toBe('Not measured yet.');
  });

  it('the preset’s line names both runs, AdamW with its decay of 0', () => {
    const line = presetSentence(presetById('no-weight-decay')!);
    expect(line).toMatch(/^a \+ b mod 59, 2 methods side by side/);
    expect(line).toContain('AdamW, wd 0 none in');
  });
});
