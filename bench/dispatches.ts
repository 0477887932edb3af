/**
 * WebGPU dispatches (compute passes) per training step: the machine-independent cost of a step
 * on a GPU, where a small model is bound by dispatches rather than arithmetic. Counted by
 * wrapping the backend's program recorder (src/engine/webgpu-kernels.ts `countWebGpuDispatches`),
 * with GrokLab's fused WebGPU kernels ("fused") and without them (tfjs ops only, "tf ops").
 *
 *   npx tsx bench/dispatches.ts [--models classroom,paper] [--cases adamw,pieces,chunked] [--batch 64] [--list]
 *
 * Runs on any WebGPU adapter, the SwiftShader software one included (slow there: minutes; a
 * smaller --batch speeds it up and leaves the counts as they are: every op runs once per step
 * whatever the batch).
 */
import { buildConfig, type RunConfig } from '../src/config/schema';
import { presetById } from '../src/config/presets';
import { Trainer } from '../src/engine/trainer';
import { countWebGpuDispatches, installWebGpuKernels, uninstallWebGpuKernels } from '../src/engine/webgpu-kernels';
import { markdownTable } from './stats';

export interface StepDispatches {
  /** Dispatches per training step, averaged over one whole cycle (NeuralGrok: T steps, the meta step included). */
  perStep: number;
  /** Steps counted (one chunk, read back once). */
  steps: number;
  /** Reads back to the CPU in that chunk. */
  reads: number;
  /** Dispatches by program class over the counted steps. */
  byProgram: Record<string, number>;
}

const cycle = (c: RunConfig) => (c.method === 'neuralgrok' ? c.ngEvery : 1);

/**
 * Counts the dispatches of a config's training steps on the active WebGPU backend: one cycle
 * of warm-up (the first step evaluates; NeuralGrok's first meta step), then one cycle run as
 * one chunk (`Trainer.runSteps`, its metrics read back once), without evaluation steps.
 * `fused: false` takes GrokLab's WebGPU kernels out for the count (the tf-op path).
 */
export async function countStepDispatches(config: RunConfig, opts: { fused?: boolean } = {}): Promise<StepDispatches> {
  const fused = opts.fused ?? true;
  if (!fused) uninstallWebGpuKernels();
  try {
    const trainer = new Trainer({ ...config, evalEvery: 100_000 });
    try {
      const n = cycle(config);
      await trainer.runSteps(n);
      const { dispatches, reads, byProgram } = await countWebGpuDispatches(() => trainer.runSteps(n));
      return { perStep: dispatches / n, steps: n, reads, byProgram };
    } finally {
      trainer.dispose();
    }
  } finally {
    if (!fused) installWebGpuKernels();
  }
}

/** The configs the table counts: a model × AdamW and NeuralGrok on each amplifier path. */
export function dispatchCases(model: 'classroom' | 'paper', batchSize?: number): { key: string; label: string; config: RunConfig }[] {
  const base = presetById(model)!.config;
  const make = (o: Partial<RunConfig>) => buildConfig(base, { ...o, ...(batchSize && { batchSize }) });
  return [
    { key: 'adamw', label: 'AdamW', config: make({ method: 'adamw' }) },
    // one hidden layer of 8: the table of pieces on the device; three: the chunked MLP (T = 2: a meta step in every cycle)
    { key: 'pieces', label: 'NeuralGrok [8], pieces, T=2', config: make({ method: 'neuralgrok', ngHidden: [8], ngEvery: 2 }) },
    { key: 'chunked', label: 'NeuralGrok [8,8,8], chunked, T=2', config: make({ method: 'neuralgrok', ngHidden: [8, 8, 8], ngEvery: 2 }) },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { startNodeWebGpu, adapterLabel, verifyBackend } = await import('../src/cli/webgpu');
  const args = process.argv.slice(2);
  const models = (args.includes('--models') ? args[args.indexOf('--models') + 1]! : 'classroom,paper').split(',') as (
    'classroom' | 'paper'
  )[];
  const batch = args.includes('--batch') ? Number(args[args.indexOf('--batch') + 1]) : undefined;
  // --cases adamw,pieces,chunked: only those rows (each a separate, slow count on a software adapter)
  const only = args.includes('--cases') ? args[args.indexOf('--cases') + 1]!.split(',') : null;
  const gpu = await startNodeWebGpu({ allowSoftware: true });
  await verifyBackend('webgpu');
  console.log(`WebGPU adapter: ${adapterLabel(gpu)}\n`);
  const rows: (string | number)[][] = [];
  for (const model of models)
    for (const { key, label, config } of dispatchCases(model, batch)) {
      if (only && !only.includes(key)) continue;
      const before = await countStepDispatches(config, { fused: false });
      const after = await countStepDispatches(config);
      process.stderr.write(`${model} ${label}: ${before.perStep} → ${after.perStep}\n`);
      rows.push([model, label, before.perStep, after.perStep, after.reads]);
      if (args.includes('--list'))
        for (const [name, r] of [
          ['tf ops', before],
          ['fused', after],
        ] as const)
          console.log(
            `${model} ${label} (${name}): ` +
              Object.entries(r.byProgram)
                .sort((a, b) => b[1] - a[1])
                .map(([p, c]) => `${p} ${c}`)
                .join(', '),
          );
    }
  console.log(markdownTable(['model', 'method', 'dispatches/step, tf ops', 'dispatches/step, fused', 'reads per chunk'], rows));
  process.exit(0);
}
