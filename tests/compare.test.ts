import { describe, expect, it } from 'vitest';
import { CLASSROOM_CONFIG } from '../src/config/presets';
import { buildConfig } from '../src/config/schema';
import { compareConfigs, entryLabel, formatCompareList, parseCompareList } from '../src/ui/state/compare-slice';

describe('compare sets', () => {
  it('parses, bounds and formats the cmp list', () => {
    const r = parseCompareList('neuralgrok,adamw@2,bogus,standard,grokfast_ema,gradnorm,adamw@x');
    expect(r.entries).toEqual([{ method: 'neuralgrok' }, { method: 'adamw', seed: 2 }, { method: 'standard' }, { method: 'grokfast_ema' }]);
    expect(r.messages).toHaveLength(3);
    expect(formatCompareList(r.entries)).toBe('neuralgrok,adamw@2,standard,grokfast_ema');
  });

  it('gives each run its method’s reference weight decay over the shared base', () => {
    const base = buildConfig(CLASSROOM_CONFIG, { method: 'adamw', task: 'mul', seed: 5 });
    const [ng, adam, adamw] = compareConfigs(base, [{ method: 'neuralgrok' }, { method: 'standard', seed: 9 }, { method: 'adamw' }]);
    expect(ng).toMatchObject({ method: 'neuralgrok', task: 'mul', seed: 5, weightDecay: 1e-3, weightDecayMode: 'coupled' });
    expect(adam).toMatchObject({ method: 'standard', seed: 9, weightDecay: 1e-3, weightDecayMode: 'coupled' });
    expect(adamw).toMatchObject({ method: 'adamw', weightDecay: 1, weightDecayMode: 'decoupled' });
  });

  it('an entry can set its own weight decay (`adamw.wd0`): parsed, bounded, formatted, applied and named', () => {
    const r = parseCompareList('orthograd,adamw.wd0@3,standard.wd0.001,adamw.wd99,adamw.wdx');
    expect(r.entries).toEqual([
      { method: 'orthograd' },
      { method: 'adamw', seed: 3, weightDecay: 0 },
      { method: 'standard', weightDecay: 0.001 },
    ]);
    expect(r.messages).toHaveLength(2); // 99 is above the field's range; "wdx" names no method
    expect(formatCompareList(r.entries)).toBe('orthograd,adamw.wd0@3,standard.wd0.001');
    expect(parseCompareList(formatCompareList(r.entries)).entries).toEqual(r.entries);
    // with a seed list, each arm once
    const seeded = parseCompareList('orthograd,adamw.wd0', '0,1');
    expect(seeded.entries).toEqual([
      { method: 'orthograd', seed: 0 },
      { method: 'orthograd', seed: 1 },
      { method: 'adamw', seed: 0, weightDecay: 0 },
      { method: 'adamw', seed: 1, weightDecay: 0 },
    ]);
    expect(formatCompareList(seeded.entries, seeded.seeds)).toBe('orthograd,adamw.wd0');
    const base = buildConfig(CLASSROOM_CONFIG, { method: 'orthograd', seed: 2 });
    const [ortho, adamw] = compareConfigs(base, r.entries.slice(0, 2));
    expect(ortho).toMatchObject({ method: 'orthograd', weightDecay: 0, seed: 2 });
    expect(adamw).toMatchObject({ method: 'adamw', weightDecay: 0, weightDecayMode: 'decoupled', seed: 3 });
    expect(entryLabel(r.entries[1]!, adamw!)).toBe('AdamW, wd 0');
    expect(entryLabel(r.entries[0]!, ortho!)).toBe('⊥Grad (orthogonal gradient, AdamW wd 0)');
  });
});
