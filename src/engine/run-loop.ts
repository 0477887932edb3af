/**
 * The one run loop, shared by the worker (worker/run-controller.ts) and the headless runner
 * (runner.ts): a run's chunks end at its next evaluation and at its step budget (one readback
 * each), its evaluations feed its grokking tracker, and its stop rule is checked here and
 * nowhere else. The hosts only choose how many steps a chunk may take (the worker: about
 * 100 ms; the CLI: up to its next checkpoint) and what to do between chunks.
 */
import { GrokTracker, trackerOf } from '../core/grokking';
import { isEvaluation, type StepRecord } from '../core/metrics';
import { stopsAt, type StopRule } from '../core/stop-rule';
import type { StepsResult, Trainer } from './trainer';

export interface ChunkResult extends StepsResult {
  /** The evaluation step at which the run's stop rule fired in this chunk, or null (always in a diverged chunk); the run stops at the chunk's end. */
  stoppedAt: number | null;
}

export class RunLoop {
  tracker = new GrokTracker();
  /** The run's evaluations so far (step, val accuracy): what a threshold rule and a rewind need. */
  private readonly evalSteps: number[] = [];
  private readonly evalVal: number[] = [];

  constructor(
    public trainer: Trainer,
    /** The run's stop rule; may change between chunks (the page's "pause when grokked" box). */
    public stopWhen: StopRule | null = null,
  ) {}

  /** The step budget is spent. */
  get finished(): boolean {
    return this.trainer.stepCount >= this.trainer.currentConfig.steps;
  }

  /** Steps of the next chunk: to the next evaluation and within the budget, at most `limit`. */
  nextChunk(limit = Infinity): number {
    const { evalEvery, steps } = this.trainer.currentConfig;
    const t = this.trainer.stepCount;
    return Math.max(0, Math.min(evalEvery - (t % evalEvery), steps - t, limit));
  }

  /** An evaluation the run had before this loop (a resumed run's series), as if seen live. */
  replay(r: StepRecord): void {
    if (!isEvaluation(r)) return;
    this.tracker.observe(r);
    this.evalSteps.push(r.step);
    this.evalVal.push(r.valAcc!);
  }

  /** Runs `n` steps (one readback); their evaluations are tracked and checked against the stop rule. */
  async advance(n: number): Promise<ChunkResult> {
    const result = await this.trainer.runSteps(n);
    let stoppedAt: number | null = null;
    for (const r of result.records) {
      if (!isEvaluation(r)) continue;
      this.tracker.observe(r);
      if (stoppedAt === null && stopsAt(this.stopWhen, r, this.evalVal, this.tracker)) stoppedAt = r.step;
      this.evalSteps.push(r.step);
      this.evalVal.push(r.valAcc!);
    }
    return { ...result, stoppedAt: result.divergedAt === null ? stoppedAt : null };
  }

  /** Continues on another trainer restored to `step` (a checkpoint): the evaluations after it will come again. */
  rewind(trainer: Trainer, step: number): void {
    this.trainer = trainer;
    let n = this.evalSteps.length;
    while (n > 0 && this.evalSteps[n - 1]! > step) n--;
    this.evalSteps.length = n;
    this.evalVal.length = n;
    this.tracker = trackerOf({ step: this.evalSteps, valAcc: this.evalVal });
  }
}
