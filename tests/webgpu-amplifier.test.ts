/**
 * NeuralGrok's amplifier on WebGPU (issue 33, item 2): the fused per-tensor softmax and
 * normalization, its backward and the scores from the table of pieces, and the attention's
 * softmax backward (src/engine/webgpu-kernels.ts)
 * equal a float64 reference and the tf-op path they replace, a perturbed input moves the
 * result, they are one dispatch each where the tf ops were chains, and nothing leaks. On the
 * SwiftShader software adapter (Debian's chromium); where no WebGPU adapter is found, the tests
 * skip and say why.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { CLASSROOM_CONFIG } from '../src/config/presets';
import { buildConfig } from '../src/config/schema';
import { activateBackend } from '../src/engine/backend';
import { FUSED_SEGMENT_AMPLIFY_BACKWARD_KERNEL, FUSED_SEGMENT_AMPLIFY_KERNEL } from '../src/engine/fused';
import { softmaxBackward } from '../src/engine/fastgrad';
import { crossEntropy } from '../src/engine/metrics';
import { forward, initParameters } from '../src/engine/model';
import { Amplifier } from '../src/engine/methods/amplifier';
import { NORM_FLOOR } from '../src/engine/methods/gradnorm';
import { NeuralGrokMethod } from '../src/engine/methods/neuralgrok';
import { Segments } from '../src/engine/methods/segments';
import type { TensorMap } from '../src/engine/tensors';
import { Trainer } from '../src/engine/trainer';
import { countWebGpuDispatches, installWebGpuKernels, uninstallWebGpuKernels } from '../src/engine/webgpu-kernels';
import { SLOW, seededValues, webGpuForFile } from './webgpu-helpers';
import { TINY_MODEL, tinyBatch } from './helpers';

const noAdapter = await webGpuForFile('webgpu-amplifier.test.ts');
/** Largest |a − b| relative to b's largest magnitude. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  let err = 0;
  for (let i = 0; i < b.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]!));
    err = Math.max(err, Math.abs(a[i]! - b[i]!));
  }
  return err / scale;
}

async function withoutFused<T>(body: () => T | Promise<T>): Promise<T> {
  uninstallWebGpuKernels();
  try {
    return await body();
  } finally {
    installWebGpuKernels();
  }
}

/** Reads and disposes. */
async function read(t: tf.Tensor): Promise<Float32Array> {
  const v = (await t.data()) as Float32Array;
  t.dispose();
  return v;
}

// A tensor longer than a workgroup (256 threads) several times over, one of a single component,
// one whose gradient is all zero (its norm floored: no projection in the backward)
const SIZES = [1300, 7, 1, 300, 40, 600];
const ZERO_SEGMENT = 4;
const C = 0.7;

/** The per-tensor softmax, normalization and their backward in float64 (neuralgrok.ts's formulas). */
function reference(s: Float32Array, g: Float32Array, v: Float32Array) {
  const w = new Float64Array(s.length);
  const applied = new Float64Array(s.length);
  const dS = new Float64Array(s.length);
  let at = 0;
  for (const n of SIZES) {
    const idx = Array.from({ length: n }, (_, j) => at + j);
    const max = Math.max(...idx.map((i) => s[i]!));
    const sumE = idx.reduce((acc, i) => acc + Math.exp(s[i]! - max), 0);
    for (const i of idx) w[i] = Math.exp(s[i]! - max) / sumE;
    const normRaw = Math.sqrt(idx.reduce((acc, i) => acc + (w[i]! * g[i]!) ** 2, 0));
    const norm = Math.max(normRaw, NORM_FLOOR);
    for (const i of idx) applied[i] = (C * w[i]! * g[i]!) / norm;
    const projection = norm <= NORM_FLOOR ? 0 : idx.reduce((acc, i) => acc + ((w[i]! * g[i]!) / norm) * v[i]!, 0);
    const dw = idx.map((i) => (C / norm) * (v[i]! - ((w[i]! * g[i]!) / norm) * projection) * g[i]!);
    const sumWdw = idx.reduce((acc, i, j) => acc + w[i]! * dw[j]!, 0);
    idx.forEach((i, j) => (dS[i] = w[i]! * (dw[j]! - sumWdw)));
    at += n;
  }
  return { w, applied, dS };
}

describe.skipIf(Boolean(noAdapter))('the amplifier’s fused WebGPU kernels (SwiftShader)', () => {
  const N = SIZES.reduce((a, b) => a + b, 0);
  const s = seededValues(N, 11, 4); // scores spread over ±4: softmax weights from e^-8 to 1 within a tensor
  const g = seededValues(N, 12, 1e-2);
  const v = seededValues(N, 13, 1);
  const zeroStart = SIZES.slice(0, ZERO_SEGMENT).reduce((a, b) => a + b, 0);
  g.fill(0, zeroStart, zeroStart + SIZES[ZERO_SEGMENT]!);

  /** The three kernels on (s, g, v): w, g' and dL/ds. */
  async function fused(scores: Float32Array) {
    const seg = new Segments(SIZES);
    try {
      const out = tf.tidy(() => {
        const [st, gt, vt] = [tf.tensor1d(scores), tf.tensor1d(g), tf.tensor1d(v)];
        const run = (name: string, inputs: tf.NamedTensorMap, attrs: object) =>
          tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor;
        return [
          run(FUSED_SEGMENT_AMPLIFY_KERNEL, { scores: st, offsets: seg.offsets }, { c: C, output: 'weights' }),
          run(FUSED_SEGMENT_AMPLIFY_KERNEL, { scores: st, grad: gt, offsets: seg.offsets }, { c: C, output: 'applied' }),
          run(FUSED_SEGMENT_AMPLIFY_BACKWARD_KERNEL, { scores: st, grad: gt, dApplied: vt, offsets: seg.offsets }, { c: C }),
        ];
      });
      const [w, applied, dS] = await Promise.all(out.map(read));
      return { w: w!, applied: applied!, dS: dS! };
    } finally {
      seg.dispose();
    }
  }

  it('softmax weights, g′ and dL/ds equal a float64 reference within 1e-5 relative', async () => {
    await activateBackend('webgpu');
    const got = await fused(s);
    const want = reference(s, g, v);
    expect(relativeError(got.w, want.w)).toBeLessThan(1e-5);
    expect(relativeError(got.applied, want.applied)).toBeLessThan(1e-5);
    expect(relativeError(got.dS, want.dS)).toBeLessThan(1e-5);
    // each tensor's weights sum to 1; the zero-gradient tensor's g′ and dL/ds are 0 (floored norm, no NaN)
    let at = 0;
    for (const n of SIZES) {
      expect(got.w.subarray(at, at + n).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      at += n;
    }
    expect(Array.from(got.applied.subarray(zeroStart, zeroStart + SIZES[ZERO_SEGMENT]!)).every((x) => x === 0)).toBe(true);
    expect(got.dS.every(Number.isFinite)).toBe(true);
  });

  it('a perturbed score moves its own tensor’s results and no other tensor’s', async () => {
    await activateBackend('webgpu');
    const base = await fused(s);
    const moved = s.slice();
    moved[1307 + 1 + 5] = moved[1307 + 1 + 5]! + 3; // a component of the fourth tensor (300 components from 1 308)
    const after = await fused(moved);
    const [from, to] = [1308, 1608];
    for (const k of ['w', 'applied', 'dS'] as const) {
      // far above the 1e-5 the kernels are held to
      expect(relativeError(after[k].subarray(from, to), base[k].subarray(from, to)), k).toBeGreaterThan(1e-3);
      expect(Array.from(after[k].subarray(0, from)), k).toEqual(Array.from(base[k].subarray(0, from)));
      expect(Array.from(after[k].subarray(to)), k).toEqual(Array.from(base[k].subarray(to)));
    }
  });

  it('scores from the table of pieces equal the tf ops and the MLP, at the breakpoints too', async () => {
    await activateBackend('webgpu');
    const amp = new Amplifier([8], 3, undefined, 'device');
    try {
      // the breakpoints themselves (a piece's edge), and values around them
      const table = tf.tidy(() => (amp as unknown as { pieceTable(): { breaks: tf.Tensor1D } }).pieceTable().breaks.clone());
      const breaks = Array.from(await read(table)).filter((b) => Math.abs(b) < 1e29);
      expect(breaks.length).toBeGreaterThan(3);
      const x = Float32Array.from([
        ...breaks,
        ...seededValues(2000, 21, 3),
        ...breaks.map((b) => b + 1e-3),
        ...breaks.map((b) => b - 1e-3),
      ]);
      expect(amp.usesPieces(x.length)).toBe(true);
      const scores = () => read(tf.tidy(() => amp.scoresFlat(tf.tensor1d(x))));
      const counted = await countWebGpuDispatches(scores);
      const ops = await withoutFused(() => countWebGpuDispatches(scores));
      const mlp = await read(tf.tidy(() => amp.scores(tf.tensor2d(x, [x.length, 1]))));
      expect(counted.byProgram.PiecewiseScoresProgram).toBe(1);
      expect(counted.dispatches).toBe(1);
      expect(ops.dispatches).toBeGreaterThan(3);
      expect(relativeError(counted.value, ops.value)).toBeLessThan(1e-6);
      expect(relativeError(counted.value, mlp)).toBeLessThan(1e-5);
    } finally {
      amp.dispose();
    }
  });

  it('the attention’s softmax backward equals its tf ops within 1e-6 relative, one dispatch, and moves with its input', async () => {
    await activateBackend('webgpu');
    const shape = [6, 4, 9, 9]; // [B, heads, queries, keys], 1 944 components
    const size = shape.reduce((a, b) => a * b, 1);
    const p = tf.tidy(() => tf.softmax(tf.tensor(seededValues(size, 31, 3), shape)));
    const dP = seededValues(size, 32, 1);
    const run = (d: Float32Array) => () => read(tf.tidy(() => softmaxBackward(tf.tensor(d, shape), p)));
    try {
      const fusedRun = await countWebGpuDispatches(run(dP));
      const ops = await withoutFused(() => countWebGpuDispatches(run(dP)));
      expect(fusedRun.byProgram.SoftmaxBackwardProgram).toBe(1);
      expect(fusedRun.dispatches).toBe(1);
      expect(ops.dispatches).toBeGreaterThanOrEqual(4);
      expect(relativeError(fusedRun.value, ops.value)).toBeLessThan(1e-6);
      // each row of dS sums to 0 (a softmax's gradient is orthogonal to shifts)
      for (let r = 0; r < size / 9; r++)
        expect(Math.abs(fusedRun.value.subarray(9 * r, 9 * r + 9).reduce((a, b) => a + b, 0))).toBeLessThan(1e-5);
      // a perturbed dP in one row moves that row only
      const moved = dP.slice();
      moved[9 * 7 + 2] = moved[9 * 7 + 2]! + 1;
      const after = await run(moved)();
      expect(relativeError(after.subarray(63, 72), fusedRun.value.subarray(63, 72))).toBeGreaterThan(1e-3);
      expect(Array.from(after.subarray(0, 63))).toEqual(Array.from(fusedRun.value.subarray(0, 63)));
      expect(Array.from(after.subarray(72))).toEqual(Array.from(fusedRun.value.subarray(72)));
    } finally {
      p.dispose();
    }
  });

  describe('through NeuralGrok (the inner step’s g′ and the meta-gradient), fused against tf ops', () => {
    for (const [hidden, path] of [
      [[8], 'table of pieces'],
      [[4, 4, 4], 'chunked MLP'],
    ] as const) {
      it(
        `${path}: g′ and ∂L/∂φ within 1e-4 relative, fewer dispatches, no tensor left behind`,
        async () => {
          await activateBackend('webgpu');
          const P = initParameters(TINY_MODEL, 3);
          const inner = tinyBatch(12, 2);
          const outer = tinyBatch(9, 8);
          const outerLoss = (Q: TensorMap) => crossEntropy(forward(Q, outer.tokens, TINY_MODEL), outer.targets);
          const grads: TensorMap = tf.tidy(() => {
            const r = tf.variableGrads(() => crossEntropy(forward(P, inner.tokens, TINY_MODEL), inner.targets), Object.values(P));
            return Object.fromEntries(Object.entries(P).map(([n, p]) => [n, tf.keep(r.grads[p.name]!)]));
          });
          const config = buildConfig(CLASSROOM_CONFIG, { method: 'neuralgrok', ngHidden: [...hidden], ngC: 0.2, ngClip: 0 });
          const method = new NeuralGrokMethod(hidden, 5, { outerLoss });
          const names = Object.keys(P);
          const run = async () => {
            const applied = tf.tidy(() => {
              const flat = tf.concat(names.map((n) => tf.reshape(grads[n]!, [-1]))) as tf.Tensor1D;
              return method.transformFlat(flat, { step: 1, lr: 1e-3, params: P, config });
            });
            const meta = tf.tidy(() => {
              const { loss, metaGrads } = method.metaGradient(grads, P, 2, 0.2);
              return [loss, ...Object.keys(method.amplifier.vars).map((k) => metaGrads[k]!)];
            });
            const metaValues = await Promise.all(meta.map(read));
            return {
              applied: await read(applied),
              loss: metaValues[0]![0]!,
              meta: Float32Array.from(metaValues.slice(1).flatMap((a) => [...a])),
            };
          };
          try {
            await run(); // builds the table of pieces, kept until φ changes: not counted on either side
            const tensors = tf.memory().numTensors;
            const fusedRun = await countWebGpuDispatches(run);
            expect(tf.memory().numTensors).toBe(tensors);
            const ops = await withoutFused(() => countWebGpuDispatches(run));
            expect(fusedRun.byProgram.SegmentAmplifyProgram).toBe(2); // the inner step's g′ and the meta step's
            expect(fusedRun.byProgram.SegmentAmplifyBackwardProgram).toBe(1);
            expect(fusedRun.byProgram.PiecewiseScoresProgram ?? 0).toBe(path === 'table of pieces' ? 2 : 0);
            expect(ops.byProgram.SegmentAmplifyProgram).toBeUndefined();
            expect(fusedRun.dispatches).toBeLessThan(ops.dispatches - 30);
            expect(relativeError(fusedRun.value.applied, ops.value.applied)).toBeLessThan(1e-4);
            expect(Math.abs(fusedRun.value.loss - ops.value.loss)).toBeLessThan(1e-5 * Math.abs(ops.value.loss));
            expect(relativeError(fusedRun.value.meta, ops.value.meta)).toBeLessThan(1e-4);
            expect(Math.max(...ops.value.meta.map(Math.abs))).toBeGreaterThan(1e-8); // not trivially zero
          } finally {
            method.dispose();
            tf.dispose([...Object.values(P), ...Object.values(grads), inner.tokens, inner.targets, outer.tokens, outer.targets]);
          }
        },
        SLOW,
      );
    }
  });

  it(
    'a NeuralGrok run on the fused kernels keeps the tensor count flat, evaluation steps (diagnostics) included',
    async () => {
      await activateBackend('webgpu');
      const config = buildConfig(CLASSROOM_CONFIG, {
        p: 11,
        batchSize: 32,
        method: 'neuralgrok',
        ngHidden: [4],
        ngEvery: 2,
        evalEvery: 2,
      });
      const trainer = new Trainer(config);
      try {
        await trainer.runSteps(2);
        const tensors = tf.memory().numTensors;
        const { records } = await trainer.runSteps(4);
        expect(tf.memory().numTensors).toBe(tensors);
        // steps 4 and 6 evaluate: the diagnostics read the kept scores through the weights kernel
        const evaluated = records.filter((r) => Number.isFinite(r.ampWeightStd) && Number.isFinite(r.cosToNorm));
        expect(evaluated.map((r) => r.step)).toEqual([4, 6]);
      } finally {
        trainer.dispose();
      }
    },
    SLOW,
  );
});
