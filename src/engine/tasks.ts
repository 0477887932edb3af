/**
 * The modular-arithmetic tables the engine trains on: complete tables of a task from the
 * catalog (src/core/tasks.ts, which documents the token layout) and seeded splits.
 */
import { MAX_TABLE_SIZE, TASKS, taskTableSize, type TaskId } from '../core/tasks';
import { Rng, permutation } from './rng';

export interface Dataset {
  task: TaskId;
  p: number;
  /** Row-major [size, seqLen] token ids. */
  inputs: Int32Array;
  targets: Int32Array;
  size: number;
  seqLen: number;
  vocabSize: number;
  equalsToken: number;
}

export function buildDataset(task: TaskId, p: number): Dataset {
  const spec = TASKS[task];
  const size = taskTableSize(task, p);
  if (size > MAX_TABLE_SIZE) throw new Error(`table of ${task} mod ${p} has ${size} rows (limit ${MAX_TABLE_SIZE})`);
  const arity = spec.operands.length;
  const opCount = spec.variants[0]!.length;
  const seqLen = arity + opCount + 1;
  const inputs = new Int32Array(size * seqLen);
  const targets = new Int32Array(size);
  const equalsToken = p;
  const x = new Array<number>(arity).fill(0);
  let row = 0;
  for (let op = 0; op < spec.variants.length; op++) {
    const opTokens = spec.variants[op]!;
    // Odometer over the operand ranges, last operand fastest.
    const lo = spec.operands.map((r) => (r === 'all' ? 0 : 1));
    for (let i = 0; i < arity; i++) x[i] = lo[i]!;
    for (;;) {
      const base = row * seqLen;
      for (let i = 0; i < arity; i++) inputs[base + i] = x[i]!;
      for (let j = 0; j < opCount; j++) inputs[base + arity + j] = p + 1 + opTokens[j]!;
      inputs[base + seqLen - 1] = equalsToken;
      targets[row] = spec.result(x, p, op);
      row++;
      let k = arity - 1;
      while (k >= 0 && ++x[k]! === p) {
        x[k] = lo[k]!;
        k--;
      }
      if (k < 0) break;
    }
  }
  return { task, p, inputs, targets, size, seqLen, vocabSize: p + 1 + spec.operatorTokens.length, equalsToken };
}

export interface Split {
  /** Row indices into the dataset. `train` excludes `outer`. */
  train: Int32Array;
  outer: Int32Array;
  val: Int32Array;
}

/**
 * Seeded split of the table: `trainFraction` for training, the rest validation; when
 * `outerFraction` > 0 an outer split of that fraction *of the whole table* is taken out of
 * the training part (NeuralGrok: 1% → 49% inner train).
 */
export function splitDataset(size: number, seed: number, trainFraction: number, outerFraction = 0): Split {
  const order = permutation(size, new Rng(seed, 'split'));
  const nTrain = Math.min(size - 1, Math.max(1, Math.round(trainFraction * size)));
  const nOuter = outerFraction > 0 ? Math.min(nTrain - 1, Math.max(1, Math.round(outerFraction * size))) : 0;
  return {
    outer: order.slice(0, nOuter),
    train: order.slice(nOuter, nTrain),
    val: order.slice(nTrain),
  };
}
