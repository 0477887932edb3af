/**
 * Sweeps as data, run on this machine (issue 29): a malformed sweep file is refused with the
 * field named; a sweep of 4 tiny classroom jobs runs, a second run does nothing, and a job cut
 * by a signal resumes from its checkpoint with a series equal to the uninterrupted run's.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jobsOf, parseSweep, selectRaces, SweepFileError } from '../src/sweep/sweep-file';
import { answers, budgetOf, raceKey } from '../src/sweep/race';
import { readRows } from '../src/sweep/results';
import { rowsIn, sweep, TINY, until, writeSweep } from './sweep-helpers';

const dir = mkdtempSync(join(tmpdir(), 'groklab-sweep-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a sweep file', () => {
  it('is refused with the bad field named', () => {
    const good = { name: 'x', preset: 'classroom', tasks: ['add'], arms: ['adamw'], seeds: [0], steps: 40 };
    const refused = (data: unknown) => {
      try {
        parseSweep(data, 'bad.json');
      } catch (e) {
        expect(e).toBeInstanceOf(SweepFileError);
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(refused({ races: [good, { ...good, name: 'y', seeds: ['zero'] }] })).toMatch(/races\[1\]\.seeds\[0\]/);
    expect(refused({ races: [{ ...good, arms: ['sgd+lr=1'] }] })).toMatch(/races\[0\]\.arms\[0\]: an arm starts with a method/);
    expect(refused({ races: [{ ...good, stepz: 40 }] })).toMatch(/races\[0\].*stepz/);
    expect(refused({ races: [{ ...good, tasks: ['pow'] }] })).toMatch(/races\[0\]\.tasks\[0\]/);
    expect(refused({ races: [{ ...good, after: 'nowhere' }] })).toMatch(/races\[0\]\.after: no race "nowhere"/);
    expect(refused({ races: [] })).toMatch(/races/);
    expect(parseSweep({ races: [good] }).races[0]!.evalEvery).toBe(10);
  });

  it('is cut to the races --races names (commas, * for any text), keeping what a kept race runs after', () => {
    const race = (name: string, after?: string) => ({
      name,
      preset: 'classroom',
      tasks: ['add'],
      arms: ['adamw'],
      seeds: [0],
      steps: 40,
      after,
    });
    const s = parseSweep({ races: [race('eos-mlp-300'), race('eos-mlp-500'), race('eos-transformer'), race('stage2', 'eos-transformer')] });
    expect(selectRaces(s, 'eos-mlp-*').races.map((r) => r.name)).toEqual(['eos-mlp-300', 'eos-mlp-500']);
    expect(selectRaces(s, 'eos-mlp-500, stage2,eos-transformer').races.map((r) => r.name)).toEqual([
      'eos-mlp-500',
      'eos-transformer',
      'stage2',
    ]);
    expect(jobsOf(selectRaces(s, 'eos-mlp-3*')).map((j) => j.race)).toEqual(['eos-mlp-300']);
    // a dot is a dot, not any character
    expect(() => selectRaces(s, 'eos.mlp.300')).toThrow(/no race of this sweep has that name \(it has: eos-mlp-300, /);
    expect(() => selectRaces(s, 'stage2')).toThrow(/"stage2" runs after "eos-transformer"; select that one too/);
  });

  it("gives a job the race runner's key and budget, and an id that is a hash of its whole run", () => {
    const s = parseSweep({
      races: [
        {
          name: 'b',
          preset: 'paper',
          set: 'p=7;layers=4',
          tasks: ['poly5'],
          arms: ['grokfast_ma', 'standard'],
          seeds: [0],
          steps: 5000,
          budgetX: 3,
          stopAt: 0.95,
          evalEvery: 50,
          priority: 20,
        },
        {
          name: 'a',
          preset: 'paper',
          tasks: ['add'],
          arms: ['gradnorm+norm-matched'],
          seeds: [2, 0],
          steps: 6000,
          budgetX: 3,
          stopAt: 0.95,
          priority: 5,
        },
      ],
    });
    const jobs = jobsOf(s);
    // priority first, then the file's order, seed-major within a race
    expect(jobs.map((j) => `${j.race}:${j.arm}:${j.seed}`)).toEqual([
      'a:gradnorm+norm-matched:2',
      'a:gradnorm+norm-matched:0',
      'b:grokfast_ma:0',
      'b:standard:0',
    ]);
    expect(jobs[2]!.key).toBe('paper|poly5|grokfast_ma|p=7;layers=4|0|26559|50|0.95');
    expect(jobs[3]!.budget).toBe(5000); // no figure: --steps
    expect(jobs[0]!.budget).toBe(2700); // matched normalization: NeuralGrok's figure × 3
    expect(new Set(jobs.map((j) => j.id)).size).toBe(4);
    const moreSteps = jobsOf(parseSweep({ races: [{ ...s.races[1]!, steps: 6000, budgetX: 4 }] }));
    expect(moreSteps[0]!.id).not.toBe(jobs[0]!.id);
  });

  it('recognises the rows the race runner already wrote (the same keys, the same files)', () => {
    const file = 'bench/results/race-paper-add.jsonl';
    if (!existsSync(file)) return;
    const rule = { preset: 'paper', set: '', steps: 6000, budgetX: 3, evalEvery: 10, stopAt: '0.95', full: false };
    const rows = readRows(file);
    const arms = ['standard', 'grokfast_ma', 'grokfast_ema', 'neuralgrok', 'gradnorm+norm-matched'];
    const answered = arms.filter((arm) => rows.some((r) => answers(r, rule, 'add', arm, 0)));
    expect(answered.length).toBeGreaterThanOrEqual(4);
    expect(raceKey(rule, 'add', 'neuralgrok', 0)).toBe(`paper|add|neuralgrok||0|${budgetOf(rule, 'add', 'neuralgrok')}|10|0.95`);
  });
});

describe('the embedded sweep', () => {
  const results = join(dir, 'results');
  const runs = join(dir, 'runs');
  const four = writeSweep(dir, 'four', [{ ...TINY, name: 'four', arms: ['adamw', 'grokfast_ema'], seeds: [0, 1] }]);

  it('runs 4 tiny jobs; a second run does nothing', { timeout: 180_000 }, async () => {
    const first = await sweep(['run', four, '--results', results, '--runs', runs, '--jobs', '2']).done;
    expect(first.code, first.stderr).toBe(0);
    const rows = rowsIn(join(results, 'race-four.jsonl'));
    expect(rows).toHaveLength(4);
    expect(new Set(rows.map((r) => r.job)).size).toBe(4);
    for (const r of rows) {
      expect(r.steps).toBe(60);
      expect(r.backend).toBe('wasm');
      expect(r.machine).toBeTruthy();
      expect(Date.parse(r.startedAt!)).toBeLessThanOrEqual(Date.parse(r.finishedAt));
      expect(r.resumedFrom).toBeUndefined();
      expect(r.curve.step.at(-1)).toBe(60);
    }
    const before = readFileSync(join(results, 'race-four.jsonl'), 'utf8');
    const second = await sweep(['run', four, '--results', results, '--runs', runs]).done;
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('4 jobs: 4 finished');
    expect(second.stderr).not.toContain('starting');
    expect(readFileSync(join(results, 'race-four.jsonl'), 'utf8')).toBe(before);
  });

  it('resumes a cut job from its checkpoint; its series equals the uninterrupted run', { timeout: 180_000 }, async () => {
    // the same run as four's adamw seed 0, in a race of its own
    const cut = writeSweep(dir, 'cut', [{ ...TINY, name: 'cut', arms: ['adamw'], seeds: [0] }]);
    const cutRuns = join(dir, 'cut-runs');
    const first = sweep(['run', cut, '--results', results, '--runs', cutRuns]);
    await until('the first checkpoint', () => existsSync(cutRuns) && readdirSync(cutRuns).some((f) => f.endsWith('.ckpt')), 60_000, 20);
    first.child.kill('SIGTERM');
    const stopped = await first.done;
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(rowsIn(join(results, 'race-cut.jsonl'))).toHaveLength(0);
    const second = await sweep(['run', cut, '--results', results, '--runs', cutRuns]).done;
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('resume from their checkpoints');
    const [resumed] = rowsIn(join(results, 'race-cut.jsonl'));
    const whole = rowsIn(join(results, 'race-four.jsonl')).find((r) => r.arm === 'adamw' && r.seed === 0)!;
    expect(resumed!.key).toBe(whole.key);
    expect(resumed!.resumedFrom).toHaveLength(1);
    expect(resumed!.resumedFrom![0]).toBeGreaterThan(0);
    expect(resumed!.resumedFrom![0]).toBeLessThan(60);
    expect(resumed!.curve).toEqual(whole.curve);
    expect(resumed!.finalValAcc).toBe(whole.finalValAcc);
    expect(readdirSync(cutRuns).filter((f) => f.endsWith('.ckpt'))).toEqual([]);
  });
});
