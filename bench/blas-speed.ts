/**
 * XNNPACK (tfjs-wasm's own matmul) against OpenBLAS (GROKLAB_BLAS=1, native/README.md) on the
 * engine's real steps, in Node: ms per training step (no evaluation), the median of timed
 * chunks after warm-up, with the matmuls swapped back and forth round by round so that both
 * see the same machine load. Ratios are per round, then their median.
 *
 *   npx tsx bench/blas-speed.ts [--rounds 3] [--steps 6] [--threads 1,2] [--only poly5]
 *   npm run bench:blas
 *
 * Needs the addon (bash scripts/build-blas.sh). The last stdout line is one JSON object.
 */
import { activateBackend } from '../src/engine/backend';
import { buildConfig, type RunConfig, type ValidConfig } from '../src/config/schema';
import { presetById } from '../src/config/presets';
import { POLY5_SETUP } from '../src/paper/table1';
import { Trainer } from '../src/engine/trainer';
import { setWasmMatMul } from '../src/engine/wasm-kernels';
import { chooseBlasKernels, installBlasMatMul, loadBlasAddon } from '../src/cli/blas-matmul';

// as the CLI does: OpenBLAS picks its own kernels in this process (src/cli/blas-matmul.ts)
chooseBlasKernels();
import { median, markdownTable } from './stats';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1]! : fallback);
const ROUNDS = Number(opt('--rounds', '3'));
const STEPS = Number(opt('--steps', '6'));
const THREADS = opt('--threads', '1,2').split(',').map(Number);
const ONLY = opt('--only', '');

const POLY5 = { task: 'poly5' as const, ...POLY5_SETUP.model };
const NG = POLY5_SETUP.neuralgrok;
const ALL: { name: string; preset: string; overrides: Partial<RunConfig> }[] = [
  { name: 'classroom AdamW', preset: 'classroom', overrides: { method: 'adamw' } },
  { name: 'paper AdamW', preset: 'paper', overrides: { method: 'adamw' } },
  { name: 'paper NeuralGrok 128,128 (T 4)', preset: 'paper', overrides: { method: 'neuralgrok' } },
  { name: 'poly5 Standard', preset: 'paper', overrides: { ...POLY5, method: 'standard' } },
  { name: `poly5 NeuralGrok [${NG.ngHidden}] (T ${NG.ngEvery})`, preset: 'paper', overrides: { ...POLY5, method: 'neuralgrok', ...NG } },
];
const CONFIGS = ALL.filter((c) => c.name.includes(ONLY));

/** ms per training step: `warmup` steps, then `STEPS` timed steps one by one. */
async function msPerStep(config: ValidConfig, warmup: number): Promise<number> {
  const trainer = new Trainer(config);
  try {
    await trainer.runSteps(warmup);
    const times: number[] = [];
    for (let i = 0; i < STEPS; i++) {
      const t0 = performance.now();
      await trainer.runSteps(1);
      times.push(performance.now() - t0);
    }
    return median(times);
  } finally {
    trainer.dispose();
  }
}

if (!loadBlasAddon()) {
  console.error('the OpenBLAS addon is not built: bash scripts/build-blas.sh');
  process.exit(1);
}
await activateBackend('wasm');
const arms = ['xnnpack', ...THREADS.map((t) => `openblas ×${t}`)];
const times = new Map<string, number[][]>(CONFIGS.map((c) => [c.name, arms.map(() => [])]));
let core = '';
for (let round = 0; round < ROUNDS; round++) {
  for (const c of CONFIGS) {
    const config = buildConfig(presetById(c.preset)!.config, { ...c.overrides, evalEvery: 100_000, steps: 100_000 });
    // Four warm-up steps: every method's state exists after them (NeuralGrok's meta step runs every T ≤ 4).
    // GrokFast-MA is left out: its step is Standard's plus a pass over its window's running sum.
    const warmup = 4;
    const line: string[] = [];
    for (let a = 0; a < arms.length; a++) {
      if (a === 0) setWasmMatMul(null);
      else core = installBlasMatMul(THREADS[a - 1]!).core;
      const ms = await msPerStep(config, warmup);
      times.get(c.name)![a]!.push(ms);
      line.push(`${arms[a]} ${ms.toFixed(0)} ms`);
    }
    console.error(`round ${round + 1}/${ROUNDS}: ${c.name}: ${line.join(', ')}`);
  }
}
setWasmMatMul(null);

const rows = CONFIGS.map((c) => {
  const t = times.get(c.name)!;
  const ratios = t.slice(1).map((arm) => median(arm.map((ms, r) => t[0]![r]! / ms)));
  return [c.name, ...t.map((arm) => median(arm).toFixed(0)), ...ratios.map((r) => `${r.toFixed(2)}×`)];
});
console.log(
  `\nms per training step (no evaluation), wasm backend in Node, median of ${ROUNDS} rounds × ${STEPS} steps; OpenBLAS core ${core}; speed-up = median per-round XNNPACK / OpenBLAS\n`,
);
console.log(markdownTable(['configuration', ...arms.map((a) => `${a} ms`), ...THREADS.map((t) => `speed-up ×${t}`)], rows));
console.log(
  JSON.stringify({
    core,
    rounds: ROUNDS,
    steps: STEPS,
    arms,
    results: Object.fromEntries(CONFIGS.map((c) => [c.name, times.get(c.name)])),
  }),
);
