/**
 * The start-up self-test and the timing that `auto` uses, shared by the browser's worker
 * (src/worker/backends.ts) and the CLI (src/cli/webgpu.ts): the same two steps of a tiny model
 * on the candidate backend and on the CPU backend, compared by `selfTestError`
 * (src/core/backend-choice.ts). WebGPU drivers have shipped wrong results; this catches them.
 */
import * as tf from '@tensorflow/tfjs';
import { buildConfig, type ValidConfig } from '../config/schema';
import { CLASSROOM_CONFIG } from '../config/presets';
import { Trainer } from './trainer';

/**
 * Two training steps of a tiny model (every kernel a real step uses: one-hot matmuls,
 * attention, LayerNorm, GELU, gradients, the flat Adam update, the metrics) whose numbers
 * must match the CPU backend's. Read back with `await data()`, as training does.
 */
export async function selfTestValues(): Promise<number[]> {
  const trainer = new Trainer(buildConfig(CLASSROOM_CONFIG, { p: 5, dModel: 8, heads: 2, batchSize: 8, evalEvery: 2, method: 'adamw' }));
  try {
    const { records } = await trainer.runSteps(2);
    return records.flatMap((r) => [r.trainLoss!, r.valLoss ?? 0, r.weightNorm ?? 0, r.ageApplied ?? 0]);
  } finally {
    trainer.dispose();
  }
}

/** The self-test's values on the CPU backend; leaves the CPU backend active. */
export async function cpuSelfTestValues(): Promise<number[]> {
  if (!(await tf.setBackend('cpu'))) throw new Error('the CPU backend (the self-test reference) did not start');
  await tf.ready();
  return selfTestValues();
}

/**
 * ms per step of the actual config on the active backend: one warm-up step (the first, with
 * its evaluation and shader compiles), then a few timed steps, fewer when a step is slow.
 */
export async function timeConfig(config: ValidConfig): Promise<number> {
  const trainer = new Trainer(config);
  try {
    const w0 = performance.now();
    await trainer.runSteps(1);
    const warm = performance.now() - w0;
    const n = Math.max(1, Math.min(5, Math.round(800 / Math.max(warm, 1))));
    const t0 = performance.now();
    await trainer.runSteps(n);
    return (performance.now() - t0) / n;
  } finally {
    trainer.dispose();
  }
}
