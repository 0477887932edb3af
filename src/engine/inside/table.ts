/**
 * Where a row of the task table sits: its index from its operands (buildDataset's odometer:
 * variants outermost, then operands in sequence order, the last fastest), its split, and the
 * rows of a 2-D slice.
 */
import { SPLIT_OUTER, SPLIT_TRAIN, SPLIT_VAL, type TableSliceSpec } from '../../core/inside';
import { operandRangesOf, TASKS, type OperandRange } from '../../core/tasks';
import type { Dataset, Split } from '../tasks';

export type { OperandRange };

export function operandRanges(dataset: Dataset): OperandRange[] {
  return operandRangesOf(dataset.task, dataset.p);
}

export function variantCount(dataset: Dataset): number {
  return TASKS[dataset.task].variants.length;
}

/** Throws a RangeError naming the operand when a value or the variant is out of range. */
export function validateOperands(dataset: Dataset, operands: readonly number[], variant: number): void {
  const ranges = operandRanges(dataset);
  if (operands.length !== ranges.length) throw new RangeError(`${dataset.task} takes ${ranges.length} operands, got ${operands.length}`);
  operands.forEach((v, i) => {
    const r = ranges[i]!;
    if (!Number.isInteger(v) || v < r.lo || v >= r.lo + r.size)
      throw new RangeError(`operand ${i + 1} must be an integer in ${r.lo}…${r.lo + r.size - 1}, got ${v}`);
  });
  const n = variantCount(dataset);
  if (!Number.isInteger(variant) || variant < 0 || variant >= n) throw new RangeError(`variant must be in 0…${n - 1}, got ${variant}`);
}

/** Dataset row of the given operands and variant (validated by the caller). */
export function rowIndex(dataset: Dataset, operands: readonly number[], variant: number): number {
  const ranges = operandRanges(dataset);
  let row = 0;
  for (let i = 0; i < ranges.length; i++) row = row * ranges[i]!.size + (operands[i]! - ranges[i]!.lo);
  const perVariant = ranges.reduce((n, r) => n * r.size, 1);
  return variant * perVariant + row;
}

const tagCache = new WeakMap<Split, Uint8Array>();

/** Split tag of every dataset row (cached per split object). */
export function splitTags(split: Split, size: number): Uint8Array {
  let tags = tagCache.get(split);
  if (!tags || tags.length !== size) {
    tags = new Uint8Array(size).fill(SPLIT_VAL);
    for (const r of split.train) tags[r] = SPLIT_TRAIN;
    for (const r of split.outer) tags[r] = SPLIT_OUTER;
    tagCache.set(split, tags);
  }
  return tags;
}

export interface SliceGeometry extends TableSliceSpec {
  rowStart: number;
  rows: number;
  colStart: number;
  cols: number;
  /** Dataset row of each cell, row-major. */
  cells: Int32Array;
}

/** The default slice: a down, b across, other operands at their lowest value, variant 0. */
export function defaultSlice(dataset: Dataset): TableSliceSpec {
  return { rowOperand: 0, colOperand: 1, fixed: operandRanges(dataset).map((r) => r.lo), variant: 0 };
}

export function sliceGeometry(dataset: Dataset, spec: Partial<TableSliceSpec> = {}): SliceGeometry {
  const ranges = operandRanges(dataset);
  const s = { ...defaultSlice(dataset), ...spec };
  const fixed = ranges.map((r, i) => s.fixed[i] ?? r.lo);
  if (s.rowOperand === s.colOperand || !ranges[s.rowOperand] || !ranges[s.colOperand]) {
    throw new RangeError(`slice axes must be two different operands in 0…${ranges.length - 1}`);
  }
  validateOperands(dataset, fixed, s.variant);
  const rowR = ranges[s.rowOperand]!;
  const colR = ranges[s.colOperand]!;
  const cells = new Int32Array(rowR.size * colR.size);
  const x = fixed.slice();
  for (let i = 0; i < rowR.size; i++) {
    x[s.rowOperand] = rowR.lo + i;
    for (let j = 0; j < colR.size; j++) {
      x[s.colOperand] = colR.lo + j;
      cells[i * colR.size + j] = rowIndex(dataset, x, s.variant);
    }
  }
  return {
    rowOperand: s.rowOperand,
    colOperand: s.colOperand,
    fixed,
    variant: s.variant,
    rowStart: rowR.lo,
    rows: rowR.size,
    colStart: colR.lo,
    cols: colR.size,
    cells,
  };
}
