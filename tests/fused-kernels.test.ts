/**
 * The fused-kernel hook (src/engine/fused.ts) without a GPU: a backend that registers a kernel
 * under a fused name gets it, every other backend keeps its tf ops. Here the CPU backend is
 * given a fused Adam written in JavaScript, so the optimizer's packed [m | v | θ] state, its
 * checkpoints and θ's refresh after a restore are tested where no WebGPU adapter exists
 * (the WebGPU programs themselves: webgpu-fused.test.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { afterAll, describe, expect, it } from 'vitest';
import { CLASSROOM_CONFIG } from '../src/config/presets';
import { buildConfig, type RunConfig, type ValidConfig } from '../src/config/schema';
import { activateBackend } from '../src/engine/backend';
import { FUSED_ADAM_KERNEL, hasFusedKernel, type FusedAdamAttrs } from '../src/engine/fused';
import { Trainer } from '../src/engine/trainer';

let calls = 0;

/**
 * Adam on [m | v | θ] (the contract in fused.ts) with every operation rounded to float32 in the
 * tf-op path's order, as the CPU backend rounds each op's output: so the two paths agree bit for bit.
 */
const cpuFusedAdam: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  calls++;
  const f = Math.fround;
  const cpu = backend as MathBackendCPU;
  const read = (t: tf.TensorInfo) => cpu.data.get(t.dataId)!.values as Float32Array;
  const { state, grad, mask } = inputs as { state: tf.TensorInfo; grad: tf.TensorInfo; mask?: tf.TensorInfo };
  const a = attrs as unknown as FusedAdamAttrs;
  const [S, G, D] = [read(state), read(grad), mask ? read(mask) : null];
  const masked = (x: number, i: number) => (D ? f(x * D[i]!) : x);
  const n = G.length;
  const out = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    const theta = S[2 * n + i]!;
    let g = G[i]!;
    if (a.coupledWd !== 0) g = f(g + masked(f(theta * f(a.coupledWd)), i));
    const m = f(f(S[i]! * f(a.beta1)) + f(g * f(1 - a.beta1)));
    const v = f(f(S[n + i]! * f(a.beta2)) + f(f(g * g) * f(1 - a.beta2)));
    const update = f(f(m * f(a.stepSize)) / f(f(f(Math.sqrt(v)) / f(a.sqrtBc2)) + f(a.eps)));
    const decayed = a.decoupledWd !== 0 ? f(theta - masked(f(theta * f(a.decoupledWd)), i)) : theta;
    out[i] = m;
    out[n + i] = v;
    out[2 * n + i] = f(decayed - update);
  }
  return cpu.makeTensorInfo([3 * n], 'float32', out);
};

const register = () => tf.registerKernel({ kernelName: FUSED_ADAM_KERNEL, backendName: 'cpu', kernelFunc: cpuFusedAdam });
const unregister = () => tf.unregisterKernel(FUSED_ADAM_KERNEL, 'cpu');

afterAll(async () => {
  if (tf.getKernel(FUSED_ADAM_KERNEL, 'cpu')) unregister();
  await activateBackend('wasm');
});

const small = (overrides: Partial<RunConfig>) => buildConfig(CLASSROOM_CONFIG, { p: 11, batchSize: 32, evalEvery: 3, ...overrides });

async function train(config: ValidConfig, steps: number): Promise<{ losses: number[]; theta: number[] }> {
  const trainer = new Trainer(config);
  try {
    const { records } = await trainer.runSteps(steps);
    return { losses: records.map((r) => r.trainLoss!), theta: Object.values(await trainer.exportParameters()).flatMap((a) => [...a]) };
  } finally {
    trainer.dispose();
  }
}

describe('fused kernels through the registry (CPU backend, a JavaScript fused Adam)', () => {
  it('only the backend that registered the kernel has it', async () => {
    await activateBackend('cpu');
    register();
    try {
      expect(hasFusedKernel(FUSED_ADAM_KERNEL)).toBe(true);
      await activateBackend('wasm');
      expect(hasFusedKernel(FUSED_ADAM_KERNEL)).toBe(false);
    } finally {
      unregister();
    }
  });

  it.each([
    ['adamw (decoupled decay, warm-up)', { method: 'adamw' }],
    ['standard (coupled decay)', { method: 'standard' }],
    ['adamw, biases and LayerNorm exempt from decay', { method: 'adamw', decayAll: false }],
    ['neuralgrok (its meta optimizer fused too)', { method: 'neuralgrok', ngHidden: [4], ngEvery: 2 }],
  ] as [string, Partial<RunConfig>][])('%s: training with the fused update equals the tf ops bit for bit', async (_, overrides) => {
    await activateBackend('cpu');
    const config = small(overrides);
    const ops = await train(config, 6);
    register();
    try {
      calls = 0;
      const fused = await train(config, 6);
      expect(calls).toBeGreaterThanOrEqual(6);
      expect(fused.losses).toEqual(ops.losses);
      expect(fused.theta).toEqual(ops.theta);
    } finally {
      unregister();
    }
  });

  it('packed state: tensors stay flat, a checkpoint resumes bit for bit, and its moments equal the tf-op run’s', async () => {
    await activateBackend('cpu');
    const config = small({ method: 'adamw' });
    const opsCut = new Trainer(config);
    await opsCut.runSteps(3);
    const opsState = await opsCut.exportCheckpoint();
    opsCut.dispose();
    register();
    const whole = new Trainer(config);
    const cut = new Trainer(config);
    const resumed = new Trainer(config);
    try {
      await whole.runSteps(3);
      const tensors = tf.memory().numTensors;
      const later = (await whole.runSteps(4)).records.map((r) => r.trainLoss);
      expect(tf.memory().numTensors).toBe(tensors);
      await cut.runSteps(3);
      const state = await cut.exportCheckpoint();
      expect(state.optimizer!.m).toEqual(opsState.optimizer!.m);
      expect(state.optimizer!.v).toEqual(opsState.optimizer!.v);
      resumed.restoreCheckpoint(state);
      expect((await resumed.runSteps(4)).records.map((r) => r.trainLoss)).toEqual(later);
    } finally {
      whole.dispose();
      cut.dispose();
      resumed.dispose();
      unregister();
    }
  });
});
