/**
 * The verdict rules of src/paper/verdicts.ts on hand-made fixtures (issue 28, item 2): a censored
 * run leaves a comparison open, a uniform amplifier makes transfer untestable, c above the clip's
 * bound is equal by construction, the seed spread decides a cell, and no claim says "not run yet"
 * of a task that has rows.
 */
import { describe, expect, it } from 'vitest';
import { initParameters } from '../src/engine/model';
import { buildPaperBundle } from '../src/paper/bundle';
import { clipBound, parameterTensorCount } from '../src/paper/claims';
import { poly5SpeedupClaim, valAtText } from '../src/paper/poly5';
import type { RaceRow } from '../src/paper/rows';
import { cellVerdict, compareArms, referenceSpread } from '../src/paper/verdicts';
import { rowMaker } from './race-rows';

const row = rowMaker((seed) => ({ seed, layers: 2, ngClip: 1, ngC: 0.2, evalEvery: 10 }));
const jsonl = (rows: RaceRow[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const seeds = (...xs: (number | null)[]) => xs.map((x, seed) => ({ seed, stepsTo95: x, steps: x ?? 3000 }));
const claimOf = (b: ReturnType<typeof buildPaperBundle>, part: string) => b.claims.find((c) => c.claim.includes(part))!;

describe('a cell weighs the seed spread', () => {
  it('reproduces when the figure lies inside our seeds’ range widened by 25 %', () => {
    // 1 400–2 950 overlaps 1 650 ± 25 %: reproduced, though the median 2 310 is 1.40× the figure
    expect(cellVerdict({ steps: 1650 }, seeds(1400, 2950, 2310))).toEqual({ verdict: 'reproduced', kind: 'reproduced' });
    expect(cellVerdict({ steps: 1000 }, seeds(800, 900))).toEqual({ verdict: 'within ±25 % (preliminary, 2 seeds)', kind: 'close' });
  });

  it('says faster or slower when the whole range is outside the band', () => {
    expect(cellVerdict({ steps: 1000 }, seeds(1300, 1400, 2000)).verdict).toBe('slower than reported');
    expect(cellVerdict({ steps: 1000 }, seeds(500, 700, 740)).verdict).toBe('faster than reported');
    expect(cellVerdict({ steps: 1000 }, seeds(500)).kind).toBe('faster');
  });

  it('is open when a seed stopped before the figure without reaching it', () => {
    const v = cellVerdict({ steps: 2000 }, [
      { seed: 0, stepsTo95: 3000, steps: 3000 },
      { seed: 1, stepsTo95: null, steps: 1200 },
      { seed: 2, stepsTo95: null, steps: 1500 },
    ]);
    expect(v).toEqual({ verdict: 'open (censored at 1200, 1500)', kind: 'open' });
    // a seed cut by a session's end counts the same way; where the others already overlap the band, it cannot undo that
    expect(cellVerdict({ steps: 2000 }, seeds(2000), [{ seed: 1, step: 900 }]).kind).toBe('close');
    expect(cellVerdict({ steps: 2000 }, seeds(3000, 3100, 3200), [{ seed: 3, step: 900 }]).verdict).toBe('open (censored at 900)');
  });

  it("shows the reference code's own spread, judged by the same rule", () => {
    const ref = referenceSpread('add', 'standard', { steps: 1650 })!;
    expect(ref.seeds).toEqual([1400, 2950, 2310]);
    expect(ref.verdict).toMatch(/^reproduced by this rule; ±25 % around its median alone \(2310, 1\.40× the figure\)/);
    expect(referenceSpread('mul', 'standard', { steps: 1280 })).toBeNull();
  });
});

describe('comparisons with censored runs', () => {
  it('a pair where one arm stopped before the other finished is open, not reversed', () => {
    const ng = { seeds: [{ seed: 0, stepsTo95: null, steps: 5688 }] };
    const ma = { seeds: [6600, 14800].map((x, seed) => ({ seed, stepsTo95: x, steps: x })), unfinished: [{ seed: 2, step: 7000 }] };
    expect(compareArms(ng, ma)).toEqual({ result: 'open', text: 'open (censored at 5688, 7000)' });
    // finished past the other's last step: decided
    expect(compareArms({ seeds: seeds(1000) }, { seeds: [{ seed: 0, stepsTo95: null, steps: 5000 }] }).result).toBe('a');
    expect(compareArms({ seeds: seeds(1000) }, { seeds: seeds(1000) }).result).toBe('tie');
  });

  it('the bundle’s claims say "open" for the censored poly5 pair and never "not run yet" for a task with rows', () => {
    const rows = [
      ...['add', 'sub', 'mul', 'sq_sub'].flatMap((t) => [
        row(t, 'standard', 0, 2000),
        row(t, 'neuralgrok', 0, 1000),
        row(t, 'grokfast_ma', 0, 1800),
        row(t, 'grokfast_ema', 0, 1700),
        row(t, 'gradnorm+norm-matched', 0, 1000),
      ]),
      row('poly5', 'neuralgrok+ng-hidden=1152+ng-every=1', 0, null, { steps: 5688 }),
      row('poly5', 'grokfast_ma', 0, 6600),
      row('poly5', 'grokfast_ma', 1, 14800),
      row('poly5', 'grokfast_ema', 0, null, { steps: 5000 }),
      row('poly5', 'standard', 0, null, { steps: 5000 }),
      row('poly5', 'gradnorm+norm-matched', 0, null, { steps: 5688 }),
    ];
    const b = buildPaperBundle({ 'bench/results/race-paper-all.jsonl': jsonl(rows) });
    const hard = claimOf(b, 'harder tasks');
    expect(hard.status).toBe('open');
    expect(hard.verdict).toContain('poly5 open (open (censored at 5688) against GrokFast-MA');
    expect(hard.verdict).not.toMatch(/revers|not supported/);
    for (const c of b.claims) expect(c.verdict).not.toContain('not run yet');
    expect(claimOf(b, 'before Standard').verdict).toContain('poly5 open (censored at 5000, 5688)');
  });
});

describe('tests whose arms are equal by construction', () => {
  const addNg = [0, 1, 2].map((s) => row('add', 'neuralgrok', s, [850, 1030, 1000][s]!));
  const rescaling = [
    ...[670, 810, 750].map((x, s) => row('add', 'neuralgrok+ng-c=0.1', s, x, { config: { layers: 2, ngClip: 1, ngC: 0.1 } })),
    ...[850, 1030, 1000].map((x, s) => row('add', 'neuralgrok+ng-c=0.5', s, x, { config: { layers: 2, ngClip: 1, ngC: 0.5 } })),
    ...[820, 1050, 1020].map((x, s) => row('add', 'neuralgrok+ng-c=1', s, x, { config: { layers: 2, ngClip: 1, ngC: 1 } })),
  ];
  const files = { 'bench/results/race-paper-add.jsonl': jsonl(addNg), 'bench/results/race-claim-c.jsonl': jsonl(rescaling) };

  it('counts K from the config as the engine builds the model', () => {
    for (const layers of [1, 2, 4]) {
      const params = initParameters({ vocabSize: 99, seqLen: 4, layers, dModel: 8, heads: 2 }, 0);
      expect(parameterTensorCount({ layers })).toBe(Object.keys(params).length);
      Object.values(params).forEach((v) => v.dispose());
    }
    expect(parameterTensorCount({ layers: 2 })).toBe(29);
    expect(clipBound({ layers: 2, ngClip: 1 })!.bound).toBeCloseTo(1 / Math.sqrt(29));
    expect(clipBound({ lr: 1 })).toBeNull();
  });

  it('c above the clip bound is "equal by construction"; only c below it is informative', () => {
    const c = claimOf(buildPaperBundle(files), 'rescaling coefficient');
    expect(c.verdict).toContain('c 0.5, 1 against c 0.2: equal by construction');
    expect(c.verdict).toContain('K = 29');
    expect(c.verdict).toContain('Only c 0.1 is informative: c 0.1: 0.79, 0.79, 0.75 of c 0.2 on seeds 0, 1, 2');
    expect(c.verdict).toContain("within ±25 % on every seed, at the band's edge, faster on every seed");
    expect(c.status).toBe('supported');
    // no c below the bound: nothing to test
    const only = buildPaperBundle({
      ...files,
      'bench/results/race-claim-c.jsonl': jsonl(
        rescaling.map((r) => (r.arm.endsWith('0.1') ? { ...r, arm: 'neuralgrok+ng-c=0.3', config: { ...r.config, ngC: 0.3 } } : r)),
      ),
    });
    expect(claimOf(only, 'rescaling coefficient').status).toBe('not testable');
  });

  it('a transfer whose source amplifier stayed uniform is "not testable"', () => {
    const diag = (std: number) => ({ amplifierDiagnostics: { ampWeightStd: std } });
    const subCells = [0, 1, 2].flatMap((s) => [row('sub', 'neuralgrok', s, 1460), row('sub', 'gradnorm+norm-matched', s, 1430)]);
    const transfer = [0, 1, 2].map((s) => row('sub', 'neuralgrok+amplifier=a.json+ng-frozen', s, 1480, diag(5e-4)));
    const base = {
      'bench/results/race-paper-sub.jsonl': jsonl(subCells),
      'bench/results/race-claim-transfer.jsonl': jsonl(transfer),
    };
    const uniform = claimOf(
      buildPaperBundle({
        ...base,
        'bench/results/race-claim-transfer-source.jsonl': jsonl([0, 1, 2].map((s) => row('add', 'neuralgrok', s, 900, diag(1.2e-3)))),
      }),
      'transfers',
    );
    expect(uniform.status).toBe('not testable');
    expect(uniform.verdict).toMatch(/^Not testable here \(the amplifier stayed uniform, N·w std at most 1\.2e-3/);
    const learned = claimOf(
      buildPaperBundle({
        ...base,
        'bench/results/race-claim-transfer-source.jsonl': jsonl([0, 1, 2].map((s) => row('add', 'neuralgrok', s, 900, diag(0.3)))),
      }),
      'transfers',
    );
    expect(learned.status).toBe('not supported');
  });

  it('NeuralGrok against matched normalization tests a learned amplifier only where one learned', () => {
    const diag = (std: number) => ({ amplifierDiagnostics: { ampWeightStd: std } });
    const bundleWith = (std: number) =>
      buildPaperBundle({
        'bench/results/race-paper-add.jsonl': jsonl(
          [0, 1, 2].flatMap((s) => [row('add', 'neuralgrok', s, 700, diag(std)), row('add', 'gradnorm+norm-matched', s, 1000)]),
        ),
      });
    const uniform = claimOf(bundleWith(1e-3), 'beats plain (matched)');
    expect(uniform.status).toBe('not testable');
    expect(uniform.verdict).toContain('add yes');
    const learned = claimOf(bundleWith(0.3), 'beats plain (matched)');
    expect(learned.status).not.toBe('not testable');
    expect(learned.verdict).toMatch(/^NeuralGrok was first on 1 of 1 task/);
  });
});

describe('the Table 1 header', () => {
  it('states the evaluation cadence per arm as the rows record it', () => {
    const b = buildPaperBundle({
      'bench/results/race-paper-x.jsonl': jsonl([
        row('add', 'standard', 0, 1500),
        row('poly5', 'grokfast_ma', 0, 6600, { config: { evalEvery: 50 } }),
        row('poly5', 'neuralgrok+ng-hidden=1152+ng-every=1', 0, null, {
          steps: 5688,
          config: undefined,
          key: 'paper|poly5|n|p=7|0|5688|50|0.95',
        }),
      ]),
    });
    expect(b.cells.find((c) => c.task === 'poly5' && c.method === 'neuralgrok')!.evalEvery).toEqual([50]);
    expect(b.cells.find((c) => c.task === 'add' && c.method === 'standard')!.evalEvery).toEqual([10]);
  });
});

describe('poly5 at equal budgets', () => {
  const arm = (...xs: [number | null, number][]) => ({ seeds: xs.map(([stepsTo95, steps], seed) => ({ seed, stepsTo95, steps })) });
  it('gives the "up to 4.67×" claim its verdict from the medians’ possible ranges', () => {
    const ma = arm([6600, 6600], [14800, 14800], [9000, 9000]);
    // NeuralGrok cut at 1 500 on every seed: the speed-up could still be anything up to 9 000 / 1 500
    expect(poly5SpeedupClaim(arm([null, 1500], [null, 1500], [null, 1500]), ma).verdict).toMatch(/^open \(censored at 1500\)/);
    // cut at 5 688: who is faster is open, but not by 4.67× (at most 9 000 / 5 688 = 1.58×)
    expect(poly5SpeedupClaim(arm([null, 5688], [null, 5688], [null, 5688]), ma).verdict).toMatch(/a speed-up of 0\.00×–1\.58×/);
    expect(poly5SpeedupClaim(arm([1900, 1900], [2100, 2100], [2000, 2000]), ma)).toMatchObject({ status: 'supported' });
    // settled at 15 000 without grokking while GrokFast-MA's median is 9 000: slower, not faster
    expect(poly5SpeedupClaim(arm([null, 15000], [null, 15000], [null, 15000]), ma).verdict).toMatch(
      /^Not supported: NeuralGrok was slower/,
    );
    const partly = poly5SpeedupClaim(arm([4000, 4000], [4500, 4500], [5000, 5000]), ma);
    expect(partly.status).toBe('not supported');
    expect(partly.verdict).toMatch(/^Not supported at the paper's size: a speed-up of 2\.00×–2\.00×/);
  });

  it('reads a run’s val accuracy at a milestone step', () => {
    const r = {
      task: 'poly5',
      arm: 'x',
      seed: 0,
      stepsTo95: null,
      steps: 5000,
      finishedAt: '',
      curve: { step: [1000, 2000, 3000], valAcc: [0.1, 0.2, 0.3] },
    };
    expect(valAtText(r, 2500)).toBe('0.200');
    expect(valAtText(r, 10000)).toBe('– (stopped at 5000)');
    expect(valAtText({ ...r, stepsTo95: 3000 }, 5000)).toBe('≥ 0.95 (at 3000)');
  });
});

describe('a learned amplifier that collapsed', () => {
  const curve = (std: number, max: number, train: number) => ({
    curve: {
      step: [25, 50, 75, 100],
      valAcc: [0.01, 0.01, 0.01, 0.01],
      trainAcc: [train, train, train, train],
      ampWeightStd: [std, std, std, std],
      ampWeightMax: [max, max, max, max],
    },
  });
  const bundleWith = (std: number, max: number, train: number) =>
    buildPaperBundle({
      'bench/results/race-paper-add.jsonl': jsonl(
        [0, 1, 2].flatMap((s) => [row('add', 'neuralgrok', s, 900, curve(1e-3, 1.01, 1)), row('add', 'gradnorm+norm-matched', s, 1000)]),
      ),
      'bench/results/race-ablation-add.jsonl': jsonl(
        [0, 1, 2].map((s) =>
          row('add', 'neuralgrok+ng-every=1+ng-meta-wd=0+ng-meta-lr=0.03', s, null, { steps: 800, ...curve(std, max, train) }),
        ),
      ),
    });

  it('does not count as learning a reweighting, and leaves "does a learned amplifier help?" untested', () => {
    const b = bundleWith(19.5, 12672, 0.08);
    const arm = b.ablation.arms.find((a) => a.arm.includes('ng-every=1'))!;
    expect([arm.learnedSeeds, arm.collapsedSeeds, arm.label]).toEqual([3, 3, 'NeuralGrok, T 1, meta wd 0, meta lr 0.03']);
    expect(b.ablation.verdict).toMatch(
      /^No, as far as these runs go: the only amplifiers that learned collapsed .*it did not even memorize.*non-collapsed amplifier helps is untested/,
    );
    const learns = claimOf(b, 'learns a non-uniform');
    expect(learns.status).toBe('not supported');
    expect(learns.verdict).toMatch(/^Only as a collapse/);
  });

  it('a learned amplifier that did not collapse supports the claim', () => {
    const b = bundleWith(0.3, 5, 1);
    expect(b.ablation.arms.find((a) => a.arm.includes('ng-every=1'))!.collapsedSeeds).toBe(0);
    expect(claimOf(b, 'learns a non-uniform').status).toBe('supported');
  });
});
