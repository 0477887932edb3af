/**
 * One command for a machine with a GPU: ms per training step on WebGPU and on WASM side by side,
 * WebGPU dispatches (compute passes) per step with GrokLab's fused WebGPU kernels and with tfjs's
 * ops only (bench/dispatches.ts), reads back per chunk, for the classroom, paper and poly5
 * models × AdamW and NeuralGrok, the paper preset's time to val ≥ 0.95 (AdamW wd 1, seed 0) on
 * each backend, and the adapter. The last stdout line is one JSON object.
 *
 *   npm run bench:gpu [-- --quick] [--steps 8] [--no-time-to-grok]
 *   dist-gpu/groklab bench-gpu [--quick]          (the packed copy: scripts/pack-gpu.sh)
 *
 * `--quick`: the classroom model only, at batch 64 (NeuralGrok: amplifier 8, T = 2), a few steps,
 * no time-to-grok: it runs on the SwiftShader software adapter (a test checks its JSON). Without a
 * GPU the full command takes hours.
 */
import { buildConfig, type RunConfig, type ValidConfig } from '../src/config/schema';
import { PRESETS } from '../src/config/presets';
import { activateBackend } from '../src/engine/backend';
import { runTraining } from '../src/engine/runner';
import { STOP_WHEN_GROKKED } from '../src/core/stop-rule';
import { Trainer } from '../src/engine/trainer';
import { adapterLabel, startNodeWebGpu, verifyBackend } from '../src/cli/webgpu';
import { countWebGpuDispatches } from '../src/engine/webgpu-kernels';
import { countStepDispatches } from './dispatches';
import { markdownTable } from './stats';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const opt = (name: string, fallback: number) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : fallback);
const timeToGrok = !quick && !args.includes('--no-time-to-grok');
const log = (s: string) => process.stderr.write(s + '\n');

const preset = (id: string) => PRESETS.find((p) => p.id === id)!.config;
interface Case {
  model: string;
  method: 'adamw' | 'neuralgrok';
  config: ValidConfig;
}
// NeuralGrok at T = 4 (the default; poly5's preset has T = 1): steps are timed in whole T cycles.
const models: { model: string; base: Partial<RunConfig> }[] = [
  { model: 'classroom', base: preset('classroom') },
  ...(quick
    ? []
    : [
        { model: 'paper', base: preset('paper') },
        { model: 'poly5', base: { ...preset('neuralgrok-poly5'), method: 'adamw' as const } },
      ]),
];
const cases: Case[] = models.flatMap(({ model, base }) =>
  (['adamw', 'neuralgrok'] as const).map((method) => ({
    model,
    method,
    config: buildConfig(base, {
      method,
      evalEvery: 100_000,
      ...(method === 'neuralgrok' && model !== 'poly5' && { ngEvery: 4 }),
      // --quick: small enough for a software adapter (SwiftShader) in minutes
      ...(quick && { batchSize: 64, ...(method === 'neuralgrok' && { ngHidden: [8], ngEvery: 2 }) }),
    }),
  })),
);
const cycle = (c: RunConfig) => (c.method === 'neuralgrok' ? c.ngEvery : 1);
const timedSteps = (c: RunConfig) => Math.max(cycle(c), Math.ceil(opt('steps', quick ? 2 : 8) / cycle(c)) * cycle(c));

interface Measured {
  msPerStep: number;
  /** WebGPU dispatches per step with GrokLab's fused kernels (src/engine/webgpu-kernels.ts) … */
  dispatchesPerStep: number | null;
  /** … and with tfjs's own kernels only */
  opsDispatchesPerStep: number | null;
  readsPerChunk: number | null;
}

/** One warm-up cycle (shader compiles, first evaluation), then the timed steps read back as one chunk. */
async function measure(c: ValidConfig, backendName: 'webgpu' | 'wasm'): Promise<Measured> {
  await activateBackend(backendName);
  const trainer = new Trainer(c);
  try {
    await trainer.runSteps(cycle(c));
    const n = timedSteps(c);
    if (backendName !== 'webgpu') {
      const t0 = performance.now();
      await trainer.runSteps(n);
      return { msPerStep: (performance.now() - t0) / n, dispatchesPerStep: null, opsDispatchesPerStep: null, readsPerChunk: null };
    }
    const t0 = performance.now();
    const { dispatches, reads } = await countWebGpuDispatches(() => trainer.runSteps(n));
    const msPerStep = (performance.now() - t0) / n;
    // the same steps without GrokLab's WebGPU kernels (tf ops only): what the fused kernels save
    const opsOnly = await countStepDispatches(c, { fused: false });
    return { msPerStep, dispatchesPerStep: dispatches / n, opsDispatchesPerStep: opsOnly.perStep, readsPerChunk: reads };
  } finally {
    trainer.dispose();
  }
}

async function stepsTo95(backendName: 'webgpu' | 'wasm'): Promise<{ step: number | null; seconds: number }> {
  await activateBackend(backendName);
  const config = buildConfig(preset('paper'), { seed: 0, steps: 20_000 });
  const r = await runTraining(config, { stopWhen: STOP_WHEN_GROKKED });
  return { step: r.summary.stepsTo95, seconds: r.summary.seconds };
}

const gpu = await startNodeWebGpu({ allowSoftware: true });
log(`WebGPU adapter: ${adapterLabel(gpu)}${gpu.icd ? ` (VK_ICD_FILENAMES=${gpu.icd})` : ''}`);
if (gpu.software && !quick) log('a software adapter: the full table takes hours here; --quick measures the classroom model only');
await verifyBackend('webgpu');
log('self-test against the CPU backend: passed');

const rows: (Case & { webgpu: Measured; wasm: Measured })[] = [];
for (const c of cases) {
  log(`${c.model} ${c.method}: ${timedSteps(c.config)} timed steps on each backend …`);
  const webgpu = await measure(c.config, 'webgpu');
  const wasm = await measure(c.config, 'wasm');
  log(
    `  WebGPU ${webgpu.msPerStep.toFixed(0)} ms/step (${webgpu.dispatchesPerStep?.toFixed(0)} dispatches; ${webgpu.opsDispatchesPerStep?.toFixed(0)} with tf ops only), WASM ${wasm.msPerStep.toFixed(0)} ms/step`,
  );
  rows.push({ ...c, webgpu, wasm });
}
const grok = timeToGrok ? { webgpu: await stepsTo95('webgpu'), wasm: await stepsTo95('wasm') } : null;

const f = (x: number | null, d = 1) => (x === null ? '–' : x.toFixed(d));
console.log(`WebGPU adapter: ${adapterLabel(gpu)}\n`);
console.log(
  markdownTable(
    [
      'model',
      'method',
      'WebGPU ms/step',
      'WASM ms/step',
      'WASM / WebGPU',
      'dispatches/step',
      'dispatches/step, tf ops only',
      'reads per chunk',
    ],
    rows.map((r) => [
      r.model,
      r.method === 'adamw' ? 'AdamW' : `NeuralGrok T=${r.config.ngEvery}`,
      f(r.webgpu.msPerStep),
      f(r.wasm.msPerStep),
      (r.wasm.msPerStep / r.webgpu.msPerStep).toFixed(2),
      f(r.webgpu.dispatchesPerStep),
      f(r.webgpu.opsDispatchesPerStep),
      f(r.webgpu.readsPerChunk, 0),
    ]),
  ),
);
if (grok)
  console.log(
    `\npaper preset (a + b mod 97, AdamW wd 1, seed 0) to val ≥ 0.95: WebGPU step ${grok.webgpu.step ?? '–'} in ${grok.webgpu.seconds.toFixed(0)} s, WASM step ${grok.wasm.step ?? '–'} in ${grok.wasm.seconds.toFixed(0)} s`,
  );
console.log(
  JSON.stringify({
    adapter: gpu.adapter,
    softwareAdapter: gpu.software,
    quick,
    rows: rows.map((r) => ({
      model: r.model,
      method: r.method,
      batchSize: r.config.batchSize,
      ngHidden: r.method === 'neuralgrok' ? r.config.ngHidden : undefined,
      steps: timedSteps(r.config),
      webgpuMsPerStep: r.webgpu.msPerStep,
      wasmMsPerStep: r.wasm.msPerStep,
      dispatchesPerStep: r.webgpu.dispatchesPerStep,
      opsDispatchesPerStep: r.webgpu.opsDispatchesPerStep,
      readsPerChunk: r.webgpu.readsPerChunk,
    })),
    paperTo95: grok,
  }),
);
