/**
 * "A fair comparison" (issue 31, item 4) on hand-made rows: the rule of src/paper/tuned.ts picks
 * the point with the lowest median, a point whose median is censored never wins, a grid without
 * rows says "not run yet" and one with missing runs "partial (k of n runs)"; and sweeps/tuned.ts
 * declares the grid so that Table 1's rows answer its paper-lr points (the same job ids).
 */
import { describe, expect, it } from 'vitest';
import { buildPaperBundle, isPaperResultFile } from '../src/paper/bundle';
import type { RaceRow, UnfinishedRun } from '../src/paper/rows';
import { choose, tunedArm, tunedCellOf, tunedChanges, tunedTable, type TunedMethod, type TunedTask } from '../src/paper/tuned';
import { jobsOf, parseSweep, SweepFileError } from '../src/sweep/sweep-file';
import { isFinished } from '../src/sweep/results';
import table1 from '../sweeps/table1';
import tuned from '../sweeps/tuned';

let clock = 0;
/** A finished run of (task, method) at a grid point; null: stopped at `budget` without reaching 95 %. */
function row(
  task: TunedTask,
  method: TunedMethod,
  lr: number,
  seed: number,
  stepsTo95: number | null,
  budget = 4950,
  wd: number | null = null,
): RaceRow {
  clock += 1;
  const arm = tunedArm(task, method, { lr, weightDecay: wd });
  return {
    key: `paper|${task}|${arm}||${seed}|${budget}|10|0.95`,
    task,
    arm,
    seed,
    stepsTo95,
    steps: stepsTo95 ?? budget,
    finishedAt: new Date(Date.UTC(2026, 11, 1, 0, clock)).toISOString(),
    config: { lr, seed },
  };
}
const three = (task: TunedTask, method: TunedMethod, lr: number, steps: (number | null)[], wd: number | null = null) =>
  steps.map((s, seed) => row(task, method, lr, seed, s, 4950, wd));
const cell = (rows: RaceRow[], task: TunedTask, method: TunedMethod, unfinished: UnfinishedRun[] = []) =>
  tunedCellOf(tunedTable(rows, unfinished), task, method);

describe('the tuned rule', () => {
  it('picks the lr with the lowest median, and says how much faster than the paper’s lr', () => {
    const rows = [
      ...three('add', 'standard', 1e-3, [1500, 1600, 1700]),
      ...three('add', 'standard', 3e-3, [900, 1000, 1100]),
      ...three('add', 'standard', 3e-4, [3000, 3100, null]),
    ];
    const c = cell(rows, 'add', 'standard');
    expect(c.status).toBe('complete');
    expect(c.runs).toBe(9);
    expect(c.settings[c.chosen!]!.lr).toBe(3e-3);
    expect(c.decided).toBe(true);
    expect(c.comparisonKind).toBe('faster');
    expect(c.comparison).toBe('faster when tuned (lr 3e-3): 1 000 against 1 600 at the paper’s lr (0.63×)');
    expect(c.settings.find((s) => s.lr === 3e-4)!.text).toBe('3 100 (s0 3 000, s1 3 100, s2 >4 950)');
  });

  it('never lets a point whose median is censored win, however low its budget', () => {
    const rows = [
      ...three('add', 'orthograd', 1e-3, [2000, 2100, 2200]),
      // two of three seeds stopped at a budget below every other median: "more than 1 000", not 1 000
      row('add', 'orthograd', 3e-3, 0, null, 1000),
      row('add', 'orthograd', 3e-3, 1, null, 1000),
      row('add', 'orthograd', 3e-3, 2, 500, 1000),
      ...three('add', 'orthograd', 3e-4, [null, null, null]),
    ];
    const c = cell(rows, 'add', 'orthograd');
    expect(c.settings[c.chosen!]!.lr).toBe(1e-3);
    expect(c.settings.find((s) => s.lr === 3e-3)!.medianHi).toBeNull();
    // its low end (1 000) lies below the chosen 2 100: it could still be faster, so the choice is open, not reversed
    expect(c.decided).toBe(false);
    expect(c.comparisonKind).toBe('open');
    expect(c.comparison).toMatch(/^open \(censored at 1000\)/);
    // at the paper's budget the censored point is past the chosen median: decided
    const atBudget = [
      ...three('add', 'orthograd', 1e-3, [2000, 2100, 2200]),
      ...three('add', 'orthograd', 3e-3, [null, null, 500]),
      ...three('add', 'orthograd', 3e-4, [null, null, null]),
    ];
    const d = cell(atBudget, 'add', 'orthograd');
    expect(d.decided).toBe(true);
    expect(d.comparison).toBe('the paper’s lr is the grid’s best');
  });

  it('says no point reached 95 % when every median is censored, and gives ties to the paper’s point', () => {
    const none = [0.003, 0.001, 0.0003].flatMap((lr) => three('add', 'stablemax', lr, [null, null, 700]));
    const c = cell(none, 'add', 'stablemax');
    expect(c.chosen).toBeNull();
    expect(c.comparisonKind).toBe('none-reach');
    expect(c.comparison).toMatch(/no point of the grid reached 95 % on most seeds/);
    const tie = [0.003, 0.001, 0.0003].flatMap((lr) => three('add', 'neuralgrok', lr, [900, 1000, 1100]));
    expect(cell(tie, 'add', 'neuralgrok').comparison).toBe('the paper’s lr is the grid’s best');
    // within the ±25 % band: tuning changes little
    const near = [
      ...three('add', 'neuralgrok', 1e-3, [900, 1000, 1100]),
      ...three('add', 'neuralgrok', 3e-3, [850, 900, 950]),
      ...three('add', 'neuralgrok', 3e-4, [2000, 2100, 2200]),
    ];
    expect(cell(near, 'add', 'neuralgrok').comparisonKind).toBe('within');
  });

  it('says "not run yet" where no row is, and "partial (k of n runs)" where some are missing — no figure it has not got', () => {
    const rows = three('add', 'standard', 1e-3, [1500, 1600, 1700]);
    const empty = cell(rows, 'add', 'orthograd');
    expect(empty.status).toBe('not-run');
    expect(empty.choice).toBe('not run yet');
    expect(empty.comparison).toBe('not run yet');
    expect(empty.settings.every((s) => s.text === 'not run yet' && s.medianLo === null)).toBe(true);
    const std = cell([...rows, row('add', 'standard', 3e-3, 0, 800)], 'add', 'standard');
    expect(std.status).toBe('partial');
    expect(std.comparison).toBe('partial (4 of 9 runs)');
    expect(std.choice).toMatch(/^partial \(4 of 9 runs\); so far lr 3e-3: median partial \(1 of 3 seeds\): s0 800$/);
    expect(std.decided).toBe(false);
    // AdamW's grid is lr × wd: 27 runs
    expect(cell(rows, 'sq_sub', 'adamw').expectedRuns).toBe(27);
    // a run cut by a session's end counts as started, with how far it got
    const cut: UnfinishedRun[] = [{ task: 'add', arm: 'orthograd', seed: 0, step: 1200, budget: 4950, valAcc: 0.1, at: '' }];
    const o = cell(rows, 'add', 'orthograd', cut);
    expect(o.status).toBe('partial');
    expect(o.settings.find((s) => s.paperPoint)!.text).toBe('partial (0 of 3 seeds): s0 unfinished at 1 200');
    // what changes when every method is tuned waits for complete grids
    expect(tunedChanges(tunedTable(rows), 'add').join(' ')).toMatch(/^Not ranked yet.*Standard — partial \(3 of 9 runs\)/);
  });

  it('does not count rows of another preset or --set, and ranks complete grids against Standard', () => {
    const other = { ...row('add', 'standard', 3e-3, 0, 10), key: 'classroom|add|standard+lr=0.003||0|4950|10|0.95' };
    expect(cell([other], 'add', 'standard').status).toBe('not-run');
    const rows = [
      ...[0.003, 0.001, 0.0003].flatMap((lr) => three('add', 'standard', lr, lr === 0.003 ? [900, 1000, 1100] : [1500, 1600, 1700])),
      ...[0.003, 0.001, 0.0003].flatMap((lr) => three('add', 'neuralgrok', lr, lr === 0.001 ? [800, 850, 900] : [1500, 1600, 1700])),
    ];
    const lines = tunedChanges(tunedTable(rows), 'add');
    expect(lines[0]).toBe("At the paper's lr, by median steps to 95 %: NeuralGrok 850 · Standard 1 600.");
    expect(lines[1]).toBe('Each at its own best point: NeuralGrok 850 · Standard 1 000.');
    expect(lines[2]).toBe("NeuralGrok against Standard: at the paper's lr faster (0.53×); both tuned faster (0.85×).");
  });

  it('chooses nothing among points not run', () => {
    expect(choose([])).toEqual({ index: null, decided: false, open: [] });
  });
});

describe('sweeps/tuned.ts', () => {
  const sweep = parseSweep(tuned, 'sweeps/tuned.ts');
  const jobs = jobsOf(sweep);

  it('reuses Table 1’s jobs for the paper-lr points (the same ids) and declares every other point once', () => {
    const t1 = new Set(jobsOf(parseSweep(table1)).map((j) => j.id));
    const paperPoints = jobs.filter((j) => j.race.startsWith('paper-'));
    expect(paperPoints.length).toBe(2 * 5 * 3);
    expect(paperPoints.every((j) => t1.has(j.id))).toBe(true);
    // 2 tasks × (5 Table 1 methods × 2 other lrs + 2 new methods × 3 lrs + AdamW 3 lrs × 3 decays) × 3 seeds
    const grid = jobs.filter((j) => j.race.startsWith('tuned-'));
    expect(grid.length).toBe(2 * (5 * 2 + 2 * 3 + 9) * 3);
    expect(new Set(jobs.map((j) => j.id)).size).toBe(jobs.length);
    // a + b seed 0 runs first, a² − b's seeds 1–2 last; within a stage the ×3 lr points first
    expect(grid[0]!.task).toBe('add');
    expect(grid[0]!.seed).toBe(0);
    expect(grid[0]!.arm).toMatch(/lr=0\.003/);
    expect(grid.at(-1)!.task).toBe('sq_sub');
    expect(grid.findIndex((j) => j.task === 'sq_sub')).toBeGreaterThan(grid.findLastIndex((j) => j.task === 'add'));
    expect(grid.findIndex((j) => j.seed === 1)).toBeGreaterThan(grid.findLastIndex((j) => j.task === 'add' && j.seed === 0));
    // budgets: 3× the paper's figure, methods without one 3× Standard's
    expect(grid.find((j) => j.arm === 'orthograd+lr=0.003' && j.task === 'add')!.budget).toBe(4950);
    expect(grid.find((j) => j.arm === 'neuralgrok+lr=0.003' && j.task === 'sq_sub')!.budget).toBe(5535);
    expect(grid.find((j) => j.arm.startsWith('adamw+weight-decay=0+loss=stablemax') && j.task === 'sq_sub')!.args).toEqual(
      expect.arrayContaining(['--loss', 'stablemax', '--weight-decay', '0']),
    );
  });

  it('counts a Table 1 row as the paper point’s answer', () => {
    const job = jobs.find((j) => j.race === 'paper-add' && j.arm === 'standard' && j.seed === 0)!;
    const r = { key: 'paper|add|standard||0|3000|10|0.95', task: 'add', arm: 'standard', seed: 0, stepsTo95: 1410, steps: 1410 };
    expect(isFinished(sweep, job, [r as never])).toBe(true);
  });

  it('lets a race be declared again only as a stage: the same rule and arms, other seeds', () => {
    const race = { name: 'x', preset: 'classroom', tasks: ['add'], arms: ['adamw'], seeds: [0], steps: 40 };
    expect(parseSweep({ races: [race, { ...race, seeds: [1, 2], priority: 20 }] }).races).toHaveLength(2);
    expect(() => parseSweep({ races: [race, { ...race, seeds: [0, 1] }] })).toThrow(SweepFileError);
    expect(() => parseSweep({ races: [race, { ...race, seeds: [1], steps: 80 }] })).toThrow(/declared twice/);
  });

  it('feeds the paper view: the tuned results files are read into the bundle', () => {
    expect(isPaperResultFile('race-tuned-add.jsonl')).toBe(true);
    expect(isPaperResultFile('race-tuned-sq_sub.partial.json')).toBe(true);
    const rows = three('add', 'orthograd', 1e-3, [2000, 2100, 2200]);
    const b = buildPaperBundle({ 'bench/results/race-tuned-add.jsonl': rows.map((r) => JSON.stringify(r)).join('\n') + '\n' });
    const c = tunedCellOf(b.tuned, 'add', 'orthograd');
    expect(c.choice).toBe('partial (3 of 9 runs); so far lr 1e-3: median 2 100 (s0 2 000, s1 2 100, s2 2 200)');
    expect(b.tunedConditions.rows).toBe(3);
    expect(tunedCellOf(b.tuned, 'sq_sub', 'standard').comparison).toBe('not run yet');
  });
});
