/**
 * Cost of an "Inside the model" snapshot against training, on the classroom preset (evalEvery
 * 10): trains in chunks of 10 steps (each ending on an evaluation step) and takes a snapshot
 * after each chunk, timing both. Prints a table, the phases by the rules of docs/inside.md,
 * and optionally writes the recorded series (--record FILE) for tests/fixtures.
 *
 *   npx tsx bench/inside-cost.ts [--task add] [--steps 600] [--preset classroom] [--backend wasm] [--record FILE]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { presetById } from '../src/config/presets';
import type { MethodId } from '../src/config/fields';
import { buildConfig } from '../src/config/schema';
import type { TaskId } from '../src/core/tasks';
import { grokkingDelay, phaseBands } from '../src/core/inside-phases';
import { activateBackend } from '../src/engine/backend';
import { computeInsideSnapshot } from '../src/engine/inside';
import { Trainer } from '../src/engine/trainer';

const { values: args } = parseArgs({
  options: {
    task: { type: 'string', default: 'add' },
    steps: { type: 'string', default: '600' },
    preset: { type: 'string', default: 'classroom' },
    backend: { type: 'string', default: 'wasm' },
    method: { type: 'string', default: 'adamw' },
    record: { type: 'string' },
  },
});

await activateBackend(args.backend!);
const preset = presetById(args.preset!)!.config;
const config = buildConfig(preset, { task: args.task as TaskId, method: args.method as MethodId, steps: Number(args.steps) });
const trainer = new Trainer(config);
const every = config.evalEvery;
const series = {
  step: [] as number[],
  trainAcc: [] as number[],
  valAcc: [] as number[],
  weightNorm: [] as number[],
  sparsity: [] as number[],
  restrictedLoss: [] as number[],
  excludedLoss: [] as number[],
  trainLoss: [] as number[],
};
let trainMs = 0;
let insideMs = 0;
const perSnapshot: number[] = [];
const tensorsBefore = tf.memory().numTensors;
// Warm-up (kernels, first-call compilation): one chunk and one snapshot, not timed.
await trainer.runSteps(1);
await computeInsideSnapshot(trainer);
while (trainer.stepCount < config.steps) {
  const n = Math.min(every - (trainer.stepCount % every), config.steps - trainer.stepCount);
  let t = performance.now();
  const { records } = await trainer.runSteps(n);
  trainMs += performance.now() - t;
  const last = records[records.length - 1]!;
  if (last.valAcc === undefined) continue;
  t = performance.now();
  const snap = await computeInsideSnapshot(trainer, { step: last.step, outerIsTraining: config.method !== 'neuralgrok' });
  const ms = performance.now() - t;
  insideMs += ms;
  perSnapshot.push(ms);
  series.step.push(last.step);
  series.trainAcc.push(last.trainFullAcc!);
  series.valAcc.push(last.valAcc);
  series.weightNorm.push(last.weightNorm!);
  series.sparsity.push(snap.spectrum.sparsity);
  series.restrictedLoss.push(snap.progress?.restrictedLoss ?? NaN);
  series.excludedLoss.push(snap.progress?.excludedLoss ?? NaN);
  series.trainLoss.push(snap.progress?.loss ?? NaN);
  if (series.step.length % 10 === 0) {
    const i = series.step.length - 1;
    console.error(
      `step ${last.step}: train ${series.trainAcc[i]!.toFixed(3)} val ${series.valAcc[i]!.toFixed(3)} ‖θ‖ ${series.weightNorm[i]!.toFixed(2)} sparsity ${snap.spectrum.sparsity.toFixed(3)} top ${[...snap.spectrum.top]} ` +
        `restricted ${series.restrictedLoss[i]!.toFixed(3)} excluded ${series.excludedLoss[i]!.toFixed(3)} loss ${series.trainLoss[i]!.toFixed(3)} snapshot ${ms.toFixed(1)} ms`,
    );
  }
}
const leaked = tf.memory().numTensors - tensorsBefore;
const sorted = [...perSnapshot].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)]!;
const steps = trainer.stepCount - 1;
console.log(
  `| ${args.preset} ${args.task} ${args.method} (${args.backend}) | steps | ms/step (training, evals included) | snapshots | median ms/snapshot | snapshot time / training time |`,
);
console.log(`|---|---|---|---|---|---|`);
console.log(
  `| | ${steps} | ${(trainMs / steps).toFixed(1)} | ${perSnapshot.length} | ${median.toFixed(1)} | ${((100 * insideMs) / trainMs).toFixed(1)} % |`,
);
console.log(
  `phases: ${phaseBands(series)
    .map((b) => `${b.phase} ${b.from}–${b.to}`)
    .join(', ')}; grokking delay ${grokkingDelay(series)}; tensors left over: ${leaked}`,
);
if (args.record)
  writeFileSync(
    args.record,
    JSON.stringify({ config: { preset: args.preset, task: args.task, method: args.method, seed: config.seed }, ...series }) + '\n',
  );
trainer.dispose();
