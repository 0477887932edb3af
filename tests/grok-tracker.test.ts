import { describe, expect, it } from 'vitest';
import { GrokTracker } from '../src/core/grokking';

describe('GrokTracker', () => {
  it('records the first evaluation at val ≥ 0.95 and ≥ 0.99, and how long ≥ 0.99 has held', () => {
    const t = new GrokTracker();
    t.observe({ step: 5, trainLoss: 1 }); // not an evaluation: ignored
    t.observe({ step: 10, valAcc: 0.949 });
    expect(t.stepsTo95).toBeNull();
    t.observe({ step: 20, valAcc: 0.95 });
    t.observe({ step: 30, valAcc: 0.99 });
    t.observe({ step: 40, valAcc: 0.995 });
    expect([t.stepsTo95, t.stepsTo99, t.heldFor()]).toEqual([20, 30, 10]);
    t.observe({ step: 50, valAcc: 0.5 }); // a slingshot dip breaks the hold, not the first-reached steps
    expect([t.stepsTo95, t.stepsTo99, t.heldFor()]).toEqual([20, 30, 0]);
    t.observe({ step: 60, valAcc: 1 });
    t.observe({ step: 90, valAcc: 1 });
    expect(t.heldFor()).toBe(30);
  });
});

describe('GrokTracker.grokkedStably (the --stop-when-grokked rule)', () => {
  it('stops through slingshot spikes once the median over the window is ≥ 0.99, not before the window is full', () => {
    const t = new GrokTracker();
    // grokked at 100, then a spike to chance every 50 steps (as the classroom run does)
    for (let step = 10; step <= 600; step += 10) {
      const val = step < 100 ? 0.1 : step % 50 === 0 ? 0.05 : 1;
      t.observe({ step, valAcc: val });
      if (step === 150) expect(t.grokkedStably(200)).toBe(false); // not observed for 200 steps yet
      if (step === 200) expect(t.grokkedStably(200)).toBe(false); // half the window is before grokking
    }
    expect(t.heldFor()).toBeLessThan(200); // the old unbroken-hold rule would never stop
    expect(t.grokkedStably(200)).toBe(true);
  });

  it('does not stop while val keeps falling back for long stretches', () => {
    const t = new GrokTracker();
    for (let step = 10; step <= 1000; step += 10) t.observe({ step, valAcc: step % 30 === 0 ? 1 : 0.5 }); // right at one evaluation in three
    expect(t.grokkedStably(200)).toBe(false);
  });
});
