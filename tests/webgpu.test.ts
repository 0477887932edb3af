/**
 * WebGPU in Node (src/cli/webgpu.ts) on the SwiftShader software adapter that Debian's chromium
 * ships (`bash scripts/ensure-chromium.sh`; `npm test` runs it first): a few steps of the
 * classroom model per method equal WASM's losses, NeuralGrok through a meta step on both
 * amplifier paths, and the self-test refuses a backend that disagrees with the CPU (bench:gpu:
 * webgpu-bench.test.ts; the packed folder: webgpu-pack.test.ts). Without an adapter these fail, saying why.
 * The classroom model at p = 11 and batch 32: a software adapter compiles every shader on the CPU.
 */
import * as tf from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLASSROOM_CONFIG } from '../src/config/presets';
import { METHOD_IDS } from '../src/config/fields';
import { buildConfig, type RunConfig, type ValidConfig } from '../src/config/schema';
import { activateBackend } from '../src/engine/backend';
import { Trainer } from '../src/engine/trainer';
import { startNodeWebGpu, verifyBackend, type NodeWebGpu } from '../src/cli/webgpu';

const STEPS = 2; // NeuralGrok at T = 2 takes its meta step at step 2
let gpu: NodeWebGpu;

beforeAll(async () => {
  gpu = await startNodeWebGpu({ allowSoftware: true });
});

async function losses(backend: string, config: ValidConfig): Promise<number[]> {
  await activateBackend(backend);
  const trainer = new Trainer(config);
  try {
    const { records } = await trainer.runSteps(STEPS);
    return records.map((r) => r.trainLoss!);
  } finally {
    trainer.dispose();
  }
}

const relative = (a: number[], b: number[]) => Math.max(...a.map((x, i) => Math.abs(x - b[i]!) / Math.abs(b[i]!)));
const small = (overrides: Partial<RunConfig>) => buildConfig(CLASSROOM_CONFIG, { p: 11, batchSize: 32, evalEvery: 2, ...overrides });

describe('WebGPU in Node (SwiftShader)', () => {
  it('finds the software adapter and says it is one', () => {
    expect(gpu.adapter).toMatch(/swiftshader/i);
    expect(gpu.software).toBe(true);
  });

  // NeuralGrok at T = 2 takes a meta step at step 2; one hidden layer evaluates the amplifier as
  // a table of pieces on the device, three hidden layers as the chunked MLP.
  const cases: [string, Partial<RunConfig>][] = [
    ...METHOD_IDS.filter((m) => m !== 'neuralgrok').map((m): [string, Partial<RunConfig>] => [m, { method: m }]),
    ['neuralgrok (pieces path, meta step)', { method: 'neuralgrok', ngHidden: [4], ngEvery: 2 }],
    ['neuralgrok (chunked path, meta step)', { method: 'neuralgrok', ngHidden: [4, 4, 4], ngEvery: 2 }],
  ];
  it.each(cases)('%s: the first steps’ losses equal WASM’s within 1e-3 relative', async (_, overrides) => {
    const config = small(overrides);
    const onWasm = await losses('wasm', config);
    const onGpu = await losses('webgpu', config);
    expect(onGpu.every(Number.isFinite)).toBe(true);
    expect(relative(onGpu, onWasm)).toBeLessThan(1e-3);
  });

  it('the start-up self-test passes WebGPU and refuses a backend that disagrees with the CPU', async () => {
    await expect(verifyBackend('webgpu')).resolves.toBeUndefined();
    // the CPU backend with its matmul 1 % off: a driver that computes wrong
    tf.registerBackend('wrong-matmul', () => new MathBackendCPU());
    for (const k of tf.getKernelsForBackend('cpu')) {
      const kernelFunc: tf.KernelFunc =
        k.kernelName === 'BatchMatMul'
          ? (args) => {
              const out = k.kernelFunc(args) as tf.TensorInfo;
              const values = (args.backend as MathBackendCPU).data.get(out.dataId)!.values as Float32Array;
              for (let i = 0; i < values.length; i++) values[i]! *= 1.01;
              return out;
            }
          : k.kernelFunc;
      tf.registerKernel({ ...k, backendName: 'wrong-matmul', kernelFunc });
    }
    await expect(verifyBackend('wrong-matmul')).rejects.toThrow(
      /wrong-matmul failed the start-up self-test: .* differ from the CPU backend/,
    );
    await activateBackend('wasm');
  });
});
