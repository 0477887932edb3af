import { describe, expect, it } from 'vitest';
import { CLASSROOM_CONFIG } from '../src/config/presets';
import { buildConfig } from '../src/config/schema';
import { compareConfigs, formatCompareList, parseCompareList } from '../src/ui/state/compare-slice';

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
});
