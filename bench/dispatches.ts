/**
 * WebGPU dispatches (compute passes) per training step: the machine-independent cost of a step
 * on a GPU, where a small model is bound by dispatches rather than arithmetic. Counted by
 * wrapping the backend's program recorder (src/engine/webgpu-kernels.ts `countWebGpuDispatches`),
 * with GrokLab's fused WebGPU kernels ("fused") and without them (tfjs ops only, "tf ops").
 *
 *   npx tsx bench/dispatches.ts [--models classroom,paper] [--cases adamw,pieces,chunked] [--batch 64] [--by-pass] [--list]
 *
 * --by-pass adds a column: the count with only the first pass's kernels (Adam, GELU and
 * LayerNorm backward), before the amplifier's and the softmax backward's.
 *
 * Runs on any WebGPU adapter, the SwiftShader software one included (slow there: minutes; a
 * smaller --batch speeds it up and leaves the counts as they are: every op runs once per step
 * whatever the batch).
 */
import { buildConfig, validateConfig, type RunConfig } from '../src/config/schema';
import { presetById } from '../src/config/presets';
import { Trainer } from '../src/engine/trainer';
import { countWebGpuDispatches, FIRST_PASS_KERNELS, installWebGpuKernels, uninstallWebGpuKernels } from '../src/engine/webgpu-kernels';
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
 * `fused: false` takes GrokLab's WebGPU kernels out for the count (the tf-op path); a list of
 * kernel names keeps only those.
 */
export async function countStepDispatches(config: RunConfig, opts: { fused?: boolean | readonly string[] } = {}): Promise<StepDispatches> {
  const fused = opts.fused ?? true;
  if (fused !== true) uninstallWebGpuKernels(fused === false ? [] : fused);
  try {
    const trainer = new Trainer(validateConfig({ ...config, evalEvery: 100_000 }));
    // The counted steps never evaluate (evalEvery 100 000); the warm-up's first step would
    // evaluate both full splits (9 409 rows on the paper model: many minutes on a software
    // adapter) and changes nothing the counted cycle runs, so it is skipped here.
    trainer.evaluateTensors = () => ({});
    try {
      const n = cycle(config);
      await trainer.runSteps(n);
      const { dispatches, reads, byProgram } = await countWebGpuDispatches(() => trainer.runSteps(n));
      return { perStep: dispatches / n, steps: n, reads, byProgram };
    } finally {
      trainer.dispose();
    }
  } finally {
    if (fused !== true) installWebGpuKernels();
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
  const byPass = args.includes('--by-pass');
  const gpu = await startNodeWebGpu({ allowSoftware: true });
  await verifyBackend('webgpu');
  console.log(`WebGPU adapter: ${adapterLabel(gpu)}\n`);
  const rows: (string | number)[][] = [];
  for (const model of models)
    for (const { key, label, config } of dispatchCases(model, batch)) {
      if (only && !only.includes(key)) continue;
      const before = await countStepDispatches(config, { fused: false });
      // --by-pass: also the count with only the first pass's kernels (Adam, GELU and LayerNorm backward)
      const first = byPass ? await countStepDispatches(config, { fused: FIRST_PASS_KERNELS }) : null;
      const after = await countStepDispatches(config);
      process.stderr.write(`${model} ${label}: ${[before, first, after].flatMap((r) => (r ? [r.perStep] : [])).join(' → ')}\n`);
      rows.push([model, label, before.perStep, ...(first ? [first.perStep] : []), after.perStep, after.reads]);
      if (args.includes('--list'))
        for (const [name, r] of [['tf ops', before], ...(first ? [['first pass', first] as const] : []), ['fused', after]] as const)
          console.log(
            `${model} ${label} (${name}): ` +
              Object.entries(r.byProgram)
                .sort((a, b) => b[1] - a[1])
                .map(([p, c]) => `${p} ${c}`)
                .join(', '),
          );
    }
  const header = [
    'model',
    'method',
    'dispatches/step, tf ops',
    ...(byPass ? ['Adam, GELU, LN fused'] : []),
    'dispatches/step, fused',
    'reads per chunk',
  ];
  console.log(markdownTable(header, rows));
  process.exit(0);
}
