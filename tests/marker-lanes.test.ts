import { describe, expect, it } from 'vitest';
import { emptySeries } from '../src/core/metrics';
import { labelWidth, layoutMarkerLabels } from '../src/ui/charts/marker-lanes';
import { runStory } from '../src/ui/run-story';

/** A crowded synthetic classroom run: memorized early, grokked, slingshots, and a burst of live edits. */
function crowdedStory() {
  const evals = emptySeries().evals;
  for (let step = 10; step <= 3000; step += 10) {
    evals.step.push(step);
    evals.trainFullAcc.push(step >= 90 ? 1 : step / 100);
    evals.valAcc.push(step < 760 ? 0.05 : step % 70 === 0 ? 0.1 : 0.99);
    evals.weightNorm.push(30 - step / 200);
  }
  const edits = [
    { step: 700, label: 'Weight decay 1 → 0' },
    { step: 720, label: 'Weight decay 0 → 1' },
    { step: 740, label: 'AdamW (weight decay) → NeuralGrok, wd 1 (decoupled) → 0.001 (coupled)' },
    { step: 2990, label: 'Learning rate 0.01 → 0.003' },
    { step: 10, label: 'Learning rate 0.003 → 0.01' },
  ];
  return runStory(evals, { step: [], sparsity: [] }, edits, 10);
}

describe('marker labels in lanes', () => {
  for (const width of [1000, 560, 360]) {
    it(`never overlap and never leave the plot on a crowded run (${width} px wide)`, () => {
      const story = crowdedStory();
      expect(story.markers.length).toBeGreaterThanOrEqual(9);
      const left = 64;
      const right = width - 12;
      const sx = (step: number) => left + (step / 3000) * (right - left);
      const markers = story.markers.map((m) => ({ x: sx(m.step), label: m.label }));
      const boxes = layoutMarkerLabels(markers, { left, right, fontSize: 12, lanes: 4 });
      for (const b of boxes) {
        expect(b.x).toBeGreaterThanOrEqual(left);
        expect(b.x + b.width).toBeLessThanOrEqual(right);
        expect(b.width).toBe(labelWidth(markers[b.index]!.label, 12));
        expect(b.lane).toBeLessThan(4);
      }
      for (const a of boxes)
        for (const b of boxes)
          if (a !== b && a.lane === b.lane) expect(a.x + a.width <= b.x || b.x + b.width <= a.x, `${a.index} vs ${b.index}`).toBe(true);
      // the story's own markers come first and are always labelled
      const shown = new Set(boxes.map((b) => story.markers[b.index]!.label));
      expect(shown).toContain('memorized @ 90');
      expect([...shown].some((l) => l.startsWith('grokked @ 760'))).toBe(true);
    });
  }

  it('a label too wide for the plot is left out rather than clipped', () => {
    expect(layoutMarkerLabels([{ x: 100, label: 'x'.repeat(80) }], { left: 64, right: 348, fontSize: 12, lanes: 4 })).toEqual([]);
  });
});
