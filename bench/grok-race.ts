/**
 * The comparison table: tasks × methods × seeds, headless, each run stopped once validation
 * accuracy reaches 0.99 (or at the step budget). Writes a markdown section and one SVG plot of
 * validation-accuracy curves per task into docs/.
 *
 *   npx tsx bench/grok-race.ts --preset classroom --tasks add,mul,sq_sub --methods all --seeds 0,1,2 --steps 1500
 *   npx tsx bench/grok-race.ts --preset paper --tasks add,sq_sub --methods standard,adamw,grokfast_ema,neuralgrok --seeds 0 --steps 300
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { activateBackend } from '../src/engine/backend';
import { METHOD_IDS, type MethodId, type TaskId } from '../src/config/fields';
import { buildConfig } from '../src/config/schema';
import { PRESETS } from '../src/config/presets';
import { runTraining } from '../src/engine/runner';
import { median, markdownTable } from './stats';
import { svgLinePlot } from './svg-plot';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const preset = option('preset', 'classroom');
const tasks = option('tasks', 'add,mul,sq_sub').split(',') as TaskId[];
const methodsArg = option('methods', 'all');
const methods = (methodsArg === 'all' ? [...METHOD_IDS] : methodsArg.split(',')) as MethodId[];
const seeds = option('seeds', '0,1,2').split(',').map(Number);
const steps = Number(option('steps', '1500'));
const out = option('out', 'docs/results.md');

interface Row {
  task: TaskId;
  method: MethodId;
  seed: number;
  stepsTo95: number | null;
  stepsTo99: number | null;
  seconds: number;
  finalAge: number | null;
  finalWeightNorm: number | null;
  curve: { step: number[]; valAcc: number[] };
}

await activateBackend('wasm');
const rows: Row[] = [];
for (const task of tasks) {
  for (const method of methods) {
    for (const seed of seeds) {
      const config = buildConfig(PRESETS[preset]!.config, { task, method, seed, steps });
      const r = await runTraining(config, { stopWhenGrokked: true, stopPatience: 0 });
      const s = r.summary;
      const lastAge = [...r.evals.ageApplied].reverse().find((x) => x !== null) ?? null;
      rows.push({
        task,
        method,
        seed,
        stepsTo95: s.stepsTo95,
        stepsTo99: s.stepsTo99,
        seconds: s.seconds,
        finalAge: lastAge,
        finalWeightNorm: s.finalWeightNorm,
        curve: { step: r.evals.step, valAcc: r.evals.valAcc.map((x) => x ?? NaN) },
      });
      console.error(`${preset} ${task} ${method} seed ${seed}: to95 ${s.stepsTo95 ?? '-'} to99 ${s.stepsTo99 ?? '-'} in ${s.seconds.toFixed(1)} s`);
    }
  }
}

/** Median over seeds, counting "not within budget" as +∞ (so the median is honest). */
function medianSteps(xs: (number | null)[]): string {
  const v = median(xs.map((x) => x ?? Infinity));
  const reached = xs.filter((x) => x !== null).length;
  return `${Number.isFinite(v) ? v : `not within ${steps}`} (${reached}/${xs.length})`;
}
const num = (x: number | null, d = 1) => (x === null ? '–' : x.toFixed(d));

const lines: string[] = [];
const p = PRESETS[preset]!.config;
lines.push(`<!-- grok-race:${preset}:start -->`);
lines.push(`## Preset \`${preset}\`: ${tasks.join(', ')} × ${methods.length} methods × seeds ${seeds.join(',')}`);
lines.push('');
lines.push(`p = ${p.p}, ${p.layers} layer(s), d = ${p.dModel}, ${p.heads} heads, batch ${p.batchSize}, lr ${p.lr}, train fraction ${p.trainFraction}; budget ${steps} steps; each run stops when val ≥ 0.99. Backend wasm, Node ${process.version}, 2-core machine, ${new Date().toISOString().slice(0, 10)}.`);
lines.push(`Produced by \`npx tsx bench/grok-race.ts ${process.argv.slice(2).join(' ')}\`. Steps are medians over seeds ("not within N" counts as never; (k/n) = seeds that reached it); time, AGE and weight norm are medians of the runs' final values.`);
lines.push('');
lines.push(
  markdownTable(
    ['task', 'method', 'steps to val ≥ 0.95', 'steps to val ≥ 0.99', 'wall s', 'final AGE', 'final ‖θ‖'],
    tasks.flatMap((task) =>
      methods.map((method) => {
        const rs = rows.filter((r) => r.task === task && r.method === method);
        return [
          task,
          method,
          medianSteps(rs.map((r) => r.stepsTo95)),
          medianSteps(rs.map((r) => r.stepsTo99)),
          num(median(rs.map((r) => r.seconds))),
          num(median(rs.map((r) => r.finalAge ?? NaN))),
          num(median(rs.map((r) => r.finalWeightNorm ?? NaN))),
        ];
      }),
    ),
  ),
);
lines.push('');
const ratio = (task: TaskId, a: MethodId, b: MethodId) => {
  const m = (method: MethodId) => median(rows.filter((r) => r.task === task && r.method === method).map((r) => r.stepsTo95 ?? Infinity));
  const x = m(a);
  const y = m(b);
  if (!methods.includes(a) || !methods.includes(b)) return 'n/a';
  if (!Number.isFinite(x) && !Number.isFinite(y)) return 'neither within budget';
  if (!Number.isFinite(x)) return `${a} not within budget`;
  if (!Number.isFinite(y)) return `≥ ${(steps / x).toFixed(2)}× (${b} not within budget)`;
  return `${(y / x).toFixed(2)}×`;
};
lines.push('Step ratios to val ≥ 0.95 (how many times fewer steps NeuralGrok needs):');
lines.push('');
lines.push(markdownTable(['task', 'Standard / NeuralGrok', 'GrokFast-EMA / NeuralGrok', 'AdamW / NeuralGrok'], tasks.map((t) => [t, ratio(t, 'neuralgrok', 'standard'), ratio(t, 'neuralgrok', 'grokfast_ema'), ratio(t, 'neuralgrok', 'adamw')])));
lines.push('');
mkdirSync('docs', { recursive: true });
for (const task of tasks) {
  const file = `results-${preset}-${task}.svg`;
  const series = methods.map((method) => {
    const r = rows.find((x) => x.task === task && x.method === method && x.seed === seeds[0]);
    return { label: method, x: r?.curve.step ?? [], y: r?.curve.valAcc ?? [] };
  });
  writeFileSync(`docs/${file}`, svgLinePlot(series, { title: `${task} mod ${p.p} (${preset}, seed ${seeds[0]}): validation accuracy`, xLabel: 'step', yLabel: 'val acc', yMin: 0, yMax: 1 }));
  lines.push(`![${task}: validation accuracy per method](${file})`);
}
lines.push(`<!-- grok-race:${preset}:end -->`);

// Replace this preset's section in the results file, keeping the rest.
const section = lines.join('\n');
let doc = existsSync(out) ? readFileSync(out, 'utf8') : '# Results: NeuralGrok and the baselines, our numbers\n\n';
const re = new RegExp(`<!-- grok-race:${preset}:start -->[\\s\\S]*<!-- grok-race:${preset}:end -->`);
doc = re.test(doc) ? doc.replace(re, section) : doc.trimEnd() + '\n\n' + section + '\n';
writeFileSync(out, doc);
writeFileSync(`bench/out-${preset}.json`, JSON.stringify(rows));
console.log(section);
