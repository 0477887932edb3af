/**
 * The run config: its zod schema (derived from the field table), cross-field rules, and the
 * way a config is assembled from defaults, a preset, method defaults and explicit overrides.
 */
import { z } from 'zod';
import {
  type FIELDS,
  METHODS,
  METHOD_IDS,
  fieldTable,
  type FieldKey,
  type FieldSpec,
  type MethodCatalog,
  type MethodId,
  type WeightDecayMode,
} from './fields';
import type { MethodConfigView } from '../core/methods';
import { isPrime, taskTableSize, MAX_TABLE_SIZE } from '../core/tasks';

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

/** Cross-field rules, each reported against the field a user would change. */
export function crossFieldIssues(c: RunConfig, catalog: MethodCatalog = METHODS): { field: FieldKey; message: string }[] {
  const issues: { field: FieldKey; message: string }[] = [];
  if (!isPrime(c.p)) issues.push({ field: 'p', message: `p = ${c.p} is not prime (division and the task tables need a prime modulus)` });
  if (c.model !== 'mlp' && c.dModel % c.heads !== 0)
    issues.push({ field: 'heads', message: `width ${c.dModel} is not divisible by ${c.heads} heads` });
  const size = taskTableSize(c.task, c.p);
  if (size > MAX_TABLE_SIZE)
    issues.push({
      field: 'p',
      message: `task ${c.task} with p = ${c.p} has ${size} examples; the limit is ${MAX_TABLE_SIZE} (use a smaller p)`,
    });
  // the method's own state against the memory budget (GrokFast-MA's window)
  const memory = catalog[c.method]?.memoryIssue?.(c as unknown as MethodConfigView);
  if (memory) issues.push({ field: memory.field as FieldKey, message: memory.message });
  return issues;
}

const schemas = new WeakMap<MethodCatalog, z.ZodType>();

/** The zod schema of a run config over a method catalog (made once per catalog). */
export function configSchema(catalog: MethodCatalog = METHODS): z.ZodType {
  let schema = schemas.get(catalog);
  if (!schema) {
    const fields = fieldTable(catalog);
    schema = z
      .object(Object.fromEntries(Object.entries(fields).map(([k, spec]) => [k, fieldSchema(spec)])))
      .strict()
      .superRefine((value, ctx) => {
        for (const issue of crossFieldIssues(value as RunConfig, catalog))
          ctx.addIssue({ code: 'custom', path: [issue.field], message: issue.message });
      });
    schemas.set(catalog, schema);
  }
  return schema;
}

export const runConfigSchema = configSchema(METHODS);

/** Every field's default over a method catalog (a fresh copy: lists are not shared). */
export function defaultConfig(catalog: MethodCatalog = METHODS): RunConfig {
  return Object.fromEntries(
    Object.entries(fieldTable(catalog)).map(([k, spec]) => [k, Array.isArray(spec.default) ? [...spec.default] : spec.default]),
  ) as RunConfig;
}

export const DEFAULT_CONFIG: RunConfig = defaultConfig(METHODS);

/**
 * The reference weight decay of each method, from the method catalog (src/core/methods.ts says
 * where each value comes from). wd 0 ("plain Adam, no decay") stays one field away.
 */
export const METHOD_WEIGHT_DECAY = Object.fromEntries(METHOD_IDS.map((m) => [m, { ...METHODS[m].decay }])) as Record<
  MethodId,
  { weightDecay: number; weightDecayMode: WeightDecayMode }
>;

export class ConfigError extends Error {
  constructor(readonly issues: { field: string; message: string }[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

declare const validated: unique symbol;

/**
 * A config that passed `validateConfig`: made once where a config is made (an edit, a reset, a
 * link, a file, the CLI's flags) and then carried as it is — to the run pool, the worker and the
 * Trainer, none of which validates it again. A spread (`{ ...valid, lr }`) is a new config and
 * must be validated again: the type cannot see that, so the page's run pool also checks that the
 * object itself came out of `validateConfig` (`assertValidConfig`).
 */
export type ValidConfig = RunConfig & { readonly [validated]: true };

/** The config objects `validateConfig` returned (or that arrived validated through a message), in this realm. */
const made = new WeakSet<object>();

/** Whether `value` is a config object that came out of `validateConfig` (not a copy or a spread of one). */
export function isValidConfig(value: unknown): value is ValidConfig {
  return typeof value === 'object' && value !== null && made.has(value);
}

/** Throws unless `config` came out of `validateConfig`: what guards the way to a worker. */
export function assertValidConfig(config: RunConfig): asserts config is ValidConfig {
  if (!isValidConfig(config))
    throw new Error('a run config must be validated where it is made (validateConfig) before it is sent to a worker');
}

/**
 * A validated config that crossed a message boundary (a structured clone is a new object): the
 * worker's echo of a config it validated, or a page's config arriving in the worker. Nothing is
 * checked again; the sender validated it.
 */
export function receivedConfig(config: RunConfig): ValidConfig {
  made.add(config);
  return config as ValidConfig;
}

/** Validates a full config object; throws ConfigError naming each bad field. */
export function validateConfig(value: unknown, catalog: MethodCatalog = METHODS): ValidConfig {
  const result = configSchema(catalog).safeParse(value);
  if (result.success) return receivedConfig(result.data as RunConfig);
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
export function buildConfig(preset: Partial<RunConfig>, overrides: Partial<RunConfig> = {}): ValidConfig {
  const method = (overrides.method ?? preset.method ?? DEFAULT_CONFIG.method) as MethodId;
  const presetDecayApplies = preset.method === undefined || preset.method === method;
  const fromPreset = presetDecayApplies
    ? preset
    : Object.fromEntries(Object.entries(preset).filter(([k]) => k !== 'weightDecay' && k !== 'weightDecayMode'));
  return validateConfig({ ...withMethod(DEFAULT_CONFIG, method), ...fromPreset, ...overrides });
}

/** A config read from a file or storage: fields added since it was written take their defaults. */
export function parseStoredConfig(raw: Record<string, unknown>): ValidConfig {
  return validateConfig({ ...DEFAULT_CONFIG, ...raw });
}
