import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildConfig, parseStoredConfig } from '../src/config/schema';
import { CLASSROOM_CONFIG } from '../src/config/presets';
import { appendRecords, emptySeries } from '../src/core/metrics';
import { isCompareFile, metricsCsv, readCompareFile, readRunFile, writeCompareFile, writeRunFile } from '../src/core/run-file';

const CONFIG = buildConfig(CLASSROOM_CONFIG, { method: 'neuralgrok' });

function sampleSeries() {
  const s = emptySeries();
  appendRecords(s, [
    {
      step: 1,
      trainLoss: 3.25,
      trainAcc: 0.03125,
      lr: 0.001,
      valLoss: 3.3,
      valAcc: 0.02,
      trainFullLoss: 3.2,
      trainFullAcc: 0.04,
      weightNorm: 37.7,
      weightEntropy: 12,
      ageRaw: 126.2,
      ageApplied: 99.5,
      ampWeightStd: 1e-4,
    },
    { step: 2, trainLoss: 3.1, trainAcc: 0.0625, lr: 0.002 },
    {
      step: 3,
      trainLoss: 2.9000001,
      trainAcc: 0.1,
      lr: 0.003,
      valLoss: 3.0,
      valAcc: 0.96,
      trainFullLoss: 2.8,
      trainFullAcc: 0.2,
      weightNorm: 37.1,
      weightEntropy: 11,
      ageRaw: 120,
      ageApplied: 1 / 3,
    },
  ]);
  return s;
}
const read = (text: string) => readRunFile(text, parseStoredConfig);

describe('run files (one writer, one reader)', () => {
  it('round-trips config, every metric (NaN where not measured) and the amplifier exactly', () => {
    const series = sampleSeries();
    const amplifier = {
      format: 'groklab-amplifier' as const,
      version: 1 as const,
      hidden: [2],
      layers: [
        { weight: [0.1, -0.2], bias: [0.01, 0.01] },
        { weight: [0.3, 0.4], bias: [0.01] },
      ],
    };
    const back = read(writeRunFile({ config: CONFIG, series, amplifier }));
    expect(back.config).toEqual(CONFIG);
    expect(back.series).toEqual(series);
    expect(back.series.evals.ampWeightStd).toEqual([1e-4, NaN]);
    expect(back.amplifier).toEqual(amplifier);
    expect(back.inside).toBeUndefined();
  });

  it('carries the inside view’s per-snapshot scalars, so an imported run replays its sparsity and progress curves', () => {
    const inside = { step: [10, 20], sparsity: [0.2, 0.6], restrictedLoss: [3, 1], excludedLoss: [3, 4], loss: [3, NaN] };
    const back = read(writeRunFile({ config: CONFIG, series: sampleSeries(), amplifier: null, inside }));
    expect(back.inside).toEqual(inside);
    const bad = JSON.parse(writeRunFile({ config: CONFIG, series: sampleSeries(), amplifier: null, inside }));
    bad.inside.sparsity = [0.1];
    expect(() => read(JSON.stringify(bad))).toThrow(/inside\.sparsity: has 1 values for 2 steps/);
  });

  it('reads files written before newer fields and columns existed', () => {
    const good = JSON.parse(writeRunFile({ config: CONFIG, series: sampleSeries(), amplifier: null }));
    delete good.config.normMatched;
    delete good.evals.cosToNorm;
    const back = read(JSON.stringify(good));
    expect(back.config.normMatched).toBe(false);
    expect(back.series.evals.cosToNorm).toEqual([NaN, NaN]);
  });

  it('refuses corrupted, mismatched or oversized files with a readable reason', () => {
    const good = JSON.parse(writeRunFile({ config: CONFIG, series: sampleSeries(), amplifier: null }));
    expect(() => read('{"format":')).toThrow(/not valid JSON/);
    expect(() => read(JSON.stringify({ ...good, format: 'other' }))).toThrow(/format/);
    expect(() => read(JSON.stringify({ ...good, config: { ...good.config, lr: 50 } }))).toThrow(/config: lr/);
    expect(() => read(JSON.stringify({ ...good, train: { ...good.train, trainLoss: [1] } }))).toThrow(
      /train\.trainLoss: has 1 values for 3 steps/,
    );
    expect(() => read(JSON.stringify({ ...good, evals: { ...good.evals, valAcc: ['x', 1] } }))).toThrow(/evals\.valAcc/);
    expect(() => read(' '.repeat(26 * 1024 * 1024))).toThrow(/too large/);
  });

  it('writes one CSV row per step with evaluation columns where measured', () => {
    const lines = metricsCsv(sampleSeries()).trim().split('\n');
    expect(
      lines[0]!.startsWith(
        'step,trainLoss,trainAcc,lr,metaOuterLoss,valLoss,valAcc,trainFullLoss,trainFullAcc,weightNorm,weightEntropy,ageRaw,ageApplied,ampWeightMin',
      ),
    ).toBe(true);
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe('2,3.1,0.0625,0.002' + ','.repeat(1 + 16));
    expect(lines[0]!.endsWith(',metaDecayRms,collapseFraction,nlmCosine')).toBe(true);
    expect(lines[3]!.startsWith('3,2.9000001,0.1,0.003,,3,0.96,')).toBe(true);
  });

  it('a CLI --out file imports into the playground unchanged (same writer and reader)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'groklab-'));
    const out = join(dir, 'run.json');
    execFileSync(
      'npx',
      [
        'tsx',
        'src/cli/main.ts',
        '--preset',
        'classroom',
        '--p',
        '11',
        '--method',
        'neuralgrok',
        '--ng-hidden',
        '4',
        '--steps',
        '12',
        '--eval-every',
        '4',
        '--quiet',
        '--out',
        out,
      ],
      { stdio: 'pipe' },
    );
    const text = readFileSync(out, 'utf8');
    const run = read(text);
    expect(run.config).toMatchObject({ p: 11, method: 'neuralgrok', steps: 12 });
    expect(run.series.train.step).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(run.series.evals.step).toEqual([1, 4, 8, 12]);
    expect(run.series.evals.cosToNorm.every(Number.isFinite)).toBe(true);
    expect(run.amplifier?.hidden).toEqual([4]);
    expect(run.backend).toBe('wasm');
    expect(run.summary).toMatchObject({ steps: 12 });
    // and back out through the same writer: identical metric columns
    expect(read(writeRunFile(run)).series).toEqual(run.series);
  }, 60_000);
});

describe('compare files', () => {
  it('round-trip; a broken run inside is named', () => {
    const runs = [
      { label: 'neuralgrok', config: CONFIG, series: sampleSeries() },
      { label: 'adamw', config: buildConfig(CLASSROOM_CONFIG), series: sampleSeries() },
    ];
    const text = writeCompareFile(runs);
    expect(isCompareFile(text)).toBe(true);
    const back = readCompareFile(text, parseStoredConfig);
    expect(back.map((r) => r.label)).toEqual(['neuralgrok', 'adamw']);
    expect(back[1]!.run.config).toEqual(runs[1]!.config);
    expect(back[0]!.run.series).toEqual(runs[0]!.series);
    const broken = JSON.parse(text);
    broken.runs[1].run.config.p = 91;
    expect(() => readCompareFile(JSON.stringify(broken), parseStoredConfig)).toThrow(/run 2: .*not prime/);
    expect(() => readCompareFile(JSON.stringify({ ...broken, runs: [] }), parseStoredConfig)).toThrow(/1–4 runs/);
  });
});
