/**
 * A run's stop rule: when it stops by itself before its step budget. It is a field of the run,
 * sent to the worker with the run and checked in one place, the engine's run loop
 * (engine/run-loop.ts), which the worker and the CLI share: the classroom's "pause when
 * grokked", a paper cell's seeds and the CLI's `--stop-at` are the same rule.
 */
import { GROK_THRESHOLD, type GrokTracker } from './grokking';
import type { StepRecord } from './metrics';

/** The run stops at the first evaluation where either part holds. */
export interface StopRule {
  /** The run's first evaluation with validation accuracy ≥ this (the CLI's `--stop-at`). */
  valAccuracy?: number;
  /**
   * Val ≥ 0.99 has held for this many steps (the median over their evaluations;
   * GrokTracker.grokkedStably) — the CLI's `--stop-when-grokked --stop-patience N`.
   */
  stableFor?: number;
}

/** Generalized: the first evaluation with val ≥ 0.95 (what the page's "pause when grokked" and a cell's seeds stop at). */
export const STOP_WHEN_GROKKED: StopRule = { valAccuracy: GROK_THRESHOLD };

/**
 * Whether an evaluation history already met a threshold rule: such a rule never fires again in
 * that run (Play after the pause goes on, a restored run that had grokked is not paused again).
 */
export function thresholdReached(rule: StopRule | null, valAcc: readonly number[]): boolean {
  const threshold = rule?.valAccuracy;
  return threshold !== undefined && valAcc.some((v) => v >= threshold);
}

/**
 * Whether the run stops at evaluation `r`: a threshold rule at the run's first evaluation at or
 * above it (`earlier`: the val accuracies of the evaluations before `r`), so it fires once per
 * run whenever the rule was set; `stableFor` asks the run's tracker, which has seen `r`.
 */
export function stopsAt(
  rule: StopRule | null,
  r: StepRecord,
  earlier: readonly number[],
  tracker: Pick<GrokTracker, 'grokkedStably'>,
): boolean {
  if (rule === null || r.valAcc === undefined) return false;
  if (rule.stableFor !== undefined && tracker.grokkedStably(rule.stableFor)) return true;
  return rule.valAccuracy !== undefined && r.valAcc >= rule.valAccuracy && !thresholdReached(rule, earlier);
}
