import { describe, expect, it } from 'vitest';
import { buildConfig } from '../src/config/schema';
import { PRESETS } from '../src/config/presets';
import { isCompareFile, loadRecent, makeCompareFile, makeRunFile, MAX_RECENT, metricsCsv, parseCompareFile, parseRunFile, saveRecent } from '../src/ui/files';
import { appendRecords, emptySeries } from '../src/ui/store-series';
import { compareConfigs, formatCompareList, parseCompareList } from '../src/ui/compare';

const CONFIG = buildConfig(PRESETS.classroom!.config, { method: 'neuralgrok' });

function sampleSeries() {
  const s = emptySeries();
  appendRecords(s, [
    { step: 1, trainLoss: 3.25, trainAcc: 0.03125, valLoss: 3.3, valAcc: 0.02, trainFullLoss: 3.2, trainFullAcc: 0.04, weightNorm: 37.7, ageRaw: 126.2, ageApplied: 99.5 },
    { step: 2, trainLoss: 3.1, trainAcc: 0.0625 },
    { step: 3, trainLoss: 2.9000001, trainAcc: 0.1, valLoss: 3.0, valAcc: 0.96, trainFullLoss: 2.8, trainFullAcc: 0.2, weightNorm: 37.1, ageRaw: 120, ageApplied: 1 / 3 },
  ]);
  return s;
}

describe('run files', () => {
  it('round-trips config, every metric and the amplifier exactly', () => {
    const series = sampleSeries();
    const amplifier = { format: 'groklab-amplifier' as const, version: 1 as const, hidden: [2], layers: [{ weight: [0.1, -0.2], bias: [0.01, 0.01] }, { weight: [0.3, 0.4], bias: [0.01] }] };
    const back = parseRunFile(makeRunFile(CONFIG, series, amplifier));
    expect(back.config).toEqual(CONFIG);
    expect(back.train).toEqual(series.train);
    expect(back.evals).toEqual(series.evals);
    expect(back.amplifier).toEqual(amplifier);
  });

  it('refuses corrupted, mismatched or oversized files with a readable reason', () => {
    const good = JSON.parse(makeRunFile(CONFIG, sampleSeries(), null));
    expect(() => parseRunFile('{"format":')).toThrow(/not valid JSON/);
    expect(() => parseRunFile(JSON.stringify({ ...good, format: 'other' }))).toThrow(/format/);
    expect(() => parseRunFile(JSON.stringify({ ...good, config: { ...good.config, lr: 50 } }))).toThrow(/config\.lr/);
    expect(() => parseRunFile(JSON.stringify({ ...good, train: { ...good.train, trainLoss: [1] } }))).toThrow(/train\.trainLoss: has 1 values for 3 steps/);
    expect(() => parseRunFile(JSON.stringify({ ...good, evals: { ...good.evals, valAcc: ['x', 1] } }))).toThrow(/evals\.valAcc/);
    expect(() => parseRunFile(' '.repeat(26 * 1024 * 1024))).toThrow(/too large/);
  });

  it('writes one CSV row per step with evaluation columns where measured', () => {
    const lines = metricsCsv(sampleSeries()).trim().split('\n');
    expect(lines[0]).toBe('step,trainLoss,trainAcc,valLoss,valAcc,trainFullLoss,trainFullAcc,weightNorm,ageRaw,ageApplied');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe('2,3.1,0.0625,,,,,,,');
    expect(lines[3]!.startsWith('3,2.9000001,0.1,3,0.96,')).toBe(true);
  });

  it('keeps the newest recent runs and survives a full storage', () => {
    const data = new Map<string, string>();
    let quota = Infinity;
    const storage = {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => {
        if (v.length > quota) throw new Error('QuotaExceededError');
        data.set(k, v);
      },
    };
    for (let i = 0; i < MAX_RECENT + 2; i++) saveRecent(storage, { id: `r${i}`, title: `run ${i}`, file: 'x'.repeat(100) });
    expect(loadRecent(storage).map((r) => r.id)).toEqual(['r6', 'r5', 'r4', 'r3', 'r2']);
    quota = 350; // room for about two entries
    const kept = saveRecent(storage, { id: 'big', title: 'big', file: 'y'.repeat(100) });
    expect(kept[0]!.id).toBe('big');
    expect(kept.length).toBeLessThan(MAX_RECENT);
    data.set('groklab.recent.v1', 'not json');
    expect(loadRecent(storage)).toEqual([]);
  });
});

describe('compare sets', () => {
  it('round-trip through a compare file; a broken run inside is named', () => {
    const runs = [
      { label: 'neuralgrok', config: CONFIG, series: sampleSeries() },
      { label: 'adamw', config: buildConfig(PRESETS.classroom!.config), series: sampleSeries() },
    ];
    const text = makeCompareFile(runs);
    expect(isCompareFile(text)).toBe(true);
    const back = parseCompareFile(text);
    expect(back.map((r) => r.label)).toEqual(['neuralgrok', 'adamw']);
    expect(back[1]!.run.config).toEqual(runs[1]!.config);
    expect(back[0]!.run.evals).toEqual(runs[0]!.series.evals);
    const broken = JSON.parse(text);
    broken.runs[1].run.config.p = 91;
    expect(() => parseCompareFile(JSON.stringify(broken))).toThrow(/run 2: .*not prime/);
    expect(() => parseCompareFile(JSON.stringify({ ...broken, runs: [] }))).toThrow(/1–4 runs/);
  });

  it('parses, bounds and formats the cmp list', () => {
    const r = parseCompareList('neuralgrok,adamw@2,bogus,standard,grokfast_ema,gradnorm,adamw@x');
    expect(r.entries).toEqual([{ method: 'neuralgrok' }, { method: 'adamw', seed: 2 }, { method: 'standard' }, { method: 'grokfast_ema' }]);
    expect(r.messages).toHaveLength(3);
    expect(formatCompareList(r.entries)).toBe('neuralgrok,adamw@2,standard,grokfast_ema');
  });

  it('gives each run its method’s reference weight decay over the shared base', () => {
    const base = buildConfig(PRESETS.classroom!.config, { method: 'adamw', task: 'mul', seed: 5 });
    const [ng, adam, adamw] = compareConfigs(base, [{ method: 'neuralgrok' }, { method: 'standard', seed: 9 }, { method: 'adamw' }]);
    expect(ng).toMatchObject({ method: 'neuralgrok', task: 'mul', seed: 5, weightDecay: 1e-3, weightDecayMode: 'coupled' });
    expect(adam).toMatchObject({ method: 'standard', seed: 9, weightDecay: 1e-3, weightDecayMode: 'coupled' });
    expect(adamw).toMatchObject({ method: 'adamw', weightDecay: 1, weightDecayMode: 'decoupled' });
  });
});
