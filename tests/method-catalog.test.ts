/**
 * The method catalog (issue 30): a method added in a test fixture through the catalog alone
 * appears in the CLI's --help, the URL codec, the control panel's field list and the paper
 * table's roles; and the real catalog agrees with the engine's factories.
 */
import { describe, expect, it } from 'vitest';
import { helpText } from '../src/cli/args';
import { METHODS, METHOD_IDS, addMethod, fieldTable, outerSplitIsTraining, paperRoles, type MethodSpec } from '../src/config/fields';
import { defaultConfig, validateConfig, type RunConfig } from '../src/config/schema';
import { createUrlCodec } from '../src/config/url';
import { controlFields } from '../src/ui/controls/control-fields';
import { METHOD_FACTORIES } from '../src/engine/methods';

const SIGN: MethodSpec = {
  label: 'Sign descent (fixture)',
  shortLabel: 'Sign',
  color: '#000000',
  help: 'A fixture method (Nobody et al., 2099, arXiv:9999.99999). What you will see: nothing.',
  decay: { weightDecay: 0.25, weightDecayMode: 'decoupled' },
  holdsOutOuterSplit: (c) => c.signHoldOut === true,
  fields: {
    signScale: {
      kind: 'number',
      short: 'sgs',
      group: 'method',
      label: 'Sign scale',
      default: 1,
      min: 0,
      max: 10,
      live: true,
      help: 'Fixture: the step scale.',
    },
    signHoldOut: {
      kind: 'boolean',
      short: 'sgh',
      group: 'method',
      label: 'Hold out',
      default: false,
      help: 'Fixture: hold the outer split out.',
    },
  },
  paperRole: { column: 'sign_column', overrides: { signScale: 2 } },
};
const FIXTURE = addMethod(METHODS, 'sign', SIGN);

describe('a method added through the catalog alone', () => {
  it('appears in the CLI --help: its fields as flags, its id among the methods, its reference decay', () => {
    const help = helpText(FIXTURE);
    expect(help).toMatch(/--sign-scale +Fixture: the step scale\. Default 1; allowed 0 … 10\. \(live\)/);
    expect(help).toMatch(/--sign-hold-out/);
    expect(help).toMatch(/--method .*\| orthograd \| sign\./);
    expect(help).toMatch(/\n {2}sign +0\.25 decoupled/);
    // the real catalog's help has none of it
    expect(helpText()).not.toMatch(/--sign-scale|\n {2}sign +0\.25/);
  });

  it('round-trips through the URL codec: method id and field values by their short keys', () => {
    const codec = createUrlCodec(FIXTURE);
    const base = defaultConfig(FIXTURE);
    expect((base as Record<string, unknown>).signScale).toBe(1);
    const config = { ...base, method: 'sign', signScale: 2.5, signHoldOut: true } as unknown as RunConfig;
    const query = codec.encodeConfigQuery(config, base);
    expect(query).toBe('v=3&method=sign&sgs=2.5&sgh=1');
    const decoded = codec.decodeConfigQuery(query, base);
    expect(decoded.messages).toEqual([]);
    expect(decoded.config).toEqual(config);
    // an out-of-range value falls back with a message naming the short key
    expect(codec.decodeConfigQuery('v=2&method=sign&sgs=11', base).messages[0]!.field).toBe('sgs');
    // the real codec does not know the method
    expect(validateConfig({ ...base, method: 'sign' }, FIXTURE).method).toBe('sign');
    expect(() => validateConfig({ ...base, method: 'sign' })).toThrow();
  });

  it('lists its own fields in the control panel’s method section, and only for itself', () => {
    expect(controlFields('method', 'sign', [], FIXTURE)).toEqual(['method', 'signScale', 'signHoldOut']);
    expect(controlFields('method', 'adamw', [], FIXTURE)).toEqual(['method']);
    expect(controlFields('method', 'sign', ['sgs'], FIXTURE)).toEqual(['method', 'signHoldOut']);
    expect(fieldTable(FIXTURE).method).toMatchObject({ choiceLabels: { sign: 'Sign descent (fixture)' } });
  });

  it('takes its role in the paper table, and its outer-split rule is read from the entry', () => {
    expect(paperRoles(FIXTURE)).toContainEqual({ column: 'sign_column', method: 'sign', overrides: { signScale: 2 } });
    expect(outerSplitIsTraining({ method: 'sign', signHoldOut: false }, FIXTURE)).toBe(true);
    expect(outerSplitIsTraining({ method: 'sign', signHoldOut: true }, FIXTURE)).toBe(false);
  });

  it('refuses a field that takes another field’s key or short key', () => {
    const clash = addMethod(METHODS, 'clash', { ...SIGN, fields: { lr: SIGN.fields.signScale! } });
    expect(() => fieldTable(clash)).toThrow(/field lr/);
    const shortClash = addMethod(METHODS, 'clash2', { ...SIGN, fields: { other: { ...SIGN.fields.signScale!, short: 'lr' } } });
    expect(() => fieldTable(shortClash)).toThrow(/field other/);
  });
});

describe('the real catalog', () => {
  it('has an engine factory per method and the paper’s Table 1 roles as before', () => {
    expect(Object.keys(METHOD_FACTORIES).sort()).toEqual([...METHOD_IDS].sort());
    expect(paperRoles().map((r) => [r.column, r.method])).toEqual([
      ['standard', 'standard'],
      ['grokfast_ema', 'grokfast_ema'],
      ['grokfast_ma', 'grokfast_ma'],
      ['matched', 'gradnorm'],
      ['neuralgrok', 'neuralgrok'],
    ]);
  });

  it('holds the outer split out for NeuralGrok and matched normalization only', () => {
    const held = METHOD_IDS.filter((m) => !outerSplitIsTraining({ method: m, normMatched: false }));
    expect(held).toEqual(['neuralgrok']);
    expect(outerSplitIsTraining({ method: 'gradnorm', normMatched: true })).toBe(false);
  });
});
