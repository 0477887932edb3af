/**
 * Soak: N classroom steps headless, as the worker runs them (chunks of one evaluation
 * interval, one readback each, a checkpoint of weights and Adam's moments at every
 * evaluation, the series kept in memory), to show that tensors stay flat and memory does not
 * creep. The first measurement is taken after a warm-up of 2 % of the steps (at least twice
 * GrokFast-MA's window): kernels compiled, pools and the MA history filled.
 *
 *   npm run bench:soak -- --steps 100000 --method adamw [--backend wasm]
 *
 * Prints progress to stderr and one JSON line last:
 * {"method":…,"steps":…,"numTensorsFirst":…,"numTensorsLast":…,"rssMiBFirst":…,"rssMiBLast":…,…}
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { METHOD_IDS, type MethodId } from '../src/config/fields';
import { presetById } from '../src/config/presets';
import { buildConfig } from '../src/config/schema';
import { isFiniteCheckpoint } from '../src/core/checkpoint';
import { appendRecords, emptySeries } from '../src/core/metrics';
import { activateBackend } from '../src/engine/backend';
import { Trainer } from '../src/engine/trainer';

const { values: args } = parseArgs({
  options: {
    steps: { type: 'string', default: '100000' },
    method: { type: 'string', default: 'adamw' },
    backend: { type: 'string', default: 'wasm' },
  },
});
const steps = Number(args.steps);
const method = args.method as MethodId;
if (!Number.isInteger(steps) || steps < 10) throw new Error(`--steps: ${args.steps} is not a whole number ≥ 10`);
if (!METHOD_IDS.includes(method)) throw new Error(`--method: ${method} is not one of ${METHOD_IDS.join(', ')}`);

await activateBackend(args.backend!);
// the classroom preset, run to N steps (a long soak goes far past grokking, as a left-open tab does)
const config = buildConfig(presetById('classroom')!.config, { method, steps });
const trainer = new Trainer(config);
const series = emptySeries();
const mib = () => process.memoryUsage().rss / 2 ** 20;
// past GrokFast-MA's window too (its history fills over the first maWindow steps)
const warmup = Math.min(steps, Math.ceil(Math.max(0.02 * steps, 2 * config.maWindow) / config.evalEvery) * config.evalEvery);
let first: { numTensors: number; rssMiB: number } | null = null;
/** RSS at a quarter of the run: with the last, it shows whether memory still climbs after warm-up. */
let quarterRss: number | null = null;
let maxRss = 0;
let lastLog = 0;
const start = performance.now();
while (trainer.stepCount < steps) {
  const n = Math.min(config.evalEvery - (trainer.stepCount % config.evalEvery), steps - trainer.stepCount);
  const result = await trainer.runSteps(n);
  appendRecords(series, result.records);
  if (result.divergedAt !== null) throw new Error(`diverged at step ${result.divergedAt}`);
  if (trainer.stepCount % config.evalEvery === 0) {
    const checkpoint = {
      step: trainer.stepCount,
      params: await trainer.exportParameters(),
      optimizer: await trainer.optimizer.exportState(),
    };
    if (!isFiniteCheckpoint(checkpoint)) throw new Error(`non-finite checkpoint at step ${trainer.stepCount}`);
  }
  if (first === null && trainer.stepCount >= warmup) first = { numTensors: tf.memory().numTensors, rssMiB: mib() };
  if (quarterRss === null && trainer.stepCount >= steps / 4) quarterRss = mib();
  maxRss = Math.max(maxRss, mib());
  if (performance.now() - lastLog > 10_000) {
    lastLog = performance.now();
    process.stderr.write(
      `step ${trainer.stepCount}/${steps} · tensors ${tf.memory().numTensors} · RSS ${mib().toFixed(0)} MiB · ${((performance.now() - start) / 1000).toFixed(0)} s\n`,
    );
  }
}
const last = { numTensors: tf.memory().numTensors, rssMiB: mib() };
const round = (x: number) => Math.round(x * 10) / 10;
console.log(
  JSON.stringify({
    method,
    steps,
    backend: tf.getBackend(),
    warmupSteps: warmup,
    numTensorsFirst: first!.numTensors,
    numTensorsLast: last.numTensors,
    rssMiBFirst: round(first!.rssMiB),
    rssMiBLast: round(last.rssMiB),
    rssMiBQuarter: round(quarterRss ?? mib()),
    rssMiBMax: round(maxRss),
    rssGrowthPercentAfterQuarter: round((100 * (last.rssMiB - (quarterRss ?? last.rssMiB))) / (quarterRss ?? last.rssMiB)),
    rssGrowthPercent: round((100 * (last.rssMiB - first!.rssMiB)) / first!.rssMiB),
    seconds: round((performance.now() - start) / 1000),
    finalValAcc: series.evals.valAcc.at(-1) ?? null,
  }),
);
trainer.dispose();
