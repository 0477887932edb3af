import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { BLAS_PINNING_VARIABLES, blasFromEnvironment, chooseBlasKernels, installBlasMatMul, loadBlasAddon } from '../src/cli/blas-matmul';
import { replacedWasmKernels, setWasmMatMul, transposedMatMulIsFast } from '../src/engine/wasm-kernels';
import { buildFastBatch, disposeFastBatch, fastLossAndGradients } from '../src/engine/fastgrad';
import { initParameters, type ModelConfig } from '../src/engine/model';
import { disposeMap } from '../src/engine/tensors';
import { buildConfig } from '../src/config/schema';
import { CLASSROOM_CONFIG } from '../src/config/presets';
import { runTraining } from '../src/engine/runner';

// `npm test` builds the addon first (scripts/build-blas.sh: needs Debian's libopenblas-dev, which
// .ci/run and `npm run build:blas` install); where it is not built these tests are skipped and say why.
const addon = loadBlasAddon();
if (!addon)
  console.warn(
    'blas-matmul tests SKIPPED: the optional OpenBLAS matmul (native/build/blas-matmul.node) is not built — libopenblas-dev is missing; npm run build:blas installs it and builds it',
  );

/** Seeded values in [-1, 1) (a fixed LCG: the same inputs on every run). */
function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 31 - 1);
}

/** op(a)·op(b) through whichever BatchMatMul is registered, read back. */
function product(aShape: number[], bShape: number[], transA: boolean, transB: boolean): { shape: number[]; data: Float32Array } {
  return tf.tidy(() => {
    const a = tf.tensor(
      values(
        aShape.reduce((p, q) => p * q, 1),
        1,
      ),
      aShape,
    );
    const b = tf.tensor(
      values(
        bShape.reduce((p, q) => p * q, 1),
        2,
      ),
      bShape,
    );
    const y = tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D, transA, transB);
    return { shape: y.shape, data: y.dataSync() as Float32Array };
  });
}

describe.skipIf(!addon)('OpenBLAS matmul for the wasm backend (Node, GROKLAB_BLAS=1)', () => {
  afterAll(() => setWasmMatMul(null));

  it('loading and installing it leave the process environment as they found it (the CLI clears the pinning itself)', () => {
    const before = { ...process.env };
    process.env[BLAS_PINNING_VARIABLES[0]] ??= 'Haswell'; // a pinned environment, as this machine's
    const pinned = { ...process.env };
    try {
      loadBlasAddon();
      installBlasMatMul(1);
      expect(blasFromEnvironment({ GROKLAB_BLAS: '1', GROKLAB_BLAS_THREADS: '1' })!.label).toMatch(/^openblas .+ ×1$/);
      expect({ ...process.env }).toEqual(pinned);
    } finally {
      setWasmMatMul(null);
      for (const k of Object.keys(process.env)) if (!(k in before)) delete process.env[k];
    }
  });

  it('computes a hand-checked product, and is the kernel tfjs runs until restored', () => {
    installBlasMatMul(1);
    expect(replacedWasmKernels()).toContain('BatchMatMul');
    const y = tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2]));
    expect(Array.from(y.dataSync())).toEqual([19, 22, 43, 50]);
    const t = tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2]), true, true);
    expect(Array.from(t.dataSync())).toEqual([23, 31, 34, 46]); // [[1,3],[2,4]]·[[5,7],[6,8]]
    setWasmMatMul(null);
    expect(replacedWasmKernels()).not.toContain('BatchMatMul');
  });

  // Every layout the engine uses: plain and transposed 2-D (weights and their gradients),
  // batched attention (4-D, transposed), a broadcast batch and a rank mismatch, empty inner
  // and outer sizes.
  const cases: [string, number[], number[], boolean, boolean][] = [
    ['2-D', [37, 19], [19, 23], false, false],
    ['2-D, b transposed', [37, 19], [23, 19], false, true],
    ['2-D, a transposed', [19, 37], [19, 23], true, false],
    ['2-D, both transposed', [19, 37], [23, 19], true, true],
    ['a row against a matrix (column sums)', [1, 64], [64, 33], false, false],
    ['batched 3-D', [5, 9, 8], [5, 8, 9], false, false],
    ['attention scores, 4-D, b transposed', [3, 4, 9, 8], [3, 4, 9, 8], false, true],
    ['attention gradient, 4-D, a transposed', [3, 4, 9, 9], [3, 4, 9, 8], true, false],
    ['a batch of 1 broadcast against 4', [1, 6, 5], [4, 5, 7], false, false],
    ['b batch of 1 broadcast against 4', [4, 6, 5], [1, 5, 7], false, false],
    ['2-D against 3-D', [6, 5], [3, 5, 7], false, false],
    ['outer size 0', [0, 5], [5, 4], false, false],
  ];
  for (const [label, aShape, bShape, ta, tb] of cases)
    it(`${label}: equals tfjs's own kernel to float rounding`, () => {
      setWasmMatMul(null);
      const want = product(aShape, bShape, ta, tb);
      installBlasMatMul(1);
      const got = product(aShape, bShape, ta, tb);
      expect(got.shape).toEqual(want.shape);
      let worst = 0;
      for (let i = 0; i < want.data.length; i++) worst = Math.max(worst, Math.abs(got.data[i]! - want.data[i]!));
      expect(worst).toBeLessThan(1e-5); // |entries| ≤ 1, sums of ≤ 64 terms: rounding is ~1e-6
    });

  it('an inner size of 0 gives zeros (tfjs-wasm’s own kernel leaves that output uninitialized)', () => {
    installBlasMatMul(1);
    expect(Array.from(product([3, 0], [0, 4], false, false).data)).toEqual(new Array(12).fill(0));
  });

  it('gradients through a matmul agree with tfjs’s kernel', () => {
    const grads = () =>
      tf.tidy(() => {
        const a = tf.tensor2d(values(12 * 7, 3), [12, 7]);
        const b = tf.tensor2d(values(7 * 5, 4), [7, 5]);
        const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D))))([a, b]);
        return [...ga!.dataSync(), ...gb!.dataSync()];
      });
    setWasmMatMul(null);
    const want = grads();
    installBlasMatMul(1);
    const got = grads();
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 4));
  });

  it('the hand-written backward passes transposed operands to OpenBLAS and gets the same gradients', () => {
    // 3 layers: full blocks (attention's batched transposed products) and the last-position block
    const mc: ModelConfig = { vocabSize: 11, seqLen: 6, layers: 3, dModel: 16, heads: 4 };
    const P = initParameters(mc, 3);
    const n = 13;
    const inputs = Int32Array.from(values(n * mc.seqLen, 5), (v) => Math.floor((v + 1) * 5.5));
    const targets = Int32Array.from(values(n, 6), (v) => Math.floor((v + 1) * 5.5));
    const batch = buildFastBatch(inputs, targets, [...Array(n).keys()], mc.seqLen, mc.vocabSize, true);
    const gradients = () =>
      tf.tidy(() => {
        const { loss, grads } = fastLossAndGradients(P, batch, mc, true);
        return { loss: loss.dataSync()[0]!, grads: Object.fromEntries(Object.entries(grads!).map(([k, g]) => [k, g.dataSync()])) };
      });
    setWasmMatMul(null);
    expect(transposedMatMulIsFast()).toBe(false);
    const want = gradients();
    installBlasMatMul(1);
    expect(transposedMatMulIsFast()).toBe(true);
    const got = gradients();
    expect(got.loss).toBeCloseTo(want.loss, 5);
    for (const [name, w] of Object.entries(want.grads)) {
      const scale = Math.max(...Array.from(w, Math.abs), 1e-6);
      w.forEach((x, i) => expect(Math.abs(got.grads[name]![i]! - x), `${name}[${i}]`).toBeLessThan(1e-6 + 1e-4 * scale));
    }
    disposeFastBatch(batch);
    disposeMap(P);
  });

  it('refuses arrays shorter than the shapes say (no read past a tensor)', () => {
    expect(() => addon!.matmul(new Float32Array(3), new Float32Array(4), new Float32Array(4), 1, 1, 2, 2, 2, false, false)).toThrow(
      /shapes do not match/,
    );
  });

  it('trains the classroom run like XNNPACK does (same metrics to float rounding over 30 steps)', async () => {
    const config = buildConfig({ ...CLASSROOM_CONFIG, p: 11, steps: 30, evalEvery: 10 });
    setWasmMatMul(null);
    const want = await runTraining(config);
    installBlasMatMul(1);
    const got = await runTraining(config);
    const w = want.series.train.trainLoss;
    const g = got.series.train.trainLoss;
    expect(g.length).toBe(w.length);
    for (let i = 0; i < w.length; i++) expect(Math.abs(g[i]! - w[i]!)).toBeLessThan(1e-3 * Math.max(1, Math.abs(w[i]!)));
  });
});

describe('the kernel choice before OpenBLAS loads', () => {
  it('clears the pinning variables, or pins the core GROKLAB_BLAS_CORE names (a parked run resumes on the core it was written on)', () => {
    const env: NodeJS.ProcessEnv = { OPENBLAS_CORETYPE: 'Haswell', OPENBLAS_L2_SIZE: '262144', OTHER: 'kept' };
    chooseBlasKernels(env);
    expect(env).toEqual({ OTHER: 'kept' });
    const pinned: NodeJS.ProcessEnv = { OPENBLAS_CORETYPE: 'Haswell', OPENBLAS_L2_SIZE: '262144', GROKLAB_BLAS_CORE: ' SkylakeX ' };
    chooseBlasKernels(pinned);
    expect(pinned).toEqual({ GROKLAB_BLAS_CORE: ' SkylakeX ', OPENBLAS_CORETYPE: 'SkylakeX' });
  });
});
