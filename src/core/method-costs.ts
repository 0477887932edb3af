/**
 * The method-specific parts of the cost and memory models, which the method catalog
 * (src/core/methods.ts) attaches to its entries: what a method adds to a step's work
 * (src/core/step-cost.ts), what its own state may cost before a config is refused
 * (src/config/schema.ts), and what to lower when a backend runs out of memory
 * (src/engine/out-of-memory.ts).
 */
import { amplifierMacsPerComponent } from './amplifier';
import { maWindowMegabytes, METHOD_STATE_BUDGET_MB, modelParameterCount, type ModelShape } from './memory';
import type { StepCostConfig } from './step-cost';

/** The model-only parts of a step's work that a method's own work is measured against. */
export interface StepWorkBase {
  /** Multiply-adds of the model's forward on one batch. */
  forward: number;
  /** The same per row. */
  perRow: number;
  /** Rows of the task's whole table. */
  tableRows: number;
}

/** Work of NeuralGrok's per-component passes (normalization, softmax, pieces), per component and step. */
const ELEMENTWISE_PER_COMPONENT = 3000;
/** NeuralGrok's fixed cost per step (≈ 250 more kernels and the JavaScript between them), what dominates on a small model. */
const NEURALGROK_FIXED = 20e6;

/**
 * NeuralGrok, every T steps: the gradient again at the updated weights (same batch) and the
 * outer split's forward and backward; every step, the amplifier: elementwise passes over the
 * flat gradient (its table of pieces), or the MLP over every component where it runs
 * component by component (three hidden layers or more). The constants are fitted to
 * bench:neuralgrok (see the header of step-cost.ts).
 */
export function neuralGrokStepWork(c: StepCostConfig, base: StepWorkBase): number {
  const T = Math.max(1, c.ngEvery);
  const outerRows = Math.max(1, Math.floor(base.tableRows * c.outerFraction));
  const n = modelParameterCount(c);
  let work = (3 * base.forward + 3 * base.perRow * outerRows) / T;
  work += n * ELEMENTWISE_PER_COMPONENT + NEURALGROK_FIXED;
  // Three or more hidden layers run as the MLP over every component: a forward every step,
  // and a forward plus a backward (≈ 3 passes) at each meta step.
  if (c.ngHidden.length > 2) work += n * amplifierMacsPerComponent(c.ngHidden) * (1 + 3 / T);
  return work;
}

/** GrokFast-MA's window against the method-state budget: the issue to report at `maWindow`, or null. */
export function maWindowIssue(c: ModelShape & { maWindow: number }): { field: string; message: string } | null {
  const mb = maWindowMegabytes(c);
  if (mb <= METHOD_STATE_BUDGET_MB) return null;
  return {
    field: 'maWindow',
    message: `a window of ${c.maWindow} gradients of this model needs ${Math.round(mb)} MB; the limit is ${METHOD_STATE_BUDGET_MB} MB (use a window of at most ${Math.floor((METHOD_STATE_BUDGET_MB * 2 ** 20) / (4 * modelParameterCount(c))) - 1})`,
  };
}

/** What NeuralGrok's amplifier needs, for an out-of-memory message: the setting to lower first. */
export function amplifierMemoryHint(c: { ngHidden: readonly number[] }, parameterCount: number): string {
  const widest = Math.max(1, ...c.ngHidden);
  return `NeuralGrok's amplifier (widths ${c.ngHidden.join(',')}) needs ${((parameterCount * widest * 4) / 2 ** 20).toFixed(0)} MB per activation over all ${parameterCount} components (computed in chunks of at most 64 MB): lower "Amplifier widths" (--ng-hidden) first.`;
}
