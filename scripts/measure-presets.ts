/**
 * Measures every preset headless with the CLI (seed 0, the preset's own config and step budget,
 * stopping at the first evaluation with val ≥ 0.95) and writes src/config/preset-measurements.json,
 * from which each preset's "what to watch" line states its figures (src/config/preset-watch.ts;
 * a unit test checks that they agree). A compare preset is measured once per compared method.
 *
 *   npx tsx scripts/measure-presets.ts [preset ids…]          (the others keep their last measurement)
 *   npx tsx scripts/measure-presets.ts --check [preset ids…]  (re-runs each recorded command and exits 1
 *                                                              when a figure differs; writes nothing)
 *
 * Runs one preset after another; on the 2-core development machine the whole set takes
 * about half an hour (the paper model's two presets most of it). `tests/preset-rerun.test.ts`
 * re-runs the cheap ones in CI through `rerunMeasurement`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PRESETS, compareArms, type CompareArm } from '../src/config/presets';
import { NOT_MEASURED, PRESET_MEASUREMENTS, type PresetMeasurement } from '../src/config/preset-watch';

const OUT = process.env.MEASURE_OUT ?? 'src/config/preset-measurements.json';
const COMMAND_PREFIX = 'npm run grok -- ';

/** The figures a measurement states (the preset's line reads them); wall time, load and date are not re-checked. */
export type MeasuredFigures = Pick<PresetMeasurement, 'memorizedAt' | 'stepsTo95' | 'finalTrainAcc' | 'finalValAcc' | 'steps'>;
/** Recorded beside the figures (the no-weight-decay preset's line reads them), not re-checked. */
type CollapseFigures = Pick<PresetMeasurement, 'finalCollapseFraction' | 'finalNlmCosine'>;
type CliRun = MeasuredFigures & CollapseFigures & { config: Record<string, unknown>; seconds: number };

/**
 * One CLI run (`tsx src/cli/main.ts`, what `npm run grok --` runs) and its figures. The
 * measurements are XNNPACK's numbers on WASM: OpenBLAS (GROKLAB_BLAS) rounds differently, so it
 * is switched off, and `--backend wasm` is added where a command recorded before the commands
 * named it (the machine that measured them has no GPU: auto was WASM).
 */
function runCli(flags: readonly string[]): CliRun {
  const dir = mkdtempSync(join(tmpdir(), 'groklab-measure-'));
  const file = join(dir, 'run.json');
  const backend = flags.includes('--backend') ? [] : ['--backend', 'wasm'];
  const env = { ...process.env };
  delete env.GROKLAB_BLAS; // the child's environment, not this process's
  try {
    const stdout = execFileSync('node_modules/.bin/tsx', ['src/cli/main.ts', ...flags, ...backend, '--out', file], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
      env,
    });
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
      seconds: summary.seconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function measure(presetId: string, arm?: CompareArm): PresetMeasurement {
  const method = arm?.method;
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
    '--backend',
    'wasm',
  ];
  const load = loadavg()[0]!;
  const { config, seconds, ...figures } = runCli(flags);
  return {
    preset: presetId,
    ...(method ? { method } : {}),
    seed: 0,
    command: `${COMMAND_PREFIX}${flags.join(' ')}`,
    config,
    ...figures,
    seconds: Number(seconds.toFixed(1)),
    /** The machine's 1-minute load average when the run started (2 cores here: above 2, other jobs shared them). */
    loadAverage: Number(load.toFixed(1)),
    commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim(),
    date: new Date().toISOString().slice(0, 10),
  };
}

/** The flags of a recorded command (`npm run grok -- --preset classroom …`; no quoting in them). */
export function commandFlags(command: string): string[] {
  if (!command.startsWith(COMMAND_PREFIX)) throw new Error(`not a recorded CLI command: ${command}`);
  return command.slice(COMMAND_PREFIX.length).split(' ').filter(Boolean);
}

/** Re-runs a measurement's recorded command: the figures it gives now, and the run's seconds. */
export function rerunMeasurement(m: PresetMeasurement): { figures: MeasuredFigures; seconds: number } {
  const run = runCli(commandFlags(m.command));
  const figures: MeasuredFigures = {
    memorizedAt: run.memorizedAt,
    stepsTo95: run.stepsTo95,
    finalTrainAcc: run.finalTrainAcc,
    finalValAcc: run.finalValAcc,
    steps: run.steps,
  };
  return { figures, seconds: run.seconds };
}

/** Each figure the re-run gives differently from the recorded one, as "name: recorded → now". */
export function figureChanges(recorded: MeasuredFigures, now: MeasuredFigures): string[] {
  const keys: (keyof MeasuredFigures)[] = ['memorizedAt', 'stepsTo95', 'steps', 'finalTrainAcc', 'finalValAcc'];
  return keys.filter((k) => recorded[k] !== now[k]).map((k) => `${k}: ${recorded[k]} → ${now[k]}`);
}

function check(only: string[]): number {
  let failed = 0;
  for (const m of PRESET_MEASUREMENTS.filter((x) => !only.length || only.includes(x.preset))) {
    const name = `${m.preset}${m.method ? ` (${m.method})` : ''}`;
    process.stderr.write(`re-running ${name}: ${m.command} …\n`);
    const { figures, seconds } = rerunMeasurement(m);
    const changes = figureChanges(m, figures);
    if (changes.length) failed++;
    process.stderr.write(`  ${changes.length ? `DIFFERS: ${changes.join('; ')}` : 'same figures'} (${seconds.toFixed(1)} s)\n`);
  }
  return failed ? 1 : 0;
}

function measureAll(only: string[]): void {
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
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  if (args[0] === '--check') process.exitCode = check(args.slice(1));
  else measureAll(args);
}
