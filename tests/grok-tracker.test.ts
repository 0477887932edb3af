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
