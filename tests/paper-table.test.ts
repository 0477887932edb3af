/**
 * The build-time reduction of the race results (src/core/paper-table.ts) on a hand-made fixture:
 * medians, seed counts and verdicts equal a table computed by hand below.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildPaperBundle, cellVerdict, downsample, latestRows, type RaceRow } from '../src/core/paper-table';

const CONFIG = { lr: 0.001 }; // any config: only whether a row has one matters to the reduction
let clock = 0;
/** A row finished `clock` minutes after midnight (so later rows are newer). */
function row(task: string, arm: string, seed: number, stepsTo95: number | null, extra: Partial<RaceRow> = {}): RaceRow {
  clock += 1;
  return {
    task,
    arm,
    seed,
    stepsTo95,
    steps: stepsTo95 ?? 5000,
    finishedAt: new Date(Date.UTC(2026, 11, 1, 0, clock)).toISOString(),
    config: { ...CONFIG, seed },
    curve: { step: [10, 20], valAcc: [0.1, 0.96] },
    commit: 'abc1234',
    ...extra,
  };
}
const jsonl = (rows: RaceRow[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const withoutConfig = (r: RaceRow): RaceRow => {
  const { config: _, ...rest } = r;
  return rest;
};

const longCurve = { step: Array.from({ length: 500 }, (_, i) => 10 * (i + 1)), valAcc: Array.from({ length: 500 }, (_, i) => i / 499) };
const addRows = [
  row('add', 'standard', 0, 9999), // older, with a config: replaced by the newer one below
  row('add', 'standard', 0, 1500, { curve: longCurve }),
  withoutConfig(row('add', 'standard', 0, 3000)), // newest but without a config: the one with a config wins
  row('add', 'standard', 1, 1700),
  row('add', 'standard', 2, 2000),
  row('add', 'neuralgrok', 0, 600, { curve: { step: [10, 20], valAcc: [0.1, 0.96], ampWeightStd: [0.0001, 0.0002] } }),
  row('add', 'neuralgrok', 1, 700),
  row('add', 'neuralgrok+ng-hidden=32,32', 0, 100), // an old first pass: not a cell
  row('add', 'grokfast_ma', 0, 1800),
  row('add', 'grokfast_ema', 0, null, { steps: 5460 }),
  row('add', 'grokfast_ema', 1, 1000),
  row('add', 'grokfast_ema', 2, null, { steps: 5460 }),
  withoutConfig(row('add', 'gradnorm+norm-matched', 0, 300)), // old protocol: skipped
  row('add', 'gradnorm+norm-matched', 0, 800),
];
const poly5Rows = [
  row('poly5', 'standard', 0, null, { steps: 5000 }),
  row('poly5', 'neuralgrok', 0, 50), // not poly5's NeuralGrok arm
  row('poly5', 'neuralgrok+ng-hidden=1152+ng-every=1', 0, 2000),
];
const ablationRows = [
  row('add', 'neuralgrok+ng-meta-wd=0+ng-meta-lr=0.01', 0, 500, {
    curve: { step: [10, 20, 30], valAcc: [0.1, 0.5, 0.96], ampWeightStd: [0.001, 0.05, 0.03] },
  }),
  row('add', 'neuralgrok+ng-meta-wd=0+ng-meta-lr=0.0001', 0, 900, {
    curve: { step: [10, 20], valAcc: [0.1, 0.96], ampWeightStd: [0.0001, 0.0003] },
  }),
];
const files = {
  'bench/results/race-paper-add.jsonl': jsonl(addRows) + '{"task":"add","arm":"standard","se', // a line being appended
  'bench/results/race-paper-poly5.jsonl': jsonl(poly5Rows),
  'bench/results/race-ablation-add.jsonl': jsonl(ablationRows),
  'bench/results/race-pilot-lr1e-2.jsonl': jsonl([row('add', 'standard', 0, 1)]), // not a paper race
};
const bundle = buildPaperBundle(files);
const cell = (task: string, method: string) => bundle.cells.find((c) => c.task === task && c.method === method)!;
const table = (task: string, method: string) => {
  const c = cell(task, method);
  return { median: c.median, seeds: c.seeds.map((s) => s.seed), perSeed: c.seeds.map((s) => s.stepsTo95), verdict: c.verdict };
};

describe('Table 1 from race rows (hand-computed)', () => {
  it('gives every cell its median, seeds and verdict', () => {
    expect(bundle.cells).toHaveLength(25);
    // 1500, 1700, 2000 → 1700; 1700 / 1650 = 1.03, three seeds
    expect(table('add', 'standard')).toEqual({ median: 1700, seeds: [0, 1, 2], perSeed: [1500, 1700, 2000], verdict: 'reproduced' });
    // (600 + 700) / 2 = 650; 650 / 900 = 0.72 < 0.75, two seeds
    expect(table('add', 'neuralgrok')).toEqual({
      median: 650,
      seeds: [0, 1],
      perSeed: [600, 700],
      verdict: 'faster than reported (preliminary, 2 seeds)',
    });
    // 1800 / 1780 = 1.01 but one seed: not "reproduced"
    expect(table('add', 'grokfast_ma')).toEqual({
      median: 1800,
      seeds: [0],
      perSeed: [1800],
      verdict: 'within ±25 % (preliminary, 1 seed)',
    });
    // never, 1000, never → the median is "never"
    expect(table('add', 'grokfast_ema')).toEqual({
      median: null,
      seeds: [0, 1, 2],
      perSeed: [null, 1000, null],
      verdict: 'not within 5460 steps',
    });
    expect(cell('add', 'grokfast_ema').reached).toBe(1);
    // the row without a config is skipped
    expect(table('add', 'matched')).toEqual({
      median: 800,
      seeds: [0],
      perSeed: [800],
      verdict: 'no figure in the paper (preliminary, 1 seed)',
    });
    expect(table('sub', 'standard')).toEqual({ median: null, seeds: [], perSeed: [], verdict: 'not run yet' });
    expect(table('poly5', 'standard').verdict).toBe('not within 5000 steps, as the paper (which ran 1,000,000) (preliminary, 1 seed)');
    expect(table('poly5', 'neuralgrok')).toEqual({
      median: 2000,
      seeds: [0],
      perSeed: [2000],
      verdict: 'within ±25 % (preliminary, 1 seed)',
    });
    expect(cell('poly5', 'neuralgrok').arm).toBe('neuralgrok+ng-hidden=1152+ng-every=1');
    expect(cell('add', 'standard').paper).toEqual({ steps: 1650 });
    expect(cell('add', 'matched').paper).toBeNull();
  });

  it('keeps the newest row with a config per (task, arm, seed)', () => {
    const kept = latestRows(addRows).filter((r) => r.arm === 'standard' && r.seed === 0);
    expect(kept.map((r) => r.stepsTo95)).toEqual([1500]);
    expect(cell('add', 'standard').config).toEqual({ lr: 0.001, seed: 0 });
  });

  it('says faster / slower / reproduced by the ±25 % rule', () => {
    const seeds = (...xs: (number | null)[]) =>
      xs.map((x, seed) => ({ seed, stepsTo95: x, steps: 3000, seconds: null, commit: null, finishedAt: '' }));
    expect(cellVerdict({ steps: 1000 }, seeds(1250, 1250, 1250)).verdict).toBe('reproduced');
    expect(cellVerdict({ steps: 1000 }, seeds(1260, 1260, 1260)).verdict).toBe('slower than reported');
    expect(cellVerdict({ steps: 1000 }, seeds(740, 740, 740)).verdict).toBe('faster than reported');
    expect(cellVerdict({ steps: 1000 }, seeds(750, null, null)).verdict).toBe('not within 3000 steps');
    expect(cellVerdict({ failsWithin: 1e6 }, seeds(900)).verdict).toBe(
      'reached 95 % where the paper reports a failure (preliminary, 1 seed)',
    );
  });

  it('downsamples curves to at most 200 points, first and last kept', () => {
    const curve = bundle.curves.find((c) => c.task === 'add' && c.method === 'standard' && c.seed === 0)!;
    expect(curve.step).toHaveLength(200);
    expect(curve.step[0]).toBe(10);
    expect(curve.step.at(-1)).toBe(5000);
    expect(curve.valAcc.at(-1)).toBe(1);
    expect(downsample([1, 2, 3], [0.123456, null, Infinity])).toEqual({ x: [1, 2, 3], y: [0.1235, null, null] });
  });

  it('answers the ablation against matched normalization', () => {
    const a = bundle.ablation;
    expect(a.arms.map((x) => [x.arm, x.median, x.maxNwStd])).toEqual([
      ['neuralgrok', 650, 0.0002],
      ['neuralgrok+ng-meta-wd=0+ng-meta-lr=0.01', 500, 0.05],
      ['neuralgrok+ng-meta-wd=0+ng-meta-lr=0.001', null, null], // planned, not run
      ['neuralgrok+ng-meta-wd=0+ng-meta-lr=0.0001', 900, 0.0003],
      ['neuralgrok+ng-meta-wd=0.000001+ng-meta-lr=0.001', null, null],
    ]);
    expect(a.matched).toEqual({ median: 800, seeds: 1 });
    // 500 ≤ 0.75 × 800 = 600; only the loose arm moved (0.05 ≥ 0.01)
    expect(a.verdict).toBe(
      'Yes, here: NeuralGrok, meta wd 0, meta lr 0.01 reached 95 % more than 25 % sooner than matched normalization; the amplifier moved away from uniform (N·w std ≥ 0.01) in 1 of 3 arms run. Preliminary: 1 seed in the thinnest arm.',
    );
  });

  it('checks the claims from the cells', () => {
    const [ngVsStandard, hard, ngVsMatched] = bundle.claims;
    // add: 650 < 1700; poly5: 2000 < never; sub, mul, sq_sub not run
    expect(ngVsStandard).toEqual({
      claim: 'NeuralGrok reaches 95 % before Standard on every task',
      verdict: 'NeuralGrok was first on 2 of 2 tasks run (add yes, poly5 yes); 3 not run yet.',
      status: 'open',
    });
    // poly5: NeuralGrok 2000 against GrokFast not run (+∞? no: NaN, not run) → not comparable
    expect(hard!.status).toBe('open');
    // add: 650 < 800
    expect(ngVsMatched!.verdict).toBe('NeuralGrok was first on 1 of 1 task run (add yes); 4 not run yet.');
    expect(bundle.conditions.commits).toEqual(['abc1234']);
    expect(bundle.files).toContain('bench/results/race-pilot-lr1e-2.jsonl');
  });
});

describe('the committed results', () => {
  it('reduce to a small bundle (whatever rows are there now)', () => {
    const dir = 'bench/results';
    const texts = Object.fromEntries(
      readdirSync(dir)
        .filter((f) => /^race-(paper-.*|ablation-add)\.jsonl$/.test(f))
        .map((f) => [`${dir}/${f}`, readFileSync(`${dir}/${f}`, 'utf8')]),
    );
    const b = buildPaperBundle(texts);
    expect(b.cells).toHaveLength(25);
    expect(b.curves.every((c) => c.step.length <= 200 && c.valAcc.length === c.step.length)).toBe(true);
    expect(JSON.stringify(b).length).toBeLessThan(400_000);
    // only three or more seeds may say "reproduced"
    for (const c of b.cells) if (c.verdict === 'reproduced') expect(c.seeds.length).toBeGreaterThanOrEqual(3);
  });
});
