import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { replacedWasmKernels } from '../src/engine/wasm-kernels';

/** x[i] = i + 1 (1-based, so a zero in the output is never a copied value). */
const iota = (shape: number[], dtype: 'float32' | 'int32' = 'float32') =>
  tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i + 1),
    shape,
    dtype,
  );

/** The slice by plain index arithmetic: out[o] = x[begin + unravel(o)]. */
function sliceByHand(shape: number[], begin: number[], size: number[]): number[] {
  const strides = shape.map((_, a) => shape.slice(a + 1).reduce((p, q) => p * q, 1));
  const n = size.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, (_, o) => {
    let rest = o;
    let flat = 0;
    for (let a = size.length - 1; a >= 0; a--) {
      flat += (begin[a]! + (rest % size[a]!)) * strides[a]!;
      rest = Math.floor(rest / size[a]!);
    }
    return flat + 1;
  });
}

describe('wasm kernel replacements (Slice, SplitV, Transpose)', () => {
  it('are the kernels tfjs runs on the wasm backend', () => {
    expect(tf.getBackend()).toBe('wasm');
    expect(replacedWasmKernels().sort()).toEqual(['Slice', 'SplitV', 'Transpose']);
  });

  const cases: [string, number[], number[], number[]][] = [
    ['1-D middle', [10], [3], [4]],
    ['1-D whole', [7], [0], [7]],
    ['2-D rows (contiguous)', [6, 5], [2, 0], [3, 5]],
    ['2-D column block', [6, 5], [1, 2], [4, 2]],
    ['3-D inner block', [4, 3, 5], [1, 1, 2], [2, 2, 3]],
    ['3-D trailing axes whole', [4, 3, 5], [1, 0, 0], [2, 3, 5]],
    ['4-D mixed', [3, 4, 2, 6], [1, 0, 1, 2], [2, 3, 1, 4]],
    ['5-D', [2, 3, 2, 2, 3], [1, 1, 0, 1, 0], [1, 2, 2, 1, 3]],
    ['empty', [4, 4], [1, 1], [0, 2]],
  ];
  for (const [label, shape, begin, size] of cases)
    it(`Slice ${label} copies exactly the indexed elements`, () => {
      const x = iota(shape);
      const y = tf.slice(x, begin, size);
      expect(y.shape).toEqual(size);
      expect(Array.from(y.dataSync())).toEqual(sliceByHand(shape, begin, size));
      tf.dispose([x, y]);
    });

  it('Slice keeps int32 and bool dtypes', () => {
    const x = iota([3, 4], 'int32');
    const y = tf.slice(x, [1, 1], [2, 2]);
    expect(y.dtype).toBe('int32');
    expect(Array.from(y.dataSync())).toEqual([6, 7, 10, 11]);
    const b = tf.tensor2d([1, 0, 1, 1, 0, 0], [2, 3], 'bool');
    const c = tf.slice(b, [0, 1], [2, 2]);
    expect(c.dtype).toBe('bool');
    expect(Array.from(c.dataSync())).toEqual([0, 1, 0, 0]);
    tf.dispose([x, y, b, c]);
  });

  it('string tensors still slice (through the original kernel: their bytes are not on the heap)', () => {
    const s = tf.tensor2d(['a', 'b', 'c', 'd', 'e', 'f'], [2, 3]);
    const t = tf.slice(s, [0, 1], [2, 2]);
    expect(t.arraySync()).toEqual([
      ['b', 'c'],
      ['e', 'f'],
    ]);
    tf.dispose([s, t]);
  });

  it('SplitV splits a flat parameter vector and a middle axis into the right pieces', () => {
    const flat = iota([20]);
    const parts = tf.split(flat, [3, 0, 12, 5]);
    expect(parts.map((p) => Array.from(p.dataSync()))).toEqual([
      [1, 2, 3],
      [],
      Array.from({ length: 12 }, (_, i) => i + 4),
      [16, 17, 18, 19, 20],
    ]);
    const heads = iota([2, 6, 3]);
    const [q, k, v] = tf.split(heads, 3, 1);
    expect(Array.from(k!.dataSync())).toEqual([...sliceByHand([2, 6, 3], [0, 2, 0], [2, 2, 3])]);
    expect(v!.shape).toEqual([2, 2, 3]);
    tf.dispose([flat, ...parts, heads, q!, k!, v!]);
  });

  for (const [R, C] of [
    [1, 1],
    [3, 5],
    [8, 8],
    [17, 9],
    [64, 130],
  ] as const)
    it(`Transpose [${R}, ${C}] puts x[i][j] at out[j][i]`, () => {
      const x = iota([R, C]);
      const y = tf.transpose(x);
      expect(y.shape).toEqual([C, R]);
      const out = y.dataSync();
      let wrong = 0;
      for (let i = 0; i < R; i++) for (let j = 0; j < C; j++) if (out[j * R + i] !== i * C + j + 1) wrong++;
      expect(wrong).toBe(0);
      tf.dispose([x, y]);
    });

  it('Transpose of other ranks still runs the original kernel correctly', () => {
    const x = iota([2, 3, 4]);
    const y = tf.transpose(x, [1, 0, 2]);
    const out = y.dataSync();
    expect(out[0 * 8 + 1 * 4 + 2]).toBe(1 * 12 + 0 * 4 + 2 + 1); // out[0][1][2] = x[1][0][2]
    expect(out[2 * 8 + 0 * 4 + 3]).toBe(0 * 12 + 2 * 4 + 3 + 1); // out[2][0][3] = x[0][2][3]
    expect(out[1 * 8 + 1 * 4 + 0]).toBe(1 * 12 + 1 * 4 + 0 + 1); // out[1][1][0] = x[1][1][0]
    tf.dispose([x, y]);
  });

  it('gradients through slice, split and transpose are unchanged', () => {
    const x = iota([4, 6]);
    const g = tf.grad((t: tf.Tensor) =>
      tf.sum(tf.mul(tf.transpose(tf.slice(t, [1, 2], [2, 3])), tf.split(tf.reshape(t, [24]), [6, 18])[0]!.slice(0, 1))),
    )(x);
    // d/dt of Σ slice(t)ᵀ · t[0][0]: each sliced element gets t[0][0] = 1, t[0][0] gets Σ slice = 9+10+11+15+16+17
    const expected = new Array(24).fill(0);
    for (const i of [1, 2]) for (const j of [2, 3, 4]) expected[i * 6 + j] = 1;
    expected[0] = 9 + 10 + 11 + 15 + 16 + 17;
    expect(Array.from(g.dataSync())).toEqual(expected);
    tf.dispose([x, g]);
  });
});
