/**
 * What a method's state costs in memory, from the config alone, so that a configuration that
 * would not fit is refused at its field with the figure instead of crashing the tab.
 */
import { mlpInputWidth, TASKS, type TaskId } from './tasks';

/**
 * The most a method's own state may take (on top of the model, its gradient and Adam's
 * moments). 384 MB: the paper's largest configuration, GrokFast-MA's window of 100 on the
 * 4-layer a·c + b·d − e model (307 MB), fits; a window of 1 000 (1.6 GB on the paper model)
 * would take a browser tab down and does not.
 */
export const METHOD_STATE_BUDGET_MB = 384;

export interface ModelShape {
  /** Absent: the transformer. */
  model?: 'transformer' | 'mlp';
  task: TaskId;
  p: number;
  layers: number;
  dModel: number;
}

/**
 * The model's parameter count. The transformer's (the engine's parameter table): token embedding and head
 * (vocabulary × d each), positions, and per block 12·d² + 13·d (attention's packed QKV and
 * output, the 4×-wide MLP, two LayerNorms), plus the final LayerNorm.
 */
export function modelParameterCount(c: ModelShape): number {
  const spec = TASKS[c.task];
  const vocab = c.p + spec.operatorTokens.length + 1; // numbers, operators, '='
  const seqLen = spec.operands.length + spec.variants[0]!.length + 1;
  const d = c.dModel;
  // the MLP (src/engine/mlp.ts): operands one-hot → d, (layers − 1) × d → d, d → the p numbers
  if (c.model === 'mlp') return mlpInputWidth(c.task, c.p) * d + (c.layers - 1) * d * d + d * c.p;
  return 2 * vocab * d + seqLen * d + c.layers * (12 * d * d + 13 * d) + 2 * d;
}

/** MB of GrokFast-MA's window: `window` float32 copies of the gradient plus their running sum. */
export function maWindowMegabytes(c: ModelShape & { maWindow: number }): number {
  return ((c.maWindow + 1) * modelParameterCount(c) * 4) / 2 ** 20;
}
