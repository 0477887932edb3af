/**
 * "Inside the model": what the engine computes at an evaluation step and the page draws —
 * plain objects of compact typed arrays (no tensors, no tfjs), so a snapshot crosses the
 * worker boundary with postMessage and can be stored in a run file as it is.
 *
 * Computed by src/engine/inside/ (computeInsideSnapshot, tryIt); drawn by src/ui/inside/.
 * The rules and definitions are documented in docs/inside.md.
 */

/** Split tags of a table row (AnswerTable.split, TryItResult.split). */
export const SPLIT_TRAIN = 0;
export const SPLIT_VAL = 1;
/** NeuralGrok's outer (meta) split; every other method trains on it too. */
export const SPLIT_OUTER = 2;
export const SPLIT_NAMES = ['train', 'val', 'outer'] as const;
export type SplitName = (typeof SPLIT_NAMES)[number];

/**
 * How many of the strongest frequencies the sparsity scalar counts (and the most the
 * progress measures take as key frequencies). Nanda et al. find 5 key frequencies for p = 113.
 */
export const SPARSITY_TOP = 5;

/** Operand names in sequence order (poly5 uses all five). */
export const OPERAND_NAMES = ['a', 'b', 'c', 'd', 'e'] as const;

/** Which 2-D slice of the task table the answer table shows. */
export interface TableSliceSpec {
  /** Operand (index in sequence order) that runs down the rows. */
  rowOperand: number;
  /** Operand that runs across the columns. */
  colOperand: number;
  /** Value of every operand; those on the two axes are ignored. */
  fixed: number[];
  /** Row variant: the operator of `mix` (0 +, 1 −, 2 ·); 0 for every other task. */
  variant: number;
}

/** The answer table of one slice: rows × cols cells, row-major. */
export interface AnswerTable extends TableSliceSpec {
  /** Value of the row operand in row 0 (0, or 1 for an operand that runs over 1…p−1). */
  rowStart: number;
  rows: number;
  colStart: number;
  cols: number;
  /** Model's probability of the right answer. */
  probCorrect: Float32Array;
  /** 1 where the model's arg-max is the right answer. */
  correct: Uint8Array;
  /** The model's arg-max token. */
  predicted: Uint16Array;
  /** SPLIT_TRAIN, SPLIT_VAL or SPLIT_OUTER. */
  split: Uint8Array;
}

/**
 * Fourier spectrum of the number-token embeddings E = tokEmbed[0…p−1] (a p × d matrix): for
 * k = 1…(p−1)/2, norms[k−1] = ‖P_k E‖_F, the norm of E projected (along the number axis) on
 * the plane spanned by cos(2πkx/p) and sin(2πkx/p).
 */
export interface FourierSpectrum {
  norms: Float32Array;
  /** The SPARSITY_TOP strongest frequencies (k, not k−1), strongest first. */
  top: Uint16Array;
  /** Share of the non-constant energy Σ_k ‖P_k E‖² held by the `top` frequencies (0…1). */
  sparsity: number;
  /** Norm of the constant component (the mean embedding, times √p). */
  constantNorm: number;
}

/** The numbers 0…p−1 projected on the cos/sin plane of one frequency. */
export interface EmbeddingClock {
  frequency: number;
  /** Point i is number i. */
  x: Float32Array;
  y: Float32Array;
  /** Standard deviation of the points' distances from the origin over their mean (0 = a perfect circle). */
  radiusSpread: number;
}

/** Attention from the last (`=`) position, averaged over validation rows. */
export interface AttentionAtEquals {
  layers: number;
  heads: number;
  /** Sequence length; the last position is `=`. */
  positions: number;
  /** What sits at each position: 'a', 'b', …, operator symbols, '='. */
  labels: string[];
  /** [layer][head][position], each (layer, head) row sums to 1. */
  weights: Float32Array;
  /** Validation rows averaged. */
  rows: number;
}

/**
 * Nanda et al.'s progress measures for add and sub, on the training rows: the loss of the
 * logits keeping only the key frequencies' components along a±b (restricted) and with those
 * components removed (excluded). See src/engine/inside/progress.ts.
 */
export interface ProgressMeasures {
  keyFrequencies: Uint16Array;
  /** The direction the logits are projected along: a+b for add, a−b for sub. */
  direction: 'a+b' | 'a-b';
  /** Loss of the unmodified logits on the same rows. */
  loss: number;
  restrictedLoss: number;
  excludedLoss: number;
  rows: number;
}

export interface InsideSnapshot {
  step: number;
  task: string;
  p: number;
  /** Whether the Fourier picture (spectrum, clock, progress measures) describes this task. */
  fourierApplies: boolean;
  table: AnswerTable;
  spectrum: FourierSpectrum;
  clock: EmbeddingClock;
  attention: AttentionAtEquals;
  /** add and sub only; null otherwise. */
  progress: ProgressMeasures | null;
  /** Wall-clock milliseconds the snapshot took (readback included). */
  millis: number;
}

/** A row to try: one value per operand in sequence order, and the variant (mix's operator). */
export interface TryItQuery {
  operands: number[];
  variant?: number;
}

export interface TryItResult {
  operands: number[];
  variant: number;
  /** The model's arg-max token and its label ('17', '=', '+'…). */
  answer: number;
  answerLabel: string;
  /** The three most probable tokens, most probable first. */
  top: { token: number; label: string; prob: number }[];
  trueAnswer: number;
  correct: boolean;
  split: SplitName;
}

/** Where the Fourier picture applies. mul/div are cyclic only after a discrete logarithm. */
export function fourierApplies(task: string): boolean {
  return task === 'add' || task === 'sub';
}

/** Label of a token: numbers, '=', then the task's operator symbols. */
export function tokenLabel(token: number, p: number, operatorTokens: readonly string[]): string {
  if (token < p) return String(token);
  if (token === p) return '=';
  return operatorTokens[token - p - 1] ?? `#${token}`;
}

/**
 * Least time between two snapshots while training: the page redraws the views at most this
 * often (each redraw of the answer table, clock and curves is page work on the main thread).
 */
export const INSIDE_MIN_INTERVAL_MS = 1500;

/** Share of training time the snapshots may take (issue 9: at most ~10 %). */
export const INSIDE_BUDGET = 0.1;

/**
 * Whether a snapshot is due at this evaluation step: when the training time since the last
 * snapshot is at least the last snapshot's cost over the budget. On the classroom preset a
 * snapshot costs less than a tenth of 10 steps, so every evaluation gets one; on a large model
 * at a short evaluation interval, every k-th does, and the cost stays within the budget.
 */
export function insideDue(lastSnapshotMillis: number | null, trainingMillisSinceLast: number, budget = INSIDE_BUDGET): boolean {
  return lastSnapshotMillis === null || trainingMillisSinceLast * budget >= lastSnapshotMillis;
}

/** The snapshot's typed-array buffers, to transfer (not copy) it with postMessage. */
export function insideTransferables(s: InsideSnapshot): ArrayBuffer[] {
  const arrays = [
    s.table.probCorrect,
    s.table.correct,
    s.table.predicted,
    s.table.split,
    s.spectrum.norms,
    s.spectrum.top,
    s.clock.x,
    s.clock.y,
    s.attention.weights,
  ];
  if (s.progress) arrays.push(s.progress.keyFrequencies);
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}

/** The per-evaluation scalars of the snapshots, as columns (NaN where not measured): a run's record, kept with it. */
export interface InsideHistory {
  step: number[];
  sparsity: number[];
  restrictedLoss: number[];
  excludedLoss: number[];
  /** Loss of the unmodified logits on the same rows. */
  loss: number[];
}
