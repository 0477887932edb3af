/**
 * The task catalog (pure data and exact arithmetic, no tfjs): which tasks exist, their
 * operands, operator tokens and results. Config validation and the engine's tables both use it.
 *
 * Token layout (the NeuralGrok reference's): operands first, then the operator tokens, then
 * `=`; the model predicts the result at the `=` position. Tokens 0..p-1 are numbers, p is `=`,
 * p+1.. are the task's operator tokens in the order of its `operatorTokens` list. Most tasks
 * have one operator token (`a b op =`); a²−b has one per operation (`a b op1 op2 =`),
 * a·c+b·d−e three (`a b c d e op1 op2 op3 =`), and `mix` one of three per row.
 */
import { mod, modInverse } from './modular';

export const TASK_IDS = ['add', 'sub', 'mul', 'div', 'sq_sub', 'sq_add', 'cube_add', 'poly5', 'mix'] as const;
export type TaskId = (typeof TASK_IDS)[number];

/** Largest table we build (memory and time bound; poly5 grows as p⁵). */
export const MAX_TABLE_SIZE = 300_000;

export interface TaskSpec {
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

/** The values an operand takes, mod p: 0 … p−1 ('all'), or 1 … p−1 ('nonzero': a divisor). */
export interface OperandRange {
  lo: number;
  size: number;
}

/** Each operand's range for this task (the one place the rule lives). */
export function operandRangesOf(task: TaskId, p: number): OperandRange[] {
  return TASKS[task].operands.map((r) => (r === 'all' ? { lo: 0, size: p } : { lo: 1, size: p - 1 }));
}

export function taskTableSize(task: TaskId, p: number): number {
  return TASKS[task].variants.length * operandRangesOf(task, p).reduce((n, r) => n * r.size, 1);
}

/** One block of the MLP model's input: the token at `position`, one-hot over the `count` ids from `first`. */
export interface MlpInputBlock {
  position: number;
  first: number;
  count: number;
}

/**
 * The MLP model's input layout (src/engine/mlp.ts): each operand one-hot over the p numbers,
 * as Prieto et al.'s one-hot(a) ⊕ one-hot(b); the operator positions only where they vary
 * (`mix`), one-hot over the task's operator tokens; `=` never (it is the same in every row).
 */
export function mlpInputBlocks(task: TaskId, p: number): MlpInputBlock[] {
  const spec = TASKS[task];
  const blocks: MlpInputBlock[] = spec.operands.map((_, i) => ({ position: i, first: 0, count: p }));
  if (spec.variants.length > 1)
    spec.variants[0]!.forEach((_, j) =>
      blocks.push({ position: spec.operands.length + j, first: p + 1, count: spec.operatorTokens.length }),
    );
  return blocks;
}

/** Inputs of the MLP model's first layer (the blocks' one-hot widths summed). */
export const mlpInputWidth = (task: TaskId, p: number): number => mlpInputBlocks(task, p).reduce((n, b) => n + b.count, 0);
