/** Tracks when a run groks: the first evaluated step with val accuracy ≥ 0.95 and ≥ 0.99. */
import type { StepRecord } from './metrics';
import { median } from './stats.ts';

export const GROK_THRESHOLD = 0.95;
export const STRICT_GROK_THRESHOLD = 0.99;

export class GrokTracker {
  stepsTo95: number | null = null;
  stepsTo99: number | null = null;
  /** First step of the current unbroken stretch of evaluations with val ≥ 0.99. */
  private heldSince: number | null = null;
  lastEvalStep: number | null = null;
  private readonly evalSteps: number[] = [];
  private readonly evalVal: number[] = [];

  observe(r: StepRecord): void {
    if (r.valAcc === undefined) return;
    this.lastEvalStep = r.step;
    this.evalSteps.push(r.step);
    this.evalVal.push(r.valAcc);
    if (r.valAcc >= GROK_THRESHOLD && this.stepsTo95 === null) this.stepsTo95 = r.step;
    if (r.valAcc >= STRICT_GROK_THRESHOLD) {
      if (this.stepsTo99 === null) this.stepsTo99 = r.step;
      if (this.heldSince === null) this.heldSince = r.step;
    } else {
      this.heldSince = null;
    }
  }

  /** Steps for which val ≥ 0.99 has held without a break (0 if it does not hold now). */
  heldFor(): number {
    return this.heldSince === null || this.lastEvalStep === null ? 0 : this.lastEvalStep - this.heldSince;
  }

  /**
   * Grokked for good, robust to slingshot spikes: the median validation accuracy over the
   * evaluations of the last `patience` steps is ≥ 0.99 (and the run has been evaluated for that
   * long). A spike drops val to near chance for a few evaluations and recovers; an unbroken
   * hold (`heldFor`) never comes in a run that spikes every few dozen steps, the median does.
   */
  grokkedStably(patience: number): boolean {
    const last = this.lastEvalStep;
    if (last === null || this.stepsTo99 === null) return false;
    const from = last - patience;
    if (this.evalSteps[0]! > from) return false; // not observed for `patience` steps yet
    const window: number[] = [];
    for (let i = this.evalSteps.length - 1; i >= 0 && this.evalSteps[i]! >= from; i--) window.push(this.evalVal[i]!);
    return median(window) >= STRICT_GROK_THRESHOLD;
  }
}

/** A tracker that has seen a series' evaluations (a run read from a file, restored, or rewound). */
export function trackerOf(evals: { step: readonly number[]; valAcc: readonly number[] }): GrokTracker {
  const tracker = new GrokTracker();
  evals.step.forEach((step, i) => tracker.observe({ step, valAcc: evals.valAcc[i] }));
  return tracker;
}
