/**
 * Measures every preset headless with the CLI (seed 0, the preset's own config and step budget,
 * stopping at the first evaluation with val ≥ 0.95) and writes src/config/preset-measurements.json,
 * from which each preset's "what to watch" line states its figures (src/config/preset-watch.ts;
 * a unit test checks that they agree). A compare preset is measured once per compared method.
 *
 *   npx tsx scripts/measure-presets.ts [preset ids…]     (the others keep their last measurement)
 *
 * Runs one preset after another; on the 2-core development machine the whole set takes
 * about half an hour (the paper model's two presets most of it).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PRESETS, compareArms, type CompareArm } from '../src/config/presets';
import { NOT_MEASURED, type PresetMeasurement } from '../src/config/preset-watch';

const OUT = process.env.MEASURE_OUT ?? 'src/config/preset-measurements.json';
const only = process.argv.slice(2);

function measure(presetId: string, arm?: CompareArm): PresetMeasurement {
  const method = arm?.method;
  const file = join(tmpdir(), `groklab-measure-${presetId}-${method ?? 'preset'}.json`);
  const flags = [
    '--preset',
    presetId,
    '--seed',
    '0',
    '--stop-at',
    '0.95',
    '--quiet',
    ...(method ? ['--method', method] : []),
    ...(arm?.weightDecay !== undefined ? ['--weight-decay', String(arm.weightDecay)] : []),
  ];
  const args = ['tsx', 'src/cli/main.ts', ...flags, '--out', file];
  const load = loadavg()[0]!;
  const stdout = execFileSync('npx', args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
    stepsTo95: number | null;
    finalTrainAcc: number;
    finalValAcc: number;
    steps: number;
    seconds: number;
    finalCollapseFraction?: number | null;
    finalNlmCosine?: number | null;
  };
  const run = JSON.parse(readFileSync(file, 'utf8')) as {
    config: Record<string, unknown>;
    evals: { step: number[]; trainFullAcc: number[] };
  };
  const fit = run.evals.trainFullAcc.findIndex((a) => a >= 0.99);
  return {
    preset: presetId,
    ...(method ? { method } : {}),
    seed: 0,
    command: `npm run grok -- ${flags.join(' ')}`,
    config: run.config,
    memorizedAt: fit < 0 ? null : run.evals.step[fit]!,
    stepsTo95: summary.stepsTo95,
    finalTrainAcc: Number(summary.finalTrainAcc.toFixed(4)),
    finalValAcc: Number(summary.finalValAcc.toFixed(4)),
    steps: summary.steps,
    ...(typeof summary.finalCollapseFraction === 'number'
      ? { finalCollapseFraction: Number(summary.finalCollapseFraction.toFixed(4)) }
      : {}),
    ...(typeof summary.finalNlmCosine === 'number' ? { finalNlmCosine: Number(summary.finalNlmCosine.toFixed(3)) } : {}),
    seconds: Number(summary.seconds.toFixed(1)),
    /** The machine's 1-minute load average when the run started (2 cores here: above 2, other jobs shared them). */
    loadAverage: Number(load.toFixed(1)),
    commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim(),
    date: new Date().toISOString().slice(0, 10),
  };
}

const previous: PresetMeasurement[] = existsSync(OUT) ? JSON.parse(readFileSync(OUT, 'utf8')) : [];
const results: PresetMeasurement[] = [];
for (const p of PRESETS) {
  if (NOT_MEASURED[p.id]) continue;
  const arms = p.compare ? compareArms(p) : [undefined];
  for (const arm of arms) {
    const method = arm?.method;
    const keep = previous.find((m) => m.preset === p.id && m.method === method);
    if (only.length && !only.includes(p.id)) {
      if (keep) results.push(keep);
      continue;
    }
    process.stderr.write(`measuring ${p.id}${method ? ` (${method})` : ''} …\n`);
    const m = measure(p.id, arm);
    process.stderr.write(`  ${JSON.stringify({ ...m, config: undefined })}\n`);
    results.push(m);
    writeFileSync(
      OUT,
      JSON.stringify(
        [...results, ...previous.filter((x) => !results.some((r) => r.preset === x.preset && r.method === x.method))],
        null,
        1,
      ) + '\n',
    );
  }
}
writeFileSync(OUT, JSON.stringify(results, null, 1) + '\n');
execFileSync('npx', ['prettier', '--write', OUT]); // as the repository's format check wants it
