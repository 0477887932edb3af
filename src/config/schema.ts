/**
 * The run config: its zod schema (derived from the field table), cross-field rules, and the
 * way a config is assembled from defaults, a preset, method defaults and explicit overrides.
 */
import { z } from 'zod';
import { FIELDS, FIELD_KEYS, type FieldKey, type FieldSpec, type MethodId, type WeightDecayMode } from './fields';
import { isPrime, taskTableSize, MAX_TABLE_SIZE } from '../core/tasks';
import { maWindowMegabytes, METHOD_STATE_BUDGET_MB, modelParameterCount } from '../core/memory';

type FieldValue<F> = F extends { kind: 'number' }
  ? number
  : F extends { kind: 'boolean' }
    ? boolean
    : F extends { kind: 'intList' }
      ? number[]
      : F extends { kind: 'enum'; choices: readonly (infer C)[] }
        ? C
        : never;

export type RunConfig = { [K in FieldKey]: FieldValue<(typeof FIELDS)[K]> };

function fieldSchema(spec: FieldSpec): z.ZodType {
  switch (spec.kind) {
    case 'number': {
      let s = z.number({ error: 'must be a number' }).finite();
      if (spec.integer) s = s.int({ error: 'must be a whole number' });
      return s.min(spec.min, { error: `must be ≥ ${spec.min}` }).max(spec.max, { error: `must be ≤ ${spec.max}` });
    }
    case 'enum':
      return z.enum(spec.choices as [string, ...string[]], { error: `must be one of ${spec.choices.join(', ')}` });
    case 'boolean':
      return z.boolean({ error: 'must be true or false' });
    case 'intList':
      return z
        .array(
          z
            .number()
            .int()
            .min(spec.min, { error: `each entry must be ≥ ${spec.min}` })
            .max(spec.max, { error: `each entry must be ≤ ${spec.max}` }),
        )
        .min(1, { error: 'needs at least one entry' })
        .max(spec.maxLength, { error: `at most ${spec.maxLength} entries` });
  }
}

const shape = Object.fromEntries(FIELD_KEYS.map((k) => [k, fieldSchema(FIELDS[k])])) as Record<FieldKey, z.ZodType>;

/** Cross-field rules, each reported against the field a user would change. */
export function crossFieldIssues(c: RunConfig): { field: FieldKey; message: string }[] {
  const issues: { field: FieldKey; message: string }[] = [];
  if (!isPrime(c.p)) issues.push({ field: 'p', message: `p = ${c.p} is not prime (division and the task tables need a prime modulus)` });
  if (c.dModel % c.heads !== 0) issues.push({ field: 'heads', message: `width ${c.dModel} is not divisible by ${c.heads} heads` });
  const size = taskTableSize(c.task, c.p);
  if (size > MAX_TABLE_SIZE)
    issues.push({
      field: 'p',
      message: `task ${c.task} with p = ${c.p} has ${size} examples; the limit is ${MAX_TABLE_SIZE} (use a smaller p)`,
    });
  if (c.method === 'grokfast_ma') {
    const mb = maWindowMegabytes(c);
    if (mb > METHOD_STATE_BUDGET_MB)
      issues.push({
        field: 'maWindow',
        message: `a window of ${c.maWindow} gradients of this model needs ${Math.round(mb)} MB; the limit is ${METHOD_STATE_BUDGET_MB} MB (use a window of at most ${Math.floor((METHOD_STATE_BUDGET_MB * 2 ** 20) / (4 * modelParameterCount(c))) - 1})`,
      });
  }
  return issues;
}

export const runConfigSchema = z
  .object(shape)
  .strict()
  .superRefine((value, ctx) => {
    for (const issue of crossFieldIssues(value as RunConfig)) ctx.addIssue({ code: 'custom', path: [issue.field], message: issue.message });
  });

export const DEFAULT_CONFIG: RunConfig = Object.fromEntries(
  FIELD_KEYS.map((k) => {
    const d = FIELDS[k].default;
    return [k, Array.isArray(d) ? [...d] : d];
  }),
) as RunConfig;

/**
 * The reference weight decay of each method: the NeuralGrok paper's comparison (coupled 1e-3
 * for every method, GrokFast-EMA 0.005) plus Power et al.'s AdamW wd 1. GrokFast's own README
 * runs MA at 0.01; presets that reproduce those runs say so themselves. wd 0 ("plain Adam, no
 * decay") stays one field away.
 */
export const METHOD_WEIGHT_DECAY: Record<MethodId, { weightDecay: number; weightDecayMode: WeightDecayMode }> = {
  standard: { weightDecay: 1e-3, weightDecayMode: 'coupled' },
  adamw: { weightDecay: 1.0, weightDecayMode: 'decoupled' },
  grokfast_ema: { weightDecay: 0.005, weightDecayMode: 'coupled' },
  grokfast_ma: { weightDecay: 1e-3, weightDecayMode: 'coupled' },
  gradnorm: { weightDecay: 1e-3, weightDecayMode: 'coupled' },
  neuralgrok: { weightDecay: 1e-3, weightDecayMode: 'coupled' },
};

export class ConfigError extends Error {
  constructor(readonly issues: { field: string; message: string }[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

/** Validates a full config object; throws ConfigError naming each bad field. */
export function validateConfig(value: unknown): RunConfig {
  const result = runConfigSchema.safeParse(value);
  if (result.success) return result.data as RunConfig;
  throw new ConfigError(
    result.error.issues.map((i) => ({
      field: i.path.length ? i.path.join('.') : ((i as { keys?: string[] }).keys?.join(', ') ?? '(config)'),
      message: i.message,
    })),
  );
}

/** The config with another method and that method's reference weight decay (the one place this rule lives). */
export function withMethod<C extends Partial<RunConfig>>(
  config: C,
  method: MethodId,
): C & Pick<RunConfig, 'method' | 'weightDecay' | 'weightDecayMode'> {
  return { ...config, method, ...METHOD_WEIGHT_DECAY[method] };
}

/**
 * Builds a config: field defaults ← the method's reference weight decay ← the preset ←
 * explicit overrides. A preset's own weight decay wins on purpose (e.g. GrokFast's README run
 * at MA wd 0.01); when the overrides change the method, the preset's decay (written for its
 * own method) gives way to the new method's.
 */
export function buildConfig(preset: Partial<RunConfig>, overrides: Partial<RunConfig> = {}): RunConfig {
  const method = (overrides.method ?? preset.method ?? DEFAULT_CONFIG.method) as MethodId;
  const presetDecayApplies = preset.method === undefined || preset.method === method;
  const fromPreset = presetDecayApplies
    ? preset
    : Object.fromEntries(Object.entries(preset).filter(([k]) => k !== 'weightDecay' && k !== 'weightDecayMode'));
  return validateConfig({ ...withMethod(DEFAULT_CONFIG, method), ...fromPreset, ...overrides });
}

/** A config read from a file or storage: fields added since it was written take their defaults. */
export function parseStoredConfig(raw: Record<string, unknown>): RunConfig {
  return validateConfig({ ...DEFAULT_CONFIG, ...raw });
}
