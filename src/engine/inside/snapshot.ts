/**
 * One "Inside the model" snapshot at an evaluation step: the answer table of a slice, the
 * Fourier spectrum and clock of the number embeddings, the attention from `=` and (add, sub)
 * the progress measures — one forward pass over the slice's rows (for two-operand tasks the
 * whole table, which also holds every validation and training row) in chunks, two readbacks
 * (the embedding, then one packed float array). No tensor outlives the call.
 */
import * as tf from '@tensorflow/tfjs';
import {
  OPERAND_NAMES,
  SPLIT_TRAIN,
  SPLIT_OUTER,
  SPLIT_VAL,
  fourierApplies,
  type InsideSnapshot,
  type ProgressMeasures,
  type TableSliceSpec,
} from '../../core/inside';
import { TASKS } from '../../core/tasks';
import type { ModelConfig } from '../model';
import type { Dataset, Split } from '../tasks';
import type { TensorMap } from '../tensors';
import { forwardWithAttention } from './attention';
import { embeddingClock, embeddingSpectrum, fourierCoefficients, keyFrequencies } from './fourier';
import { progressLosses, type ProgressChunk } from './progress';
import { operandRanges, sliceGeometry, splitTags } from './table';

/** What a snapshot needs: a Trainer has all four (params, modelConfig, dataset, split). */
export interface InsideInput {
  params: TensorMap;
  modelConfig: ModelConfig;
  dataset: Dataset;
  split: Split;
}

export interface InsideOptions {
  step?: number;
  /** The answer table's slice (default: a down, b across, the rest at their lowest value). */
  slice?: Partial<TableSliceSpec>;
  /** Key frequencies for the progress measures (default: from the current embedding spectrum). */
  keyFrequencies?: readonly number[];
  /** Whether the outer rows count as training rows (every method but NeuralGrok). Default true. */
  outerIsTraining?: boolean;
  /** Validation rows added for the attention average when the slice does not hold them all. */
  attentionMaxRows?: number;
  /** Rows per forward chunk (bounds memory). */
  chunkRows?: number;
}

const DEFAULT_CHUNK_ROWS = 2048;
const DEFAULT_ATTENTION_ROWS = 1024;

/** Positions' labels: operands, operator tokens of variant 0 (`op` where the variant changes it), `=`. */
export function positionLabels(dataset: Dataset): string[] {
  const spec = TASKS[dataset.task];
  const ops = spec.variants[0]!.map((t, j) => (spec.variants.length > 1 ? 'op' : (spec.operatorTokens[t] ?? `op${j + 1}`)));
  return [...OPERAND_NAMES.slice(0, spec.operands.length), ...ops, '='];
}

export async function computeInsideSnapshot(input: InsideInput, options: InsideOptions = {}): Promise<InsideSnapshot> {
  const start = performance.now();
  const { dataset, split, modelConfig: c } = input;
  const { p, seqLen: T } = dataset;
  const d = c.dModel;
  const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS;
  const geo = sliceGeometry(dataset, options.slice);
  const tags = splitTags(split, dataset.size);

  // Rows to run: the slice's cells, then validation rows it lacks (for the attention average).
  const inSlice = new Uint8Array(dataset.size);
  for (const r of geo.cells) inSlice[r] = 1;
  const extra: number[] = [];
  const attentionCap = options.attentionMaxRows ?? DEFAULT_ATTENTION_ROWS;
  for (let i = 0; i < split.val.length && extra.length < attentionCap; i++) if (!inSlice[split.val[i]!]) extra.push(split.val[i]!);
  const rows = new Int32Array(geo.cells.length + extra.length);
  rows.set(geo.cells);
  rows.set(extra, geo.cells.length);
  const n = rows.length;

  // The progress measures need the whole table (add and sub: the slice is the whole table).
  const progressDirection = dataset.task === 'add' ? 'a+b' : dataset.task === 'sub' ? 'a-b' : null;
  const withProgress = progressDirection !== null && geo.cells.length === dataset.size;
  const outerIsTraining = options.outerIsTraining ?? true;

  // Freeze the weights for the whole call (clones share data; a training step in between
  // assigns new data to the variables and leaves these untouched).
  const P = tf.tidy(() => Object.fromEntries(Object.entries(input.params).map(([k, v]) => [k, tf.clone(v)])) as TensorMap);
  try {
    // the MLP's number embeddings: its first layer's rows for the first operand's tokens
    const embedding = tf.tidy(() => tf.slice(c.kind === 'mlp' ? P['mlp.0.w']! : P.tokEmbed!, [0, 0], [p, d]));
    const E = (await embedding.data()) as Float32Array;
    embedding.dispose();
    const coefficients = fourierCoefficients(E, p, d);
    const spectrum = embeddingSpectrum(E, p, d, coefficients);
    const clock = embeddingClock(E, p, d, spectrum.top[0] ?? 1, coefficients);
    const keys = withProgress ? (options.keyFrequencies ? [...options.keyFrequencies] : keyFrequencies(spectrum)) : [];

    const L = c.kind === 'mlp' ? 0 : c.layers; // the MLP has no attention
    const H = c.heads;
    let valRows = 0;
    for (const r of rows) if (tags[r] === SPLIT_VAL) valRows++;
    const packed = tf.tidy(() => {
      const perRow: tf.Tensor[] = [];
      let attentionSum: tf.Tensor = tf.zeros([L * H * T]);
      const progressChunks: ProgressChunk[] = [];
      for (let s = 0; s < n; s += chunkRows) {
        const B = Math.min(chunkRows, n - s);
        const tokens = new Int32Array(B * T);
        const targets = new Int32Array(B);
        const isVal = new Float32Array(B);
        for (let i = 0; i < B; i++) {
          const r = rows[s + i]!;
          tokens.set(dataset.inputs.subarray(r * T, r * T + T), i * T);
          targets[i] = dataset.targets[r]!;
          isVal[i] = tags[r] === SPLIT_VAL ? 1 : 0;
        }
        const { logits, attention } = forwardWithAttention(P, tf.tensor2d(tokens, [B, T], 'int32'), c);
        const target = tf.tensor1d(targets, 'int32');
        const probs = tf.softmax(logits);
        const predicted = tf.argMax(logits, 1);
        perRow.push(
          tf.stack([
            tf.sum(tf.mul(probs, tf.oneHot(target, logits.shape[1])), 1),
            tf.cast(tf.equal(predicted, target), 'float32'),
            tf.cast(predicted, 'float32'),
          ]), // [3, B]
        );
        // Σ over this chunk's validation rows of each layer's [B, h, T] attention from `=`.
        const layers = attention.map((a) => tf.reshape(tf.matMul(tf.tensor2d(isVal, [1, B]), tf.reshape(a, [B, H * T])), [H * T]));
        if (layers.length > 0) attentionSum = tf.add(attentionSum, tf.concat(layers));
        if (withProgress) {
          const diagonal = new Int32Array(B);
          const train = new Float32Array(B);
          for (let i = 0; i < B; i++) {
            const r = rows[s + i]!;
            const a = dataset.inputs[r * T]!;
            const b = dataset.inputs[r * T + 1]!;
            diagonal[i] = (((progressDirection === 'a+b' ? a + b : a - b) % p) + p) % p;
            train[i] = tags[r] === SPLIT_TRAIN || (outerIsTraining && tags[r] === SPLIT_OUTER) ? 1 : 0;
          }
          progressChunks.push({ logits, targets, diagonal, train });
        }
      }
      const parts = [tf.reshape(tf.concat(perRow, 1), [-1]), tf.div(attentionSum, Math.max(valRows, 1))];
      if (withProgress) parts.push(progressLosses(progressChunks, p, keys));
      return tf.concat(parts);
    });
    const data = (await packed.data()) as Float32Array;
    packed.dispose();

    // perRow was concatenated along rows chunk by chunk: [3, B] blocks side by side.
    const probOf = new Float32Array(n);
    const correctOf = new Uint8Array(n);
    const predictedOf = new Uint16Array(n);
    let offset = 0;
    for (let s = 0; s < n; s += chunkRows) {
      const B = Math.min(chunkRows, n - s);
      for (let i = 0; i < B; i++) {
        probOf[s + i] = data[offset + i]!;
        correctOf[s + i] = data[offset + B + i]! > 0.5 ? 1 : 0;
        predictedOf[s + i] = data[offset + 2 * B + i]!;
      }
      offset += 3 * B;
    }
    const attentionWeights = data.slice(offset, offset + L * H * T);
    offset += L * H * T;
    const cells = geo.cells.length;
    const cellSplit = new Uint8Array(cells);
    for (let i = 0; i < cells; i++) cellSplit[i] = tags[geo.cells[i]!]!;

    let progress: ProgressMeasures | null = null;
    if (withProgress) {
      let trainRows = 0;
      for (const r of rows) if (tags[r] === SPLIT_TRAIN || (outerIsTraining && tags[r] === SPLIT_OUTER)) trainRows++;
      progress = {
        keyFrequencies: Uint16Array.from(keys),
        direction: progressDirection!,
        loss: data[offset]!,
        restrictedLoss: data[offset + 1]!,
        excludedLoss: data[offset + 2]!,
        rows: trainRows,
      };
    }
    const { cells: _cells, ...sliceInfo } = geo;
    return {
      step: options.step ?? 0,
      task: dataset.task,
      p,
      fourierApplies: fourierApplies(dataset.task),
      table: {
        ...sliceInfo,
        probCorrect: probOf.slice(0, cells),
        correct: correctOf.slice(0, cells),
        predicted: predictedOf.slice(0, cells),
        split: cellSplit,
      },
      spectrum,
      clock,
      attention: { layers: L, heads: H, positions: T, labels: positionLabels(dataset), weights: attentionWeights, rows: valRows },
      progress,
      millis: performance.now() - start,
    };
  } finally {
    for (const t of Object.values(P)) t.dispose();
  }
}

/** The operand ranges of the task, for the UI's selectors: [lo, hi] inclusive per operand. */
export function operandBounds(dataset: Dataset): [number, number][] {
  return operandRanges(dataset).map((r) => [r.lo, r.lo + r.size - 1]);
}
