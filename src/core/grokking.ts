/** Tracks when a run groks: the first evaluated step with val accuracy ≥ 0.95 and ≥ 0.99. */
import type { StepRecord } from './metrics';

export const GROK_THRESHOLD = 0.95;
export const STRICT_GROK_THRESHOLD = 0.99;

export class GrokTracker {
  stepsTo95: number | null = null;
  stepsTo99: number | null = null;
  /** First step of the current unbroken stretch of evaluations with val ≥ 0.99. */
  private heldSince: number | null = null;
  lastEvalStep: number | null = null;

  observe(r: StepRecord): void {
    if (r.valAcc === undefined) return;
    this.lastEvalStep = r.step;
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
}
