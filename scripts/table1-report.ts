/**
 * The "Table 1, checked" section of docs/results.md, generated from the race results with the
 * same reduction the app's "The paper, checked" view uses (src/paper/bundle.ts): per cell
 * the paper's figure, our median over seeds, each seed, the ratio and the verdict; what did not
 * finish and how far it got; the ablation; the paper's other claims (issue 18, item 4) from the
 * claim-* races. `npm run sweep -- report sweeps/*.ts` runs it last. It also rewrites the README's
 * short race table (between its `race-table` markers), so the README never lags the results.
 *
 *   npx tsx scripts/table1-report.ts [--out docs/results.md] [--readme README.md]
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { buildPaperBundle } from '../src/paper/bundle';
import { cadenceText, findingsMarkdown } from '../src/paper/findings';
import { POLY5_MILESTONES, POLY5_SETTLED_STEPS, valAtText } from '../src/paper/poly5';
import { latestRows, parseRaceLines, unfinishedRuns } from '../src/paper/rows';
import type { PaperCell } from '../src/paper/table';
import { PAPER_METHOD_LABELS, PAPER_METHODS, PAPER_TASKS } from '../src/paper/table1';
import { eosMarkdown, eosTable, parseReferenceLines } from '../src/paper/eos';
import { tunedMarkdown } from '../src/paper/tuned';
import { CELL_RULE } from '../src/paper/verdicts';
import { markdownTable } from '../src/core/markdown-table';
import { svgLinePlot, type PlotSeries } from '../src/core/svg-plot';

const DIR = 'bench/results';
const arg = (name: string, fallback: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1]! : fallback);
const out = arg('--out', 'docs/results.md');
const readme = arg('--readme', 'README.md');
const files = readdirSync(DIR).filter((f) => /^race-(paper-.*|ablation-add|claim-.*|tuned-.*)\.(jsonl|partial\.json)$/.test(f));
const texts = Object.fromEntries(files.map((f) => [`${DIR}/${f}`, readFileSync(`${DIR}/${f}`, 'utf8')]));
const bundle = buildPaperBundle(texts);
const cells = bundle.cells;
const abl = bundle.ablation;

const figure = (c: PaperCell) =>
  !c.paper ? '–' : 'steps' in c.paper ? String(c.paper.steps) : `fails (${c.paper.failsWithin.toLocaleString('en')})`;
const ours = (c: PaperCell) =>
  !c.seeds.length
    ? c.unfinished.length
      ? 'unfinished'
      : 'not run yet'
    : `${c.median ?? `not within ${Math.max(...c.seeds.map((s) => s.steps))}`} (${c.reached}/${c.seeds.length} seeds)`;
const perSeed = (c: PaperCell) =>
  [
    ...c.seeds.map((s) => `s${s.seed}: ${s.stepsTo95 ?? `>${s.steps}`}`),
    ...c.unfinished.map((u) => `s${u.seed}: unfinished at ${u.step}${u.valAcc !== null ? ` (val ${u.valAcc})` : ''}`),
  ].join(', ') || '–';
const ratio = (c: PaperCell) => (c.paper && 'steps' in c.paper && c.median !== null ? (c.median / c.paper.steps).toFixed(2) : '–');
const spread = (c: PaperCell) => {
  const done = c.seeds.map((s) => s.stepsTo95).filter((x): x is number => x !== null);
  return done.length >= 2 ? `${Math.min(...done)}–${Math.max(...done)} (${(Math.max(...done) / Math.min(...done)).toFixed(2)}×)` : '–';
};

// Runs that had started and not finished: the last progress line each kept (every race, not only Table 1's).
const unfinished: string[] = files
  .filter((x) => x.endsWith('.partial.json'))
  .flatMap((f) => {
    try {
      return unfinishedRuns(JSON.parse(texts[`${DIR}/${f}`]!));
    } catch {
      return [];
    }
  })
  .map(
    (u) =>
      `- ${u.task} \`${u.arm}\` seed ${u.seed}: reached step ${u.step} of ${u.budget}${u.valAcc !== null ? `, val acc ${u.valAcc.toFixed(3)}` : ''} (last progress ${u.at.slice(0, 16)} UTC)`,
  );

// ---- curves per task: val accuracy per arm (every seed), N·w std of the amplifier arms ----
const COLORS: Record<string, string> = {
  standard: '#7f7f7f',
  grokfast_ma: '#2ca02c',
  grokfast_ema: '#ff7f0e',
  neuralgrok: '#d62728',
  matched: '#1f77b4',
};
const DASHES = ['', '5 3', '2 2'];
const paperRows = latestRows(Object.entries(texts).flatMap(([n, t]) => (/race-paper-.*\.jsonl$/.test(n) ? parseRaceLines(t) : [])));
const figures: string[] = [];
for (const task of PAPER_TASKS) {
  const arms = PAPER_METHODS.map((m) => ({ m, cell: cells.find((c) => c.task === task && c.method === m)! }));
  const rowsOf = (arm: string) => paperRows.filter((r) => r.task === task && r.arm === arm && r.curve);
  const val: PlotSeries[] = arms.flatMap(({ m, cell }) =>
    rowsOf(cell.arm).map((r, i) => ({
      label: PAPER_METHOD_LABELS[m],
      x: r.curve!.step,
      y: r.curve!.valAcc.map((v) => v ?? NaN),
      color: COLORS[m],
      dash: DASHES[i % DASHES.length],
      legend: i === 0,
    })),
  );
  if (!val.length) continue;
  const seeds = [...new Set(paperRows.filter((r) => r.task === task).map((r) => r.seed))].sort();
  const file = `results-table1-${task}.svg`;
  writeFileSync(
    `docs/${file}`,
    svgLinePlot(val, {
      title: `${task}: validation accuracy (seeds ${seeds.join(', ')}; solid s0, dashed s1, dotted s2)`,
      xLabel: 'step',
      yLabel: 'val acc',
      yMin: 0,
      yMax: 1,
    }),
  );
  figures.push(`![${task}: validation accuracy per arm and seed](${file})`);
  // The amplifier arms' N·w std (NeuralGrok; on a + b also the ablation's arms): 0 is a uniform amplifier.
  const amp: PlotSeries[] = [
    ...rowsOf(arms.find((a) => a.m === 'neuralgrok')!.cell.arm).map((r, i) => ({
      label: 'NeuralGrok',
      x: r.curve!.step,
      y: (r.curve!.ampWeightStd ?? []).map((v) => v ?? NaN),
      color: COLORS.neuralgrok,
      dash: DASHES[i % DASHES.length],
      legend: i === 0,
    })),
    ...(task === 'add'
      ? abl.arms
          .filter((a) => a.arm !== 'neuralgrok')
          .flatMap((a, j) =>
            a.curves.map((c, i) => ({
              label: a.label.replace('NeuralGrok, ', '').replace(/meta /g, ''),
              x: c.step,
              y: c.nwStd.map((v) => v ?? NaN),
              color: ['#9467bd', '#8c564b', '#17becf', '#e377c2'][j % 4],
              dash: DASHES[i % DASHES.length],
              legend: i === 0,
            })),
          )
      : []),
  ].filter((s) => s.y.some((v) => Number.isFinite(v)));
  if (amp.length) {
    const ampFile = `results-table1-${task}-amplifier.svg`;
    writeFileSync(
      `docs/${ampFile}`,
      svgLinePlot(amp, {
        title: `${task}: std of N·w over steps (learned: > 0.1)`,
        xLabel: 'step',
        yLabel: 'N·w std (log)',
        yMin: 1e-5,
        yMax: 1,
        log10: true,
      }),
    );
    figures.push(`![${task}: std of the amplifier's N·w over steps](${ampFile})`);
  }
}

const speedup = bundle.claims.find((c) => c.claim.includes('poly5) up to'))!;
const lines = [
  '<!-- table1:start -->',
  '## Table 1, checked (generated by `npx tsx scripts/table1-report.ts`)',
  '',
  `Steps to validation accuracy ≥ 0.95 on the paper's model and settings (${cadenceText(cells)}; each arm's budget 3× the paper's figure, matched normalization NeuralGrok's; poly5's Standard and GrokFast-EMA 5 000). "Ours" is the median over the seeds that finished (a seed that did not reach 95 % counts as never). Verdicts (src/paper/verdicts.ts): ${CELL_RULE} The same module gives the app's "The paper, checked" view its verdicts.`,
  '',
  markdownTable(
    ['task', 'method', 'paper', 'ours: median (reached/seeds)', 'per seed', 'spread', 'ours / paper', 'verdict'],
    cells.map((c) => [c.task, PAPER_METHOD_LABELS[c.method], figure(c), ours(c), perSeed(c), spread(c), ratio(c), c.verdict]),
  ),
  '',
  ...cells
    .filter((c) => c.reference)
    .flatMap((c) => [
      `The reference code's own spread on ${c.task} ${PAPER_METHOD_LABELS[c.method]}: ${c.reference!.seeds.join(', ')} steps (${c.reference!.source}) — ${c.reference!.verdict}.`,
      '',
    ]),
  unfinished.length
    ? '**Started and not finished** (a run cut with a checkpoint in `runs/race/` continues from it, bit for bit; its last progress):'
    : 'Every started run finished.',
  '',
  ...unfinished.sort(),
  '',
  '### poly5 at equal budgets',
  '',
  `Val accuracy of every poly5 run at steps ${POLY5_MILESTONES.join(', ')} (its last evaluation at or before the step; "–": the run had stopped; settled = reached 95 % or ran ${POLY5_SETTLED_STEPS} steps). Runs still going are listed above with their last progress.`,
  '',
  markdownTable(
    ['method', 'arm', 'seed', ...POLY5_MILESTONES.map((m) => `val @ ${m}`), 'steps run', 'settled', 'commit'],
    PAPER_METHODS.flatMap((method) =>
      paperRows
        .filter((r) => r.task === 'poly5' && r.arm === cells.find((c) => c.task === 'poly5' && c.method === method)!.arm)
        .map((r) => [
          PAPER_METHOD_LABELS[method],
          '`' + r.arm + '`',
          String(r.seed),
          ...POLY5_MILESTONES.map((m) => valAtText(r, m)),
          String(r.steps),
          r.stepsTo95 !== null || r.steps >= POLY5_SETTLED_STEPS ? 'yes' : 'no',
          r.commit ?? '–',
        ]),
    ),
  ),
  '',
  `${speedup.claim}: **${speedup.status}**. ${speedup.verdict}`,
  '',
  '### Does a learned amplifier help? (a + b, seed 0 first)',
  '',
  abl.verdict,
  '',
  markdownTable(
    ['arm', 'seeds', 'median steps to 95 %', 'largest N·w std over the run', 'seeds learned (> 0.1 on ≥ 25 % of evaluations)'],
    [
      ...abl.arms.map((a) => [
        a.label,
        String(a.seeds.length),
        a.seeds.length ? String(a.median ?? 'never') : 'not run yet',
        a.maxNwStd === null ? '–' : a.maxNwStd.toExponential(2),
        a.maxNwStd === null ? '–' : `${a.learnedSeeds} of ${a.seeds.length}`,
      ]),
      [
        'Matched normalization (the uniform amplifier)',
        String(abl.matched.seeds),
        String(abl.matched.median ?? 'not run yet'),
        '0 (uniform by construction)',
        '–',
      ],
    ],
  ),
  '',
  'An amplifier counts as "learned" only where N·w std exceeds ~0.1 for a sustained part of the run (issue 18); the table gives the largest value seen.',
  '',
  "### The paper's claims",
  '',
  markdownTable(
    ['claim', 'what we measured', 'verdict'],
    bundle.claims.map((c) => [c.claim, c.verdict, c.status]),
  ),
  '',
  '### Curves per task',
  '',
  'Validation accuracy of every arm and seed (colour: method; line style: seed), then the std of N·w over steps for the amplifier arms (log scale; a uniform amplifier is 0, drawn at the floor 1e-5).',
  '',
  ...figures.flatMap((f) => [f, '']),
  '<!-- table1:end -->',
];
const section = lines.join('\n');
let doc = readFileSync(out, 'utf8');
const re = /<!-- table1:start -->[\s\S]*<!-- table1:end -->/;
if (re.test(doc)) doc = doc.replace(re, section);
else {
  const at = doc.indexOf('\n## ');
  doc = at >= 0 ? doc.slice(0, at + 1) + section + '\n\n' + doc.slice(at + 1) : doc + '\n' + section + '\n';
}
// The findings: every verdict of the tables above, from the same module; nothing by hand.
const findings = [
  '<!-- findings:start -->',
  '## Findings (generated by `npx tsx scripts/table1-report.ts` from src/paper/findings.ts)',
  '',
  ...findingsMarkdown(cells, abl, bundle.claims),
  '<!-- findings:end -->',
].join('\n');
const findingsRe = /<!-- findings:start -->[\s\S]*<!-- findings:end -->/;
// Each method at its own best lr (issue 31, item 4), right after Table 1
const tc = bundle.tunedConditions;
const tunedConditions = tc.rows
  ? `${tc.rows} finished runs of the tuned race (bench/results/race-tuned-*.jsonl), ${tc.firstFinished!.slice(0, 16)} – ${tc.lastFinished!.slice(0, 16)} UTC, commits ${tc.commits.join(', ')}, matmul ${tc.matmuls.map((m) => `${m.matmul} (${m.rows})`).join(', ')}; the paper-lr points of Table 1's methods are Table 1's rows (above).`
  : "no run of the tuned race has finished yet (bench/results/race-tuned-*.jsonl is empty or absent); the paper-lr points of Table 1's methods are Table 1's rows (above).";
const tuned = ['<!-- tuned:start -->', ...tunedMarkdown(bundle.tuned, bundle.tunedChanges, tunedConditions), '<!-- tuned:end -->'].join(
  '\n',
);
const tunedRe = /<!-- tuned:start -->[\s\S]*<!-- tuned:end -->/;
doc = tunedRe.test(doc) ? doc.replace(tunedRe, tuned) : doc.replace('<!-- table1:end -->', `<!-- table1:end -->\n\n${tuned}`);
if (findingsRe.test(doc)) doc = doc.replace(findingsRe, findings);
else console.error(`${out} has no findings markers: the findings were left as they are`);
writeFileSync(out, doc);
console.log(section);

// ---- their code against GrokLab (issue 31, item 3): the side-by-side section of docs/no-weight-decay.md ----
const eosDoc = 'docs/no-weight-decay.md';
const eosFiles = readdirSync(DIR).filter((f) => /^race-eos-[\w.-]+\.(jsonl|partial\.json)$/.test(f));
const eosRows = eosFiles.filter((f) => f.endsWith('.jsonl')).flatMap((f) => parseRaceLines(readFileSync(`${DIR}/${f}`, 'utf8')));
const eosCut = eosFiles
  .filter((f) => f.endsWith('.partial.json'))
  .flatMap((f) => {
    try {
      return unfinishedRuns(JSON.parse(readFileSync(`${DIR}/${f}`, 'utf8')));
    } catch {
      return [];
    }
  });
const reference = readdirSync(DIR).includes('eos-reference.jsonl')
  ? parseReferenceLines(readFileSync(`${DIR}/eos-reference.jsonl`, 'utf8'))
  : [];
const eosSection = ['<!-- eos:start -->', ...eosMarkdown(eosTable(reference, eosRows, eosCut)), '<!-- eos:end -->'].join('\n');
const eosRe = /<!-- eos:start -->[\s\S]*<!-- eos:end -->/;
const eosText = readFileSync(eosDoc, 'utf8');
if (eosRe.test(eosText)) writeFileSync(eosDoc, eosText.replace(eosRe, eosSection));
else console.error(`${eosDoc} has no eos markers: its side-by-side table was left as it is`);

// ---- the README's short table: paper → our median (each seed), one row per task ----
const TASK_NAMES: Record<string, string> = { add: 'a + b', sub: 'a − b', mul: 'a · b', sq_sub: 'a² − b', poly5: 'a·c + b·d − e' };
const num = (n: number) => n.toLocaleString('en').replace(/,/g, ' ');
const readmeCell = (c: PaperCell) => {
  const paper = !c.paper ? '–' : 'steps' in c.paper ? num(c.paper.steps) : 'fails';
  if (!c.seeds.length) {
    const u = c.unfinished[0];
    return u
      ? `${paper} → unfinished (step ${num(u.step)}${u.valAcc !== null ? `, val ${u.valAcc.toFixed(2)}` : ''})`
      : `${paper} → not run`;
  }
  const median = c.median === null ? `> ${num(Math.max(...c.seeds.map((s) => s.steps)))}` : num(c.median);
  return `${paper} → ${median} (${c.seeds.map((s) => (s.stepsTo95 === null ? `>${s.steps}` : String(s.stepsTo95))).join(', ')})`;
};
const readmeTable = [
  '<!-- race-table:start -->',
  markdownTable(
    ['task', ...PAPER_METHODS.map((m) => (m === 'matched' ? 'matched normalization' : PAPER_METHOD_LABELS[m]))],
    Object.entries(TASK_NAMES).map(([task, name]) => [
      name,
      ...PAPER_METHODS.map((m) => readmeCell(cells.find((c) => c.task === task && c.method === m)!)),
    ]),
  ),
  '<!-- race-table:end -->',
].join('\n');
const readmeText = readFileSync(readme, 'utf8');
const tableRe = /<!-- race-table:start -->[\s\S]*<!-- race-table:end -->/;
if (tableRe.test(readmeText)) writeFileSync(readme, readmeText.replace(tableRe, readmeTable));
else console.error(`${readme} has no race-table markers: its table was left as it is`);
