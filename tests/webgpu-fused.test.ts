/**
 * The lean WebGPU step (issue 33): Adam's update as one WebGPU kernel (src/engine/webgpu-kernels.ts)
 * equals the tf-op update, training with it equals the CPU backend, a step dispatches fewer
 * programs with it than without (counted, bench/dispatches.ts), and nothing leaks. On the
 * SwiftShader software adapter (Debian's chromium); where no WebGPU adapter is found, the tests
 * skip and say why. Small shapes: a software adapter compiles every shader on the CPU.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { CLASSROOM_CONFIG } from '../src/config/presets';
import { buildConfig, type RunConfig } from '../src/config/schema';
import { SELF_TEST_TOLERANCE } from '../src/core/backend-choice';
import { activateBackend } from '../src/engine/backend';
import { AdamOptimizer, type AdamHyperparameters } from '../src/engine/optimizer';
import { Amplifier, MAX_BUFFER_BYTES } from '../src/engine/methods/amplifier';
import { Trainer } from '../src/engine/trainer';
import { FUSED_GELU_BACKWARD_KERNEL, FUSED_LN_BACKWARD_KERNEL, fusedOr } from '../src/engine/fused';
import { countWebGpuDispatches, installWebGpuKernels, uninstallWebGpuKernels } from '../src/engine/webgpu-kernels';
import { SLOW, seededValues, webGpuForFile } from './webgpu-helpers';
import { countStepDispatches } from '../bench/dispatches';

const noAdapter = await webGpuForFile('webgpu-fused.test.ts');
const small = (overrides: Partial<RunConfig>) => buildConfig(CLASSROOM_CONFIG, { p: 11, batchSize: 32, evalEvery: 100_000, ...overrides });

// 1 300 components: above tfjs-webgpu's 1 000, under which an op on CPU-resident inputs runs on the CPU
const SHAPES: Record<string, number[]> = { w: [40, 30], b: [30], ln: [70] };

/** Runs `steps` Adam updates of three small tensors with seeded gradients; returns θ, m and v, flat (asynchronous reads: WebGPU in Node has no synchronous one). */
async function runAdam(hp: AdamHyperparameters, steps: number): Promise<{ theta: Float32Array; m: Float32Array; v: Float32Array }> {
  const params = Object.fromEntries(
    Object.entries(SHAPES).map(([n, shape], i) => [n, tf.variable(tf.tensor(seededValues(tf.util.sizeFromShape(shape), 7 + i, 1), shape))]),
  );
  const opt = new AdamOptimizer(hp);
  try {
    for (let t = 0; t < steps; t++)
      tf.tidy(() => {
        const grads = Object.fromEntries(
          Object.entries(SHAPES).map(([n, shape], i) => [
            n,
            tf.tensor(seededValues(tf.util.sizeFromShape(shape), 100 * t + i, 1e-2), shape),
          ]),
        );
        opt.apply(params, grads);
      });
    const state = (await opt.exportState())!;
    const theta = await Promise.all(Object.keys(SHAPES).map((n) => params[n]!.data() as Promise<Float32Array>));
    return { theta: Float32Array.from(theta.flatMap((a) => [...a])), m: state.m, v: state.v };
  } finally {
    opt.dispose();
    tf.dispose(Object.values(params));
  }
}

/** Largest |a − b| relative to b's largest magnitude. */
function relativeError(a: Float32Array, b: Float32Array): number {
  const scale = Math.max(...b.map(Math.abs));
  return Math.max(...a.map((x, i) => Math.abs(x - b[i]!))) / scale;
}

async function withoutFused<T>(body: () => T | Promise<T>): Promise<T> {
  uninstallWebGpuKernels();
  try {
    return await body();
  } finally {
    installWebGpuKernels();
  }
}

describe.skipIf(Boolean(noAdapter))('the fused Adam update on WebGPU (SwiftShader)', () => {
  const base: AdamHyperparameters = {
    lr: 1e-2,
    beta1: 0.9,
    beta2: 0.98,
    eps: 1e-8,
    warmupSteps: 2,
    weightDecay: 0,
    weightDecayMode: 'coupled',
  };
  // warm-up over 2 steps (factors 0, ½, 1), bias correction at t = 1..4, each decay mode, a decay mask
  const cases: [string, Partial<AdamHyperparameters>][] = [
    ['Adam, no decay', {}],
    ['Adam, coupled decay 1e-3', { weightDecay: 1e-3 }],
    ['AdamW, decoupled decay 1', { weightDecay: 1, weightDecayMode: 'decoupled' }],
    [
      'AdamW, decoupled decay 1, biases and LayerNorm exempt',
      { weightDecay: 1, weightDecayMode: 'decoupled', decayExempt: new Set(['b', 'ln']) },
    ],
    ['Adam, coupled decay 0.1, biases exempt', { weightDecay: 0.1, decayExempt: new Set(['b']) }],
  ];
  it.each(cases)('%s: θ, m and v equal the tf-op update within 1e-6 relative', async (_, hp) => {
    await activateBackend('webgpu');
    const fused = await runAdam({ ...base, ...hp }, 4);
    const ops = await withoutFused(() => runAdam({ ...base, ...hp }, 4));
    for (const k of ['theta', 'm', 'v'] as const) expect(relativeError(fused[k], ops[k]), k).toBeLessThan(1e-6);
    // the decay moved θ where it applies (so the check saw the decay terms)
    expect(relativeError(fused.theta, (await runAdam({ ...base, ...hp, weightDecay: 0 }, 4)).theta)).toBeGreaterThan(
      hp.weightDecay ? 1e-6 : -1,
    );
  });

  it('is one dispatch of the fused program, where the tf ops are a dozen', async () => {
    await activateBackend('webgpu');
    const hp: AdamHyperparameters = { ...base, weightDecay: 1, weightDecayMode: 'decoupled' };
    const count = (fusedPath: boolean) => {
      const run = () => countWebGpuDispatches(() => runAdam(hp, 1));
      return fusedPath ? run() : withoutFused(run);
    };
    const fused = await count(true);
    const ops = await count(false);
    expect(fused.byProgram.FusedAdamProgram).toBe(1);
    expect(ops.byProgram.FusedAdamProgram).toBeUndefined();
    // the tf ops' elementwise chain (about a dozen passes) is gone; copies (concat, slices) remain on both paths
    expect(fused.byProgram.BinaryOpProgram).toBeUndefined();
    expect(ops.byProgram.BinaryOpProgram).toBeGreaterThanOrEqual(8);
    expect(fused.dispatches).toBeLessThan(ops.dispatches);
  });

  it('the fused GELU and LayerNorm backward equal their tf ops within 1e-6 relative', async () => {
    await activateBackend('webgpu');
    const [rows, d] = [24, 16];
    const run = async () => {
      const out = tf.tidy(() => {
        const dy = tf.tensor2d(seededValues(rows * d, 1, 1), [rows, d]);
        const m = tf.tensor2d(seededValues(rows * d, 2, 3), [rows, d]);
        const halfE = tf.mul(0.5, tf.add(1, tf.tanh(m))); // any values: the kernel takes ½(1 + erf) as given
        const xhat = tf.tensor2d(seededValues(rows * d, 3, 2), [rows, d]);
        const gain = tf.tensor1d(seededValues(d, 4, 1.5));
        const rstd = tf.tensor2d(
          seededValues(rows, 5, 1).map((x) => 1 + Math.abs(x)),
          [rows, 1],
        );
        const gelu = fusedOr(FUSED_GELU_BACKWARD_KERNEL, { dy, m, halfE }, () =>
          tf.mul(dy, tf.add(halfE, tf.mul(tf.mul(m, tf.exp(tf.mul(tf.square(m), -0.5))), 1 / Math.sqrt(2 * Math.PI)))),
        );
        const ln = fusedOr(FUSED_LN_BACKWARD_KERNEL, { dy, xhat, gain, rstd }, () => {
          const dxhat = tf.mul(dy, gain);
          return tf.mul(tf.sub(tf.sub(dxhat, tf.mean(dxhat, -1, true)), tf.mul(xhat, tf.mean(tf.mul(dxhat, xhat), -1, true))), rstd);
        });
        return { gelu, ln };
      });
      const [gelu, ln] = (await Promise.all([out.gelu.data(), out.ln.data()])) as Float32Array[];
      tf.dispose([out.gelu, out.ln]);
      return { gelu: gelu!, ln: ln! };
    };
    const fused = await countWebGpuDispatches(run);
    const ops = await withoutFused(() => countWebGpuDispatches(run));
    expect(fused.byProgram.GeluBackwardProgram).toBe(1);
    expect(fused.byProgram.LayerNormBackwardProgram).toBe(1);
    expect(ops.byProgram.GeluBackwardProgram).toBeUndefined();
    expect(relativeError(fused.value.gelu, ops.value.gelu)).toBeLessThan(1e-6);
    expect(relativeError(fused.value.ln, ops.value.ln)).toBeLessThan(1e-6);
  });

  it('the chunked amplifier takes larger chunks on WebGPU than on WASM (fewer dispatches, same buffer budget)', async () => {
    await activateBackend('webgpu');
    const amp = new Amplifier([128, 128, 128], 0);
    try {
      const onGpu = amp.chunkRows;
      await activateBackend('wasm');
      expect(amp.chunkRows).toBe(4096);
      expect(onGpu).toBeGreaterThan(4096);
      expect(onGpu * 128 * 4).toBeLessThanOrEqual(MAX_BUFFER_BYTES);
    } finally {
      amp.dispose();
    }
  });

  // a software adapter on a loaded 2-core machine: minutes per training test

  it.each([
    ['adamw', { method: 'adamw' }],
    ['standard (coupled decay)', { method: 'standard' }],
    ['neuralgrok (pieces path, meta step)', { method: 'neuralgrok', ngHidden: [4], ngEvery: 2 }],
  ] as [string, Partial<RunConfig>][])(
    '%s: four training steps with the fused update equal the CPU backend within the self-test tolerance',
    async (_, overrides) => {
      const config = small(overrides);
      const losses = async (backend: string) => {
        await activateBackend(backend);
        const trainer = new Trainer(config);
        try {
          const { records } = await trainer.runSteps(4);
          return { losses: records.map((r) => r.trainLoss!) };
        } finally {
          trainer.dispose();
        }
      };
      const gpu = await losses('webgpu');
      const cpu = await losses('cpu');
      const worst = Math.max(...gpu.losses.map((x, i) => Math.abs(x - cpu.losses[i]!) / Math.abs(cpu.losses[i]!)));
      // losses, not θ: Adam turns a rounding-level sign change of a near-zero gradient component into ±lr
      expect(worst).toBeLessThan(SELF_TEST_TOLERANCE);
    },
    SLOW,
  );

  it.each([
    ['adamw', { method: 'adamw' }],
    ['neuralgrok (pieces path)', { method: 'neuralgrok', ngHidden: [4], ngEvery: 2 }],
    ['neuralgrok (chunked path)', { method: 'neuralgrok', ngHidden: [4, 4, 4], ngEvery: 2 }],
  ] as [string, Partial<RunConfig>][])(
    '%s: a step dispatches fewer programs fused than with tf ops only',
    async (_, overrides) => {
      await activateBackend('webgpu');
      const config = small(overrides);
      const before = await countStepDispatches(config, { fused: false });
      const after = await countStepDispatches(config);
      expect(after.perStep).toBeLessThan(before.perStep);
      expect(after.byProgram.FusedAdamProgram).toBeGreaterThan(0);
      expect(after.reads).toBe(1); // one chunk, one read back
    },
    SLOW,
  );

  it(
    'keeps the tensor count flat across steps, and a checkpoint restored mid-run continues bit for bit',
    async () => {
      await activateBackend('webgpu');
      const config = small({ method: 'adamw', evalEvery: 3 });
      const whole = new Trainer(config);
      const cut = new Trainer(config);
      const resumed = new Trainer(config);
      try {
        await whole.runSteps(2);
        const tensors = tf.memory().numTensors;
        const later = (await whole.runSteps(4)).records.map((r) => r.trainLoss);
        expect(tf.memory().numTensors).toBe(tensors);
        await cut.runSteps(2);
        resumed.restoreCheckpoint(await cut.exportCheckpoint());
        expect((await resumed.runSteps(4)).records.map((r) => r.trainLoss)).toEqual(later);
      } finally {
        whole.dispose();
        cut.dispose();
        resumed.dispose();
      }
    },
    SLOW,
  );
});
