/**
 * Kernel counts of one training step, from tfjs's profiler (`tf.profile` lists every kernel
 * the engine ran, gradients included). Small models are bound by per-kernel overhead
 * (≈ 20–60 µs per kernel on wasm), so the count is the figure to cut.
 *
 *   npx tsx bench/kernels.ts [--preset classroom|paper] [--method adamw] [--list]
 *   npx tsx bench/kernels.ts --preset paper --time     (where a training step's time goes:
 *                                                       kernel ms by kernel and input shapes)
 *   npx tsx bench/kernels.ts --preset paper --poly5 --method standard,neuralgrok --time [--blas]
 *                                                      (poly5's 4-layer model; --blas: OpenBLAS's matmul)
 */
import * as tf from '@tensorflow/tfjs';
import { buildConfig, type RunConfig } from '../src/config/schema';
import { presetById } from '../src/config/presets';
import { POLY5_SETUP } from '../src/paper/table1';
import { Trainer } from '../src/engine/trainer';
import { markdownTable } from './stats';

export interface KernelCount {
  /** Kernels of one training step without evaluation. */
  train: number;
  /** Kernels of one evaluation step (training step + validation, full-train split, norms, AGE). */
  evalStep: number;
  /** Average per step at the config's evaluation interval. */
  average: number;
  /** Kernel name → count, for the training step. */
  byName: Record<string, number>;
}

async function profileStep(trainer: Trainer): Promise<{ n: number; byName: Record<string, number> }> {
  let out: tf.Tensor | null = null;
  const info = await tf.profile(() => {
    out = trainer.step();
    return out;
  });
  (out as tf.Tensor | null)?.dispose();
  const byName: Record<string, number> = {};
  for (const k of info.kernels) byName[k.name] = (byName[k.name] ?? 0) + 1;
  return { n: info.kernels.length, byName };
}

/** Counts the kernels of the steps of a config (after two warm-up steps, so state exists). */
export async function countStepKernels(overrides: Partial<RunConfig>, preset = 'classroom'): Promise<KernelCount> {
  const config = buildConfig(presetById(preset)!.config, overrides);
  const trainer = new Trainer(config);
  try {
    // Step 1 is an evaluation step; step 2 a plain one; the state of every method exists after them.
    for (let i = 0; i < 2; i++) trainer.step().dispose();
    let train: { n: number; byName: Record<string, number> } | null = null;
    let evalStep: { n: number } | null = null;
    while (!train || !evalStep) {
      const next = trainer.stepCount + 1;
      const isEval = next % config.evalEvery === 0;
      if (isEval && !evalStep) evalStep = await profileStep(trainer);
      else if (!isEval && !train) train = await profileStep(trainer);
      else trainer.step().dispose();
    }
    const e = config.evalEvery;
    return { train: train.n, evalStep: evalStep.n, average: ((e - 1) * train.n + evalStep.n) / e, byName: train.byName };
  } finally {
    trainer.dispose();
  }
}

/**
 * Kernel time of training steps (no evaluation), by kernel name and input shapes: the median
 * over `steps` profiled steps after three warm-up steps. On wasm a kernel runs synchronously,
 * so tfjs's kernelTimeMs is its wall time.
 */
export async function timeStepKernels(
  overrides: Partial<RunConfig>,
  preset: string,
  steps = 5,
): Promise<{ wallMs: number; rows: { kernel: string; calls: number; ms: number }[] }> {
  const config = buildConfig(presetById(preset)!.config, { ...overrides, evalEvery: 100_000 });
  const trainer = new Trainer(config);
  try {
    for (let i = 0; i < 3; i++) trainer.step().dispose();
    const perStep: Map<string, { calls: number; ms: number }>[] = [];
    const walls: number[] = [];
    for (let s = 0; s < steps; s++) {
      let out: tf.Tensor | null = null;
      const t0 = performance.now();
      const info = await tf.profile(() => (out = trainer.step()));
      walls.push(performance.now() - t0);
      (out as tf.Tensor | null)?.dispose();
      const m = new Map<string, { calls: number; ms: number }>();
      for (const k of info.kernels) {
        const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
        const e = m.get(key) ?? { calls: 0, ms: 0 };
        e.calls++;
        e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
        m.set(key, e);
      }
      perStep.push(m);
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const rows = [...perStep[0]!.keys()].map((kernel) => ({
      kernel,
      calls: perStep[0]!.get(kernel)!.calls,
      ms: med(perStep.map((m) => m.get(kernel)?.ms ?? 0)),
    }));
    rows.sort((a, b) => b.ms - a.ms);
    return { wallMs: med(walls), rows };
  } finally {
    trainer.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { activateBackend } = await import('../src/engine/backend');
  await activateBackend('wasm');
  const args = process.argv.slice(2);
  if (args.includes('--blas')) {
    const blas = await import('../src/cli/blas-matmul');
    blas.chooseBlasKernels(); // as the CLI does
    blas.installBlasMatMul(1);
  }
  const preset = args.includes('--preset') ? args[args.indexOf('--preset') + 1]! : 'classroom';
  const methods = args.includes('--method') ? args[args.indexOf('--method') + 1]!.split(',') : ['adamw'];
  // --poly5: a·c + b·d − e on the paper's poly5 setup, NeuralGrok as the authors run it there (src/paper/table1.ts)
  const poly5 = (method: string): Partial<RunConfig> =>
    args.includes('--poly5') ? { task: 'poly5', ...POLY5_SETUP.model, ...(method === 'neuralgrok' ? POLY5_SETUP.neuralgrok : {}) } : {};
  if (args.includes('--time')) {
    for (const method of methods) {
      const { wallMs, rows } = await timeStepKernels({ method: method as RunConfig['method'], ...poly5(method) }, preset);
      const total = rows.reduce((a, r) => a + r.ms, 0);
      const matmul = rows.filter((r) => r.kernel.startsWith('BatchMatMul')).reduce((a, r) => a + r.ms, 0);
      const f = (x: number) => x.toFixed(2);
      console.log(
        `\n${preset} ${method} on ${tf.getBackend()}: ${f(wallMs)} ms per profiled training step, ${f(total)} ms in kernels, of which matmuls ${f(matmul)} ms (${((100 * matmul) / total).toFixed(0)}%); median of 5 steps\n`,
      );
      console.log(
        markdownTable(
          ['kernel [input shapes]', 'calls', 'ms', 'share'],
          rows.slice(0, 25).map((r) => [r.kernel, r.calls, f(r.ms), `${((100 * r.ms) / total).toFixed(1)}%`]),
        ),
      );
    }
    process.exit(0);
  }
  for (const method of methods) {
    const k = await countStepKernels({ method: method as RunConfig['method'] }, preset);
    console.log(
      `${preset} ${method}: ${k.train} kernels per training step, ${k.evalStep} per evaluation step, ${k.average.toFixed(1)} per step on average`,
    );
    if (args.includes('--list'))
      console.log(
        Object.entries(k.byName)
          .sort((a, b) => b[1] - a[1])
          .map(([n, c]) => `  ${n} ${c}`)
          .join('\n'),
      );
  }
}
