/**
 * Multi-seed compare (`cmp=neuralgrok,standard&seeds=0,1,2`): the link expands to one run per
 * method and seed, and the verdict and the CSV agree with what the runs reported.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { decodeConfigQuery, encodeConfigQuery } from '../src/config/url';
import { multiSeedCsv, multiSeedVerdict, summarizeMethods, type SeedRun } from '../src/core/multi-seed';
import { formatCompareList, parseCompareList, seedRunsOf } from '../src/ui/state/compare-slice';
import { DEFAULT_UI_CONFIG, useGrokStore } from '../src/ui/store';
import { FakeWorker } from './fake-worker';

const run = (method: string, label: string, seed: number, stepsTo95: number | null, steps = 1000): SeedRun => ({
  method,
  label,
  seed,
  stepsTo95,
  stepsTo99: stepsTo95 === null ? null : stepsTo95 + 50,
  steps,
});

describe('multi-seed verdict and CSV (hand-computed)', () => {
  // NeuralGrok 300, 500, 900 (median 500); Standard 800, 400, never (median 800)
  const runs = [
    run('neuralgrok', 'NeuralGrok', 0, 300),
    run('neuralgrok', 'NeuralGrok', 1, 500),
    run('neuralgrok', 'NeuralGrok', 2, 900),
    run('standard', 'Standard', 0, 800),
    run('standard', 'Standard', 1, 400),
    run('standard', 'Standard', 2, null),
  ];

  it('summarizes each method: median (never = +∞), reached, spread', () => {
    expect(summarizeMethods(runs)).toEqual([
      { method: 'neuralgrok', label: 'NeuralGrok', seeds: 3, reached: 3, median: 500, min: 300, max: 900 },
      { method: 'standard', label: 'Standard', seeds: 3, reached: 2, median: 800, min: 400, max: 800 },
    ]);
  });

  it('says who was first in how many seeds and by how much (median 800 / 500 = 1.6)', () => {
    // seed 0: 300 < 800 yes; seed 1: 500 > 400 no; seed 2: 900 < never yes
    expect(multiSeedVerdict(runs)).toBe('NeuralGrok reached 95 % first in 2 of 3 seeds; median 1.6× faster than Standard.');
    expect(multiSeedVerdict([run('a', 'A', 0, null), run('b', 'B', 0, null, 2000)])).toBe(
      'No method reached val ≥ 0.95 in most of its seeds within 2000 steps (1 seed).',
    );
    // a tie counts for neither: seed 0 100 = 100, seed 1 200 < 300; medians 150 and 200
    expect(multiSeedVerdict([run('a', 'A', 0, 100), run('a', 'A', 1, 200), run('b', 'B', 0, 100), run('b', 'B', 1, 300)])).toBe(
      'A reached 95 % first in 1 of 2 seeds; median 1.3× faster than B.',
    );
    expect(multiSeedVerdict([run('a', 'A', 0, 100), run('b', 'B', 0, null)])).toBe(
      "A reached 95 % first in 1 of 1 seed; B's median did not reach it.",
    );
  });

  it('exports the runs and the summary as CSV', () => {
    expect(multiSeedCsv(runs)).toBe(
      [
        'method,seed,steps_to_95,steps_to_99,steps_trained',
        'NeuralGrok,0,300,350,1000',
        'NeuralGrok,1,500,550,1000',
        'NeuralGrok,2,900,950,1000',
        'Standard,0,800,850,1000',
        'Standard,1,400,450,1000',
        'Standard,2,,,1000',
        '',
        'method,seeds,reached_95,median_steps_to_95,min_steps_to_95,max_steps_to_95',
        'NeuralGrok,3,3,500,300,900',
        'Standard,3,2,800,400,800',
        '',
      ].join('\n'),
    );
  });
});

describe('multi-seed links', () => {
  it('expands cmp × seeds, keeps an explicit @seed, bounds the list, and writes the link back', () => {
    const r = parseCompareList('neuralgrok,standard,adamw@7', '0,1,2,1,x');
    expect(r.entries).toEqual([
      { method: 'neuralgrok', seed: 0 },
      { method: 'neuralgrok', seed: 1 },
      { method: 'neuralgrok', seed: 2 },
      { method: 'standard', seed: 0 },
      { method: 'standard', seed: 1 },
      { method: 'standard', seed: 2 },
      { method: 'adamw', seed: 7 },
    ]);
    expect(r.seeds).toEqual([0, 1, 2]);
    expect(r.messages).toEqual(['seeds: "x" is not a seed; ignored']);
    expect(formatCompareList(r.entries, r.seeds)).toBe('neuralgrok,standard,adamw');
    const many = parseCompareList('neuralgrok,standard,adamw,grokfast_ema', '0,1,2,3,4');
    expect(many.entries).toHaveLength(12);
    expect(many.messages).toHaveLength(8);
    const query = encodeConfigQuery(DEFAULT_UI_CONFIG, DEFAULT_UI_CONFIG, [], 'neuralgrok,standard', '0,1,2');
    expect(query).toBe('v=3&cmp=neuralgrok%2Cstandard&seeds=0%2C1%2C2');
    expect(decodeConfigQuery(query, DEFAULT_UI_CONFIG)).toMatchObject({ compare: 'neuralgrok,standard', seeds: '0,1,2', messages: [] });
  });
});

describe('multi-seed compare in the store', () => {
  let workers: FakeWorker[] = [];
  beforeEach(() => {
    workers = [];
    useGrokStore.setState({ config: DEFAULT_UI_CONFIG, notices: [] });
    useGrokStore.getState().stopCompare();
    useGrokStore.getState().connect(() => {
      const w = new FakeWorker();
      workers.push(w);
      return w;
    });
  });

  it('runs one worker per method and seed; the verdict and CSV are those of the runs’ reports', () => {
    const { entries, seeds } = parseCompareList('neuralgrok,standard', '0,1,2');
    useGrokStore.getState().startCompare({ ...DEFAULT_UI_CONFIG, steps: 40 }, entries, seeds);
    const compareWorkers = workers.slice(1);
    expect(compareWorkers.map((w) => w.sent[0])).toMatchObject(
      [0, 1, 2, 0, 1, 2].map((seed, i) => ({ type: 'reset', config: { seed, method: i < 3 ? 'neuralgrok' : 'standard' } })),
    );
    // each worker reports val ≥ 0.95 at its step (null: never within the 40 steps)
    const reached = [10, 20, 30, 20, null, 40];
    compareWorkers.forEach((w, i) => {
      const at = reached[i] ?? null;
      const records = [10, 20, 30, 40].map((step) => ({ step, trainLoss: 1, trainAcc: 1, valAcc: at !== null && step >= at ? 0.96 : 0.5 }));
      w.reply({ type: 'metrics', records, stepsPerSecond: 5, stepCount: 40 });
      w.reply({ type: 'state', running: false, stepCount: 40 });
    });
    const runs = seedRunsOf(useGrokStore.getState().compare.runs);
    expect(runs.map((r) => [r.method, r.seed, r.stepsTo95])).toEqual([
      ['neuralgrok', 0, 10],
      ['neuralgrok', 1, 20],
      ['neuralgrok', 2, 30],
      ['standard', 0, 20],
      ['standard', 1, null],
      ['standard', 2, 40],
    ]);
    // seed 0: 10 < 20, seed 1: 20 < never, seed 2: 30 < 40; medians 20 and 40
    expect(multiSeedVerdict(runs)).toBe(
      'NeuralGrok reached 95 % first in 3 of 3 seeds; median 2.0× faster than Adam (wd 1e-3, the paper’s Standard).',
    );
    expect(multiSeedCsv(runs).split('\n').slice(-3, -1)).toEqual(
      ['NeuralGrok,3,3,20,10,30', '"Adam (wd 1e-3, the paper’s Standard)",3,2,40,20,40'] /* quoted: the label has a comma */,
    );
  });
});
