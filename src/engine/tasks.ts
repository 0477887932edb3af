/**
 * The modular-arithmetic tasks: complete tables and seeded splits.
 *
 * Token layout (the NeuralGrok reference's): operands first, then the operator tokens, then
 * `=`; the model predicts the result at the `=` position. Tokens 0..p-1 are numbers, p is `=`,
 * p+1.. are the task's operator tokens in the order of its `operatorTokens` list. Most tasks
 * have one operator token (`a b op =`); a²−b has one per operation (`a b op1 op2 =`),
 * a·c+b·d−e three (`a b c d e op1 op2 op3 =`), and `mix` one of three per row.
 */
import type { TaskId } from '../config/fields';
import { mod, modInverse } from './modular';
import { Rng, permutation } from './rng';

/** Largest table we build (memory and time bound; poly5 grows as p⁵). */
export const MAX_TABLE_SIZE = 300_000;

interface TaskSpec {
  /** Operand ranges, in sequence order: 'all' = 0..p-1, 'nonzero' = 1..p-1. */
  operands: readonly ('all' | 'nonzero')[];
  /** The task's distinct operator tokens (token p+1+i is operatorTokens[i]). */
  operatorTokens: readonly string[];
  /**
   * Each row variant's operator-token sequence (indices into operatorTokens). More than one
   * variant makes a multitask table told apart by its operator token (`mix`).
   */
  variants: readonly (readonly number[])[];
  result: (x: readonly number[], p: number, variant: number) => number;
}

const TWO = ['all', 'nonzero'] as const;

export const TASKS: Record<TaskId, TaskSpec> = {
  add: { operands: TWO, operatorTokens: ['+'], variants: [[0]], result: ([a, b], p) => mod(a! + b!, p) },
  sub: { operands: TWO, operatorTokens: ['-'], variants: [[0]], result: ([a, b], p) => mod(a! - b!, p) },
  mul: { operands: TWO, operatorTokens: ['*'], variants: [[0]], result: ([a, b], p) => mod(a! * b!, p) },
  div: { operands: TWO, operatorTokens: ['/'], variants: [[0]], result: ([a, b], p) => mod(a! * modInverse(b!, p), p) },
  // a²−b: one token per operation, `a b ² − =`, as the NeuralGrok reference writes it.
  sq_sub: { operands: TWO, operatorTokens: ['²', '-'], variants: [[0, 1]], result: ([a, b], p) => mod(a! * a! - b!, p) },
  sq_add: { operands: TWO, operatorTokens: ['a²+b²'], variants: [[0]], result: ([a, b], p) => mod(a! * a! + b! * b!, p) },
  cube_add: { operands: TWO, operatorTokens: ['a³+b³'], variants: [[0]], result: ([a, b], p) => mod(a! * a! * a! + b! * b! * b!, p) },
  // Sequence order a, b, c, d, e, then `· + −`; c and d run over 1..p-1 as in the reference.
  poly5: {
    operands: ['all', 'all', 'nonzero', 'nonzero', 'all'],
    operatorTokens: ['*', '+', '-'],
    variants: [[0, 1, 2]],
    result: ([a, b, c, d, e], p) => mod(a! * c! + b! * d! - e!, p),
  },
  mix: {
    operands: TWO,
    operatorTokens: ['+', '-', '*'],
    variants: [[0], [1], [2]],
    result: ([a, b], p, op) => mod(op === 0 ? a! + b! : op === 1 ? a! - b! : a! * b!, p),
  },
};

export function isPrime(n: number): boolean {
  if (!Number.isInteger(n) || n < 2) return false;
  for (let i = 2; i * i <= n; i++) if (n % i === 0) return false;
  return true;
}

export function taskTableSize(task: TaskId, p: number): number {
  const spec = TASKS[task];
  return spec.variants.length * spec.operands.reduce((n, r) => n * (r === 'all' ? p : p - 1), 1);
}

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
