/**
 * What a training step costs, before Play: the step's work in multiply-add equivalents from
 * the config alone, divided by the speed this backend was measured at (work per ms of a run
 * or of the start-up timing on it). The work model:
 *   - the model's forward and backward on the batch: 3 × its forward multiply-adds;
 *   - evaluation on the whole table every `evalEvery` steps: one forward per row;
 *   - NeuralGrok, every T steps: the gradient again at the updated weights (same batch) and
 *     the outer split's forward and backward; every step, the amplifier: elementwise passes
 *     over the flat gradient (its table of pieces), or the MLP over every component where it
 *     runs component by component (three hidden layers or more).
 * ELEMENTWISE_PER_COMPONENT and NEURALGROK_FIXED are set from bench:neuralgrok and profiles (wasm:
 * NeuralGrok 1.6–2.2× AdamW on the paper model, 1.65–3.4× on the classroom model, 3× for poly5
 * at T = 1): the model predicts about 1.8×, 2.5× and 2.6×. The
 * estimate is meant to be within 2× (tests/step-cost.test.ts checks it against a measurement).
 */
import { amplifierMacsPerComponent } from './amplifier';
import { forwardMacsPerStep, type StepShape } from './backend-choice';
import { modelParameterCount } from './memory';
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

/** Work of NeuralGrok's per-component passes (normalization, softmax, pieces), per component and step. */
const ELEMENTWISE_PER_COMPONENT = 3000;
/** NeuralGrok's fixed cost per step (≈ 250 more kernels and the JavaScript between them), what dominates on a small model. */
const NEURALGROK_FIXED = 20e6;

/** Multiply-add equivalents of one training step of this config, evaluations amortized. */
export function stepWork(c: StepCostConfig): number {
  const forward = forwardMacsPerStep(c);
  const tableRows = taskTableSize(c.task, c.p);
  const batchRows = Math.max(1, Math.min(c.batchSize, Math.floor(tableRows * c.trainFraction)));
  const perRow = forward / batchRows;
  let work = 3 * forward + (tableRows * perRow) / Math.max(1, c.evalEvery);
  if (c.method === 'neuralgrok') {
    const T = Math.max(1, c.ngEvery);
    const outerRows = Math.max(1, Math.floor(tableRows * c.outerFraction));
    const n = modelParameterCount(c);
    work += (3 * forward + 3 * perRow * outerRows) / T;
    work += n * ELEMENTWISE_PER_COMPONENT + NEURALGROK_FIXED;
    // Three or more hidden layers run as the MLP over every component: a forward every step,
    // and a forward plus a backward (≈ 3 passes) at each meta step.
    if (c.ngHidden.length > 2) work += n * amplifierMacsPerComponent(c.ngHidden) * (1 + 3 / T);
  }
  return work;
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
