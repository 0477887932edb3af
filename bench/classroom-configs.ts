/**
 * The classroom preset with one change at a time, over several seeds, headless on WASM
 * (XNNPACK; steps do not depend on the machine's load): for each seed, when the model memorized
 * (first evaluation with training-split accuracy ≥ 0.99, and validation accuracy then) and when
 * it grokked (val ≥ 0.95, where the run stops). docs/decisions.md, "The classroom run groks
 * sooner", has the table this printed.
 *
 *   npx tsx bench/classroom-configs.ts '{"lr 0.015":{"lr":0.015,"steps":800},"as is":{"steps":800}}' [0,1,2,3,4]
 */
import { chooseCliBackend } from '../src/cli/webgpu';
import { presetById } from '../src/config/presets';
import { buildConfig, type RunConfig } from '../src/config/schema';
import { runTraining } from '../src/engine/runner';

const variants = JSON.parse(process.argv[2] ?? '{"as is":{}}') as Record<string, Partial<RunConfig>>;
const seeds = (process.argv[3] ?? '0,1,2,3,4').split(',').map(Number);
const base = presetById('classroom')!.config;
await chooseCliBackend('wasm', buildConfig(base), () => {});
for (const [name, change] of Object.entries(variants)) {
  const cells: string[] = [];
  let seconds = 0;
  let steps = 0;
  for (const seed of seeds) {
    const r = await runTraining(buildConfig(base, { ...change, seed, backend: 'wasm' }), { stopWhen: { valAccuracy: 0.95 } });
    const e = r.series.evals;
    const m = e.trainFullAcc.findIndex((a) => a >= 0.99);
    const memorized = m < 0 ? `not in ${r.summary.steps}` : `${e.step[m]} (val ${e.valAcc[m]!.toFixed(2)})`;
    cells.push(`seed ${seed}: mem ${memorized} → grok ${r.summary.stepsTo95 ?? `not in ${r.summary.steps}`}`);
    seconds += r.summary.seconds;
    steps += r.summary.steps;
  }
  console.log(`${name} | ${cells.join(' | ')} | ${((1000 * seconds) / steps).toFixed(1)} ms/step (load-dependent)`);
}
