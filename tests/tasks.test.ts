import { describe, expect, it } from 'vitest';
import { buildDataset, splitDataset } from '../src/engine/tasks';
import { taskTableSize, TASKS, isPrime } from '../src/core/tasks';
import { TASK_IDS } from '../src/config/fields';
import { modInverse } from '../src/core/modular';

function row(ds: ReturnType<typeof buildDataset>, i: number) {
  return { tokens: Array.from(ds.inputs.subarray(i * ds.seqLen, (i + 1) * ds.seqLen)), target: ds.targets[i] };
}

/** Finds the row whose operands (and operator index) match. */
function find(ds: ReturnType<typeof buildDataset>, operands: number[], op = 0) {
  for (let i = 0; i < ds.size; i++) {
    const r = row(ds, i);
    if (operands.every((x, j) => r.tokens[j] === x) && r.tokens[operands.length] === ds.p + 1 + op) return r;
  }
  throw new Error('row not found');
}

describe('task tables', () => {
  it('has the complete table size for every task (second operand 1..p-1)', () => {
    expect(taskTableSize('add', 97)).toBe(97 * 96);
    expect(taskTableSize('poly5', 7)).toBe(7 * 7 * 6 * 6 * 7);
    expect(taskTableSize('mix', 5)).toBe(3 * 5 * 4);
    for (const t of TASK_IDS) {
      const ds = buildDataset(t, 7);
      expect(ds.size).toBe(taskTableSize(t, 7));
      expect(ds.inputs.length).toBe(ds.size * ds.seqLen);
      // every token is in the vocabulary; the last is always `=`
      expect(Math.max(...ds.inputs)).toBeLessThan(ds.vocabSize);
      for (let i = 0; i < ds.size; i++) expect(ds.inputs[i * ds.seqLen + ds.seqLen - 1]).toBe(ds.equalsToken);
      expect(Math.max(...ds.targets)).toBeLessThan(7);
    }
  });

  it('hand-checked rows (layout a b op =)', () => {
    const p = 97;
    expect(find(buildDataset('add', p), [50, 60])).toEqual({ tokens: [50, 60, 98, 97], target: 13 });
    expect(find(buildDataset('sub', p), [3, 5])).toEqual({ tokens: [3, 5, 98, 97], target: 95 });
    expect(find(buildDataset('mul', p), [10, 20])).toEqual({ tokens: [10, 20, 98, 97], target: 200 % 97 });
    expect(find(buildDataset('sq_sub', p), [10, 3]).target).toBe(0); // 100 − 3 = 97 ≡ 0
  });

  it('computes each formula exactly', () => {
    const p = 11;
    const cases: [string, number[], number][] = [
      ['sq_sub', [4, 7], (16 - 7 + 11) % 11],
      ['sq_add', [4, 7], (16 + 49) % 11],
      ['cube_add', [4, 7], (64 + 343) % 11],
      ['div', [3, 4], (3 * 3) % 11], // 4⁻¹ = 3 mod 11
    ];
    for (const [task, ops, want] of cases) expect(find(buildDataset(task as never, p), ops).target).toBe(want);
    // poly5: a·c + b·d − e with sequence order a b c d e
    expect(find(buildDataset('poly5', 7), [2, 3, 4, 5, 6]).target).toBe((((2 * 4 + 3 * 5 - 6) % 7) + 7) % 7);
    // mix: three operator tokens over the same operands
    const mix = buildDataset('mix', 7);
    expect(find(mix, [5, 4], 0).target).toBe(2);
    expect(find(mix, [5, 4], 1).target).toBe(1);
    expect(find(mix, [5, 4], 2).target).toBe(6);
  });

  it('division is the inverse of multiplication on the whole table', () => {
    const p = 13;
    const ds = buildDataset('div', p);
    for (let i = 0; i < ds.size; i++) {
      const [a, b] = [ds.inputs[i * 4]!, ds.inputs[i * 4 + 1]!];
      expect((ds.targets[i]! * b) % p).toBe(a);
    }
    expect(modInverse(3, 7)).toBe(5);
    expect(() => modInverse(0, 7)).toThrow();
    expect(isPrime(97) && !isPrime(91)).toBe(true);
    expect(Object.keys(TASKS).sort()).toEqual([...TASK_IDS].sort());
  });
});

describe('splits', () => {
  it('has the right sizes, is disjoint and covers the table', () => {
    const n = 97 * 96;
    const s = splitDataset(n, 3, 0.5, 0.01);
    expect(s.val.length).toBe(n - Math.round(0.5 * n));
    expect(s.outer.length).toBe(Math.round(0.01 * n));
    expect(s.train.length + s.outer.length).toBe(Math.round(0.5 * n));
    const all = new Set([...s.train, ...s.outer, ...s.val]);
    expect(all.size).toBe(n);
  });

  it('is deterministic per seed and differs across seeds', () => {
    const a = splitDataset(1000, 1, 0.5);
    expect(splitDataset(1000, 1, 0.5)).toEqual(a);
    expect(Array.from(splitDataset(1000, 2, 0.5).train)).not.toEqual(Array.from(a.train));
  });

  it('keeps the same validation set whether or not an outer split is taken', () => {
    const base = splitDataset(2000, 4, 0.5, 0);
    const ng = splitDataset(2000, 4, 0.5, 0.01);
    expect(Array.from(ng.val)).toEqual(Array.from(base.val));
    expect(new Set([...ng.train, ...ng.outer])).toEqual(new Set(base.train));
  });
});
