/**
 * `npm run sweep -- <command>`: a declared sweep (a file under sweeps/) run on this machine or
 * across machines on BullMQ (Redis). docs/sweeps.md.
 *
 *   run FILE [--races NAMES] [--jobs N] [--results DIR] [--backend wasm|cpu] [--allow-rounding-change] [--dry-run]
 *   submit FILE [--races NAMES] --redis URL [--results DIR] [--retry-failed]
 *   work --redis URL [--jobs N] [--backend wasm|cpu] [--allow-rounding-change]
 *   status --redis URL [--json]
 *   collect --redis URL [--results DIR]
 *   report FILE...          rewrite docs/results.md's sections of the sweeps' races (bench/grok-race.ts --report)
 *
 * Every queue command takes --queue NAME (default groklab-sweep).
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { runSweep } from './embedded';
import { collect, DEFAULT_QUEUE, status, submit, work } from './queue';
import { DEFAULT_RESULTS } from './results';
import { REPO_ROOT } from './run-job';
import { loadSweep, selectRaces, SweepFileError, type Race } from './sweep-file';

const USAGE = `usage: npm run sweep -- run FILE [--races NAMES] [--jobs N] [--results DIR] [--backend wasm|cpu] [--allow-rounding-change] [--dry-run]
       npm run sweep -- submit FILE [--races NAMES] --redis redis://HOST:6379 [--results DIR] [--retry-failed]
       npm run sweep -- work --redis redis://HOST:6379 [--jobs N] [--backend wasm|cpu] [--allow-rounding-change]
       npm run sweep -- status --redis redis://HOST:6379 [--json]
       npm run sweep -- collect --redis redis://HOST:6379 [--results DIR]
       npm run sweep -- report FILE...
(queue commands: --queue NAME, default ${DEFAULT_QUEUE}; --races: only the races so named, comma-separated, * for any text)`;

class UsageError extends Error {}

function parse(argv: string[]) {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  const valued = new Set(['jobs', 'results', 'backend', 'redis', 'queue', 'lock-ms', 'stalled-ms', 'runs', 'progress-every', 'races']);
  const bare = new Set(['json', 'dry-run', 'retry-failed', 'help', 'allow-rounding-change']);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split(/=(.*)/s) as [string, string | undefined];
    if (bare.has(name)) flags.set(name, true);
    else if (valued.has(name)) {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`--${name} needs a value`);
      flags.set(name, v);
    } else throw new UsageError(`unknown flag --${name}`);
  }
  const text = (name: string, fallback?: string): string | undefined => {
    const v = flags.get(name);
    return typeof v === 'string' ? v : fallback;
  };
  const int = (name: string, fallback: number): number => {
    const v = text(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name}: a whole number ≥ 1`);
    return n;
  };
  const backend = text('backend');
  if (backend !== undefined && backend !== 'wasm' && backend !== 'cpu') throw new UsageError('--backend: wasm or cpu (in Node)');
  return { positional, flags, text, int, backend };
}

const log = (s: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);

/** The race runner's flags for a race (its report section is rewritten from the results file). */
function raceRunnerArgs(race: Race, results: string): string[] {
  return [
    '--name',
    race.name,
    '--preset',
    race.preset,
    '--tasks',
    race.tasks.join(','),
    '--arms',
    race.arms.join(','),
    ...(race.set ? ['--set', race.set] : []),
    '--seeds',
    race.seeds.join(','),
    '--steps',
    String(race.steps),
    ...(race.budgetX ? ['--budget-x', String(race.budgetX)] : []),
    '--eval-every',
    String(race.evalEvery),
    ...(race.stopAt !== undefined ? ['--stop-at', String(race.stopAt)] : []),
    ...(race.full ? ['--full'] : []),
    '--results',
    `${results}/race-${race.name}.jsonl`,
    '--report',
  ];
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const a = parse(rest);
  if (!command || a.flags.has('help')) {
    process.stdout.write(USAGE + '\n');
    return command ? 0 : 2;
  }
  const results = a.text('results', DEFAULT_RESULTS)!;
  const queue = { redis: a.text('redis') ?? '', queue: a.text('queue', DEFAULT_QUEUE)! };
  const needRedis = () => {
    if (!queue.redis) throw new UsageError(`${command}: --redis redis://HOST:6379 is needed`);
  };
  const file = () => {
    const f = a.positional[0];
    if (!f) throw new UsageError(`${command}: which sweep file? (e.g. sweeps/smoke.ts)`);
    return f;
  };
  /** The sweep file, cut to --races where given. */
  const sweepOf = async () => {
    const sweep = await loadSweep(file());
    const races = a.text('races');
    return races === undefined ? sweep : selectRaces(sweep, races);
  };
  switch (command) {
    case 'run': {
      const sweep = await sweepOf();
      const r = await runSweep(sweep, {
        jobs: a.int('jobs', availableParallelism()),
        results,
        runsDir: a.text('runs'),
        backend: a.backend,
        allowRoundingChange: a.flags.has('allow-rounding-change'),
        progressEvery: a.int('progress-every', 30),
        dryRun: a.flags.has('dry-run'),
        log,
      });
      return r.stopped ? 130 : r.failed.length ? 1 : 0;
    }
    case 'submit': {
      needRedis();
      const sweep = await sweepOf();
      await submit(sweep, { ...queue, results, retryFailed: a.flags.has('retry-failed'), log });
      return 0;
    }
    case 'work':
      needRedis();
      await work({
        ...queue,
        jobs: a.int('jobs', availableParallelism()),
        backend: a.backend,
        allowRoundingChange: a.flags.has('allow-rounding-change'),
        lockMs: a.text('lock-ms') ? a.int('lock-ms', 30_000) : undefined,
        stalledMs: a.text('stalled-ms') ? a.int('stalled-ms', 30_000) : undefined,
        log,
      });
      return 0;
    case 'status': {
      needRedis();
      const s = await status(queue);
      if (a.flags.has('json')) process.stdout.write(JSON.stringify(s) + '\n');
      else {
        process.stdout.write(`waiting ${s.waiting}, running ${s.running}, done ${s.done}, failed ${s.failed}\n`);
        for (const j of s.active)
          process.stdout.write(
            `  running: ${j.name} on ${j.worker ?? '?'}, step ${j.step ?? '?'}/${j.totalSteps ?? '?'} (checkpoint at ${j.checkpointStep ?? 0})\n`,
          );
        for (const j of s.failures) process.stdout.write(`  failed: ${j.name}: ${j.reason}\n`);
      }
      return 0;
    }
    case 'collect':
      needRedis();
      await collect({ ...queue, results, log });
      return 0;
    case 'report': {
      if (!a.positional.length) throw new UsageError('report: which sweep files?');
      for (const f of a.positional) {
        const sweep = await loadSweep(f);
        for (const race of sweep.races.filter((r) => r.report)) {
          const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/grok-race.ts', ...raceRunnerArgs(race, results)], {
            cwd: REPO_ROOT,
            stdio: ['ignore', 'ignore', 'inherit'],
          });
          if (r.status !== 0) return r.status ?? 1;
        }
      }
      // the generated Table 1 section, from every results file
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/table1-report.ts'], {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      return r.status ?? 1;
    }
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    if (e instanceof UsageError) process.stderr.write(`error: ${e.message}\n${USAGE}\n`);
    else if (e instanceof SweepFileError) process.stderr.write(`error: ${e.message}\n`);
    else process.stderr.write(`error: ${e.message}\n`);
    process.exit(2);
  },
);
