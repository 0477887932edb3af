import { describe, expect, it } from 'vitest';
import { appendRecords, emptySeries } from '../src/core/metrics';
import { isGrokkingDelay, runStory } from '../src/ui/run-story';

function evalsOf(rows: [number, number, number][]) {
  const s = emptySeries();
  appendRecords(
    s,
    rows.map(([step, trainFullAcc, valAcc]) => ({ step, trainLoss: 1, trainFullAcc, valAcc, weightNorm: 30 })),
  );
  return s.evals;
}

describe('the run’s story', () => {
  it('marks memorized and grokked with the delay, and live edits', () => {
    const evals = evalsOf([
      [10, 0.5, 0.01],
      [100, 0.995, 0.05],
      [200, 1, 0.3],
      [400, 1, 0.96],
    ]);
    const story = runStory(evals, { step: [], sparsity: [] }, [{ step: 150, label: 'Weight decay 1 → 0' }], 10);
    expect([story.memorizedAt, story.generalizedAt, story.delay, story.grokked]).toEqual([100, 400, 300, true]);
    expect(story.markers.map((m) => m.label)).toEqual(['memorized @ 100', 'grokked @ 400 (delay 300)', 'Weight decay 1 → 0']);
    expect(story.phase).toBe('grokked');
    expect(story.bands[0]).toMatchObject({ from: 10, label: 'memorizing' });
  });

  it('marks slingshot dips after generalization as spikes, at most three', () => {
    const evals = evalsOf([
      [10, 1, 0.2],
      [100, 1, 0.96],
      [110, 0.6, 0.1],
      [120, 1, 0.97],
      [130, 0.5, 0.3],
      [140, 0.5, 0.2],
      [150, 1, 0.99],
    ]);
    const story = runStory(evals, { step: [], sparsity: [] }, [], 10);
    expect(story.markers.filter((m) => m.label.startsWith('spike')).map((m) => m.step)).toEqual([110, 130]);
  });

  it('says "generalized (no delay)" when validation rises with training', () => {
    const story = runStory(
      evalsOf([
        [10, 0.5, 0.4],
        [20, 0.99, 0.96],
      ]),
      { step: [], sparsity: [] },
      [],
      10,
    );
    expect(story.grokked).toBe(false);
    expect(story.markers.map((m) => m.label)).toEqual(['memorized @ 20', 'generalized @ 20 (no delay)']);
    expect(isGrokkingDelay(100, 140, 10)).toBe(false); // 4 evaluations
    expect(isGrokkingDelay(100, 150, 10)).toBe(true);
    expect(isGrokkingDelay(1000, 1100, 10)).toBe(false); // under a quarter of the memorization step
  });
});
