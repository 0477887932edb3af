/**
 * What a training step costs, before Play: the step's work in multiply-add equivalents from
 * the config alone, divided by the speed this backend was measured at (work per ms of a run
 * or of the start-up timing on it). The work model:
 *   - the model's forward and backward on the batch: 3 × its forward multiply-adds;
 *   - evaluation on the whole table every `evalEvery` steps: one forward per row;
 *   - what the method adds, its catalog entry's `extraStepWork` (src/core/methods.ts): NeuralGrok,
 *     every T steps, the gradient again at the updated weights (same batch) and the outer
 *     split's forward and backward; every step, the amplifier (src/core/method-costs.ts).
 * NeuralGrok's constants (method-costs.ts) are set from bench:neuralgrok and profiles (wasm:
 * NeuralGrok 1.6–2.2× AdamW on the paper model, 1.65–3.4× on the classroom model, 3× for poly5
 * at T = 1): the model predicts about 1.8×, 2.5× and 2.6×. The
 * estimate is meant to be within 2× (tests/step-cost.test.ts checks it against a measurement).
 */
import { forwardMacsPerStep, type StepShape } from './backend-choice';
import { METHODS, type MethodCatalog } from './methods';
import { taskTableSize } from './tasks';

/** The fields of a run config that set a step's work (a RunConfig has them all). */
export interface StepCostConfig extends StepShape {
  heads: number;
  evalEvery: number;
  method: string;
  ngEvery: number;
  outerFraction: number;
  ngHidden: readonly number[];
}

/** Multiply-add equivalents of one training step of this config, evaluations amortized. */
export function stepWork(c: StepCostConfig, catalog: MethodCatalog = METHODS): number {
  const forward = forwardMacsPerStep(c);
  const tableRows = taskTableSize(c.task, c.p);
  const batchRows = Math.max(1, Math.min(c.batchSize, Math.floor(tableRows * c.trainFraction)));
  const perRow = forward / batchRows;
  const work = 3 * forward + (tableRows * perRow) / Math.max(1, c.evalEvery);
  return work + (catalog[c.method]?.extraStepWork?.(c, { forward, perRow, tableRows }) ?? 0);
}

/** Measured speed: work per millisecond from a run's steps per second on its config. */
export function speedFrom(config: StepCostConfig, stepsPerSecond: number): number | null {
  if (!(stepsPerSecond > 0) || !Number.isFinite(stepsPerSecond)) return null;
  return (stepWork(config) * stepsPerSecond) / 1000;
}

export function estimateMsPerStep(config: StepCostConfig, workPerMs: number): number {
  return stepWork(config) / workPerMs;
}

/** Steps above this cost get a line before Play. */
export const EXPENSIVE_MS_PER_STEP = 300;

function duration(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes % 60} min`;
}

/** "≈ 1.1 s per step here: 5 688 steps ≈ 1 h 44 min". */
export function describeCost(msPerStep: number, steps: number): string {
  const per = msPerStep >= 950 ? `${(msPerStep / 1000).toFixed(1)} s` : `${Math.round(msPerStep / 10) * 10} ms`;
  return `≈ ${per} per step here: ${steps.toLocaleString('en-US').replace(/,/g, ' ')} steps ≈ ${duration((msPerStep * steps) / 1000)}`;
}
