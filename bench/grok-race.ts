/**
 * The method comparison: tasks × arms × seeds, each run a separate CLI process (so `--jobs N`
 * runs N in parallel), evaluated every 10 steps (the references evaluate once per epoch, every
 * 9–10 steps at p = 97). Resumable: every finished run is appended as one JSON line to the
 * results file and skipped next time; while a run goes, its latest progress is kept in a
 * `.partial.json` beside it, so a run the session could not finish still reports what it
 * reached, and a checkpoint in `runs/race/` (every `--checkpoint-every` steps, default 500), so
 * the next start continues a cut run from it, bit for bit, instead of from step 0; its row
 * lists the steps it was resumed from. `--report` only rewrites the markdown from the results file.
 *
 * An arm is a method id with optional CLI flags: `grokfast_ma+weight-decay=0.01`,
 * `neuralgrok+ng-hidden=32,32`, `gradnorm+norm-matched`. `--set` adds flags to every arm. `{seed}`
 * in an arm's flags is replaced by the run's seed (one arm for a per-seed file, e.g. a transferred
 * amplifier: `neuralgrok+amplifier=runs/amplifiers/add_neuralgrok_{seed}.json+ng-frozen`).
 * `--backend webgpu` runs every CLI on WebGPU (src/cli/webgpu.ts); its rows record the backend
 * and the adapter, and their keys differ from the default's (WASM without a GPU).
 *
 *   npm run bench:race -- --name paper-add --preset paper --tasks add \
 *     --arms standard,grokfast_ma,grokfast_ema,neuralgrok+ng-hidden=32,32,gradnorm+norm-matched \
 *     --seeds 0,1 --steps 3000 --stop-at 0.95 --jobs 2
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { countBy, medianSteps } from '../src/core/stats';
import { cellVerdict } from '../src/paper/verdicts';
import { splitArms } from './arms';
import {
  adoptParkedCheckpoint,
  answers,
  dropParkedCheckpoint,
  budgetOf as budgetOfRule,
  engineCommit,
  keyFileName,
  raceKey,
  type RaceRule,
  referencesOf,
  rowOf,
  type Row,
  runArgs,
} from '../src/sweep/race';
import { markdownTable } from './stats';
import { svgLinePlot } from '../src/core/svg-plot';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const name = option('name', option('preset', 'classroom'));
const preset = option('preset', 'classroom');
const tasks = option('tasks', 'add').split(',');
const arms = splitArms(option('arms', option('methods', 'all')));
const sets = option('set', '');
const seeds = option('seeds', '0,1,2').split(',').map(Number);
const steps = Number(option('steps', '1500'));
/** `--budget-x 3`: each arm with a reported figure gets that many times it as its step budget (else `--steps`). */
const budgetX = Number(option('budget-x', '0'));
const evalEvery = Number(option('eval-every', '10'));
const stopAt = option('stop-at', '');
const jobs = Math.max(1, Number(option('jobs', '1')));
const resultsFile = option('results', `bench/results/race-${name}.jsonl`);
const docFile = option('out', 'docs/results.md');
const reportOnly = process.argv.includes('--report');
/** Run without rewriting docs/results.md: the queues run a race's arms and seeds a few at a time,
 * and a section written from one such slice would replace the race's whole table with it. */
const noDoc = process.argv.includes('--no-doc');
/** `--full`: every run goes its whole budget (stability after grokking: slingshots), no early stop. */
const fullBudget = process.argv.includes('--full');
/** `--keep-runs DIR`: keep each run's file (config, series, amplifier) in DIR, e.g. to transfer an amplifier. */
const keepRuns = option('keep-runs', '');
const partialFile = resultsFile.replace(/\.jsonl$/, '') + '.partial.json';
const checkpointEvery = option('checkpoint-every', '500');
/** `--backend webgpu` (or wasm, cpu, auto): every run's CLI backend; unset, the CLI's default (auto: WASM without a GPU). */
const backendArg = option('backend', '');

/** The race's rule: the same budget, key and stop rule as the sweeps' (src/sweep/race.ts, one home). */
const rule: RaceRule = { preset, set: sets, steps, budgetX, evalEvery, stopAt, full: fullBudget };
const budgetOf = (task: string, arm: string): number => budgetOfRule(rule, task, arm);
/** The row key; a `--backend` race's rows get their own (WASM's keys stay as they were). */
const keyOf = (task: string, arm: string, seed: number) => raceKey(rule, task, arm, seed) + (backendArg ? `|backend=${backendArg}` : '');
/** Whether a stored row answers a run (src/sweep/race.ts's rule; a `--backend` race: its own key only). */
const answersRun = (r: Row, task: string, arm: string, seed: number): boolean =>
  backendArg ? r.key === keyOf(task, arm, seed) : answers(r, rule, task, arm, seed);
interface Partial {
  step: number;
  line: string;
  at: string;
}

const readRows = (): Row[] =>
  existsSync(resultsFile)
    ? readFileSync(resultsFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Row)
    : [];
/** The progress file; two queues may run races of the same name at once, so a bad read is an empty one. */
function readPartials(): Record<string, Partial> {
  try {
    return existsSync(partialFile) ? (JSON.parse(readFileSync(partialFile, 'utf8')) as Record<string, Partial>) : {};
  } catch {
    return {};
  }
}
/** Written to a temporary file and renamed, so a reader never sees half of it. */
function writePartials(partials: Record<string, Partial>): void {
  const tmp = `${partialFile}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(partials, null, 1));
  renameSync(tmp, partialFile);
}

function runOne(task: string, arm: string, seed: number): Promise<void> {
  const key = keyOf(task, arm, seed);
  mkdirSync('runs/race', { recursive: true });
  const base = `runs/race/${keyFileName(key)}`;
  const outFile = `${base}.json`;
  // a cut run continues from its checkpoint (the CLI refuses one of another config or matmul)
  const checkpointFile = `${base}.ckpt`;
  adoptParkedCheckpoint(checkpointFile, key); // parked in the repository by an earlier working stretch
  const args = [
    'tsx',
    'src/cli/main.ts',
    ...runArgs(rule, task, arm, seed),
    '--out',
    outFile,
    ...(existsSync(checkpointFile) ? ['--resume', checkpointFile] : ['--checkpoint', checkpointFile]),
    '--checkpoint-every',
    checkpointEvery,
    ...(backendArg ? ['--backend', backendArg] : []),
  ];
  return new Promise((resolve, reject) => {
    const commit = engineCommit(); // the code the child loads now
    const child = spawn('npx', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => {
      const line = d
        .toString()
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('step'))
        .at(-1);
      if (!line) return;
      const partials = readPartials();
      partials[key] = { step: Number(/step\s+(\d+)/.exec(line)?.[1] ?? 0), line, at: new Date().toISOString() };
      writePartials(partials);
    });
    child.on('close', (code) => {
      if (code === 130) return reject(new Error(`${key}: stopped; its checkpoint ${checkpointFile} continues it on the next start`));
      if (code !== 0 && code !== 3) return reject(new Error(`${key}: exit ${code}`));
      const summary = JSON.parse(stdout.trim().split('\n').at(-1)!);
      const row: Row = rowOf({ key, task, arm, seed, preset, commit }, summary, outFile, {
        backend: summary.backend,
        ...(summary.adapter && { adapter: summary.adapter, softwareAdapter: summary.softwareAdapter }),
      });
      appendFileSync(resultsFile, JSON.stringify(row) + '\n');
      const partials = readPartials();
      delete partials[key];
      writePartials(partials);
      if (keepRuns) {
        mkdirSync(keepRuns, { recursive: true });
        writeFileSync(`${keepRuns}/${task}_${arm.replace(/[^a-zA-Z0-9_.=-]+/g, '_')}_${seed}.json`, readFileSync(outFile));
      }
      rmSync(outFile, { force: true });
      rmSync(checkpointFile, { force: true });
      dropParkedCheckpoint(key);
      console.error(`${key}: to95 ${row.stepsTo95 ?? '-'} to99 ${row.stepsTo99 ?? '-'} in ${row.seconds.toFixed(0)} s`);
      resolve();
    });
  });
}

if (!reportOnly) {
  mkdirSync(resultsFile.replace(/\/[^/]*$/, ''), { recursive: true });
  const finished = readRows();
  // Seed-major order: every arm's first seed finishes before any second seed starts.
  const queue = seeds
    .flatMap((seed) => tasks.flatMap((task) => arms.map((arm) => ({ task, arm, seed }))))
    .filter((q) => !finished.some((r) => answersRun(r, q.task, q.arm, q.seed)));
  console.error(`${name}: ${queue.length} runs to do (${finished.length} rows already in ${resultsFile}), ${jobs} at a time`);
  const worker = async () => {
    for (let q = queue.shift(); q; q = queue.shift()) await runOne(q.task, q.arm, q.seed);
  };
  await Promise.all(Array.from({ length: jobs }, worker));
}

// ---- report ----
const reference = (task: string, arm: string) => referencesOf(preset, task, arm);

const rows = readRows().filter((r) => answersRun(r, r.task, r.arm, r.seed));
/** "xnnpack" or, where some rows ran on OpenBLAS (GROKLAB_BLAS=1), each matmul with its row count. */
function matmulsOf(rs: Row[]): string {
  const counts = countBy(rs, (r) => r.matmul ?? 'xnnpack');
  if (counts.size <= 1) return [...counts.keys()][0] ?? 'xnnpack';
  return [...counts].map(([m, n]) => `${m} for ${n} row${n === 1 ? '' : 's'}`).join(', ');
}
/** "wasm", or each backend (WebGPU with its adapter) with its row count. */
function backendsOf(rs: Row[]): string {
  const counts = countBy(rs, (r) =>
    r.adapter ? `${r.backend} (${r.adapter}${r.softwareAdapter ? ', software' : ''})` : (r.backend ?? 'wasm'),
  );
  if (counts.size <= 1) return [...counts.keys()][0] ?? 'wasm';
  return [...counts].map(([b, n]) => `${b} for ${n} row${n === 1 ? '' : 's'}`).join(', ');
}
const partials = readPartials();
const lines: string[] = [
  `<!-- grok-race:${name}:start -->`,
  `### \`${name}\`: preset ${preset}, ${tasks.join(', ')}; seeds ${seeds.join(',')}; budget ${steps} steps`,
  '',
];
lines.push(
  `Produced by \`npm run bench:race -- ${process.argv
    .slice(2)
    .filter((a) => a !== '--report' && a !== '--no-doc')
    .map((a) => (/[;]/.test(a) ? `'${a}'` : a))
    .join(' ')}\` (results: \`${resultsFile}\`). ` +
    `Evaluation every ${evalEvery} steps; each run stops ${stopAt ? `at the first evaluation with val ≥ ${stopAt}` : 'once val ≥ 0.99'}. ` +
    `Steps are medians over the seeds that finished ("not within N" counts as never; (k/n) = seeds that reached it of those that finished). ` +
    `Backend ${backendsOf(rows)} in Node (matmul: ${matmulsOf(rows)}), 2-core machine, ${jobs} run(s) of this race at a time (other races ran alongside: see the conditions above).`,
);
lines.push('');
const tableRows: string[][] = [];
for (const task of tasks) {
  for (const arm of arms) {
    const rs = rows.filter((r) => r.task === task && r.arm === arm && seeds.includes(r.seed));
    const open = seeds.filter((s) => !rs.some((r) => r.seed === s)).map((s) => ({ seed: s, partial: partials[keyOf(task, arm, s)] }));
    const ours = rs.length ? medianSteps(rs.map((r) => r.stepsTo95)) : NaN;
    const reached = rs.filter((r) => r.stepsTo95 !== null).length;
    const oursText = rs.length
      ? `${Number.isFinite(ours) ? ours : `not within ${steps}`} (${reached}/${rs.length})`
      : open.some((o) => o.partial)
        ? 'not finished'
        : 'not run';
    const perSeed = rs.map((r) => `s${r.seed}: ${r.stepsTo95 ?? `>${r.steps}`}`).join(', ');
    const unfinished = open
      .filter((o) => o.partial)
      .map(
        (o) =>
          `s${o.seed} unfinished: reached step ${o.partial!.step}, ${/val loss [^|]*acc ([\d.]+)/.exec(o.partial!.line)?.[1] ? `val acc ${/val loss [^|]*acc ([\d.]+)/.exec(o.partial!.line)![1]}` : ''}`,
      )
      .join('; ');
    const refs = reference(task, arm);
    const refText = refs.map((r) => `${r.steps} (${r.source})`).join('; ') || '–';
    const ratio = refs.length && Number.isFinite(ours) ? refs.map((r) => (ours / r.steps).toFixed(2)).join('; ') : '–';
    // the Table 1 rule (src/paper/verdicts.ts): the seeds' spread, censored runs "open"
    const seedResults = rs.map((r) => ({ seed: r.seed, stepsTo95: r.stepsTo95, steps: r.steps }));
    const cut = open.filter((o) => o.partial).map((o) => ({ seed: o.seed, step: o.partial!.step, budget: budgetOf(task, arm) }));
    const verdict = refs.length ? refs.map((r) => cellVerdict({ steps: r.steps }, seedResults, cut).verdict).join('; ') : '–';
    tableRows.push([task, '`' + arm + '`', refText, oursText, [perSeed, unfinished].filter(Boolean).join('; ') || '–', ratio, verdict]);
  }
}
lines.push(
  markdownTable(
    [
      'task',
      'arm',
      'reported (steps to val ≥ 0.95)',
      'ours: median steps to val ≥ 0.95',
      'per seed',
      'ours / reported',
      'verdict (src/paper/verdicts.ts: CELL_RULE)',
    ],
    tableRows,
  ),
);
lines.push('');
const ngRows = rows.filter((r) => r.amplifierDiagnostics);
if (ngRows.length) {
  const f = (x: number | null | undefined, d = 4) =>
    x === null || x === undefined ? '–' : Math.abs(x) < 1e-3 ? x.toExponential(2) : x.toFixed(d);
  lines.push('NeuralGrok at its last evaluation ("is the amplifier doing anything?"; uniform amplifier: N·w = 1 everywhere, cosine 1):');
  lines.push('');
  lines.push(
    markdownTable(
      ['task', 'arm', 'seed', 'N·w min', 'N·w max', 'N·w std', 'cos(g′, normalized g)', 'meta-grad RMS', 'meta-decay RMS'],
      ngRows.map((r) => {
        const d = r.amplifierDiagnostics!;
        return [
          r.task,
          '`' + r.arm + '`',
          String(r.seed),
          f(d.ampWeightMin),
          f(d.ampWeightMax),
          f(d.ampWeightStd),
          f(d.cosToNorm, 6),
          f(d.metaGradRms),
          f(d.metaDecayRms),
        ];
      }),
    ),
  );
  lines.push('');
}
if (noDoc) {
  console.log(lines.join('\n'));
  console.error(
    `${name}: docs/results.md and its figures left as they are (--no-doc; \`npm run sweep -- report sweeps/*.ts\` rewrites them)`,
  );
  process.exit(0);
}
mkdirSync('docs', { recursive: true });
for (const task of tasks) {
  const file = `results-${name}-${task}.svg`;
  const series = arms.flatMap((arm) => {
    const r = rows.find((x) => x.task === task && x.arm === arm && x.seed === seeds[0]);
    return r ? [{ label: arm, x: r.curve.step, y: r.curve.valAcc.map((v) => v ?? NaN) }] : [];
  });
  if (!series.length) continue;
  writeFileSync(
    `docs/${file}`,
    svgLinePlot(series, {
      title: `${task} (${name}, seed ${seeds[0]}): validation accuracy`,
      xLabel: 'step',
      yLabel: 'val acc',
      yMin: 0,
      yMax: 1,
    }),
  );
  lines.push(`![${task}: validation accuracy per arm](${file})`);
}
lines.push(`<!-- grok-race:${name}:end -->`);

const section = lines.join('\n');
let doc = existsSync(docFile) ? readFileSync(docFile, 'utf8') : '# Results: NeuralGrok and the baselines, our numbers\n\n';
const re = new RegExp(`<!-- grok-race:${name}:start -->[\\s\\S]*<!-- grok-race:${name}:end -->`);
doc = re.test(doc) ? doc.replace(re, section) : doc.trimEnd() + '\n\n' + section + '\n';
writeFileSync(docFile, doc);
console.log(section);
