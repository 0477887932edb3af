/**
 * The single table of run-config fields. Defaults, ranges, help texts, CLI flags (and later
 * URL keys and UI control limits) are all derived from it, so a range is written once.
 */

import { BACKEND_ORDER } from '../core/backend-choice';
import { METHODS, METHOD_IDS, type MethodCatalog, type MethodId } from '../core/methods';
import { TASK_IDS, type TaskId } from '../core/tasks';

export { TASK_IDS, type TaskId } from '../core/tasks';
export {
  METHOD_IDS,
  METHODS,
  addMethod,
  outerSplitIsTraining,
  paperRoles,
  type MethodCatalog,
  type MethodId,
  type MethodSpec,
} from '../core/methods';

export const TASK_LABELS: Readonly<Record<TaskId, string>> = {
  add: 'a + b',
  sub: 'a − b',
  mul: 'a · b',
  div: 'a ÷ b',
  sq_sub: 'a² − b',
  sq_add: 'a² + b²',
  cube_add: 'a³ + b³',
  poly5: 'a·c + b·d − e',
  mix: 'a + b, a − b and a · b together',
};

/** Each method's label, from the catalog. */
export const methodLabels = (catalog: MethodCatalog = METHODS): Readonly<Record<string, string>> =>
  Object.fromEntries(Object.entries(catalog).map(([id, spec]) => [id, spec.label]));
export const METHOD_LABELS = methodLabels() as Readonly<Record<MethodId, string>>;

export const BACKEND_IDS = ['auto', ...BACKEND_ORDER] as const;
export type BackendId = (typeof BACKEND_IDS)[number];

/** The network: the decoder-only transformer, or Prieto et al.'s MLP on the one-hot operands (src/engine/mlp.ts). */
export const MODEL_IDS = ['transformer', 'mlp'] as const;
export type ModelId = (typeof MODEL_IDS)[number];

/** The training loss on the logits at the `=` position (src/engine/losses.ts). */
export const LOSS_IDS = ['softmax', 'stablemax'] as const;
export type LossId = (typeof LOSS_IDS)[number];

export const WEIGHT_DECAY_MODES = ['coupled', 'decoupled'] as const;
export type WeightDecayMode = (typeof WEIGHT_DECAY_MODES)[number];

import type { FieldSpec } from '../core/field-spec';
export type { BooleanField, EnumField, FieldBase, FieldSpec, IntListField, NumberField } from '../core/field-spec';

/** The fields every run has; each method's own fields (from the catalog) go between `method` and `backend`. */
const BASE_FIELDS = {
  // --- data ---
  task: {
    kind: 'enum',
    short: 'task',
    group: 'data',
    label: 'Task',
    default: 'add',
    choices: TASK_IDS,
    choiceLabels: TASK_LABELS,
    help: 'The table the model learns, mod p. a + b is the easiest; a² − b and a·c + b·d − e are the NeuralGrok paper’s hard ones.',
  },
  p: {
    kind: 'number',
    short: 'p',
    group: 'data',
    label: 'Modulus p',
    default: 97,
    min: 3,
    max: 257,
    integer: true,
    help: 'Prime modulus p: the table has about p² rows. 97 is the papers’; 31 makes every step ~15× cheaper.',
  },
  trainFraction: {
    kind: 'number',
    short: 'frac',
    group: 'data',
    label: 'Training fraction',
    default: 0.5,
    min: 0.05,
    max: 0.95,
    help: 'Share of the table used for training; the rest is the validation set. Less training data → longer delay before grokking (or none).',
  },
  outerFraction: {
    kind: 'number',
    short: 'outer',
    group: 'data',
    label: 'Outer split (NeuralGrok)',
    method: 'neuralgrok',
    default: 0.01,
    min: 0.001,
    max: 0.2,
    help: 'NeuralGrok only: share of the whole table taken out of training to train the amplifier (paper: 0.01).',
  },
  seed: {
    kind: 'number',
    short: 'seed',
    group: 'data',
    label: 'Seed',
    default: 0,
    min: 0,
    max: 2147483647,
    integer: true,
    help: 'Seed of the split, the initialization and the batch order: the same seed and backend give the same curves.',
  },
  // --- model ---
  model: {
    kind: 'enum',
    short: 'model',
    group: 'model',
    label: 'Model',
    default: 'transformer',
    choices: MODEL_IDS,
    choiceLabels: { transformer: 'transformer', mlp: 'MLP (one-hot operands)' },
    help: 'transformer = the papers’ decoder-only transformer. mlp = the MLP of Prieto et al. (2025): the operands one-hot and concatenated (a ⊕ b) → Layers ReLU layers of Width units → one score per number, no biases, no attention (the inside view’s attention is not available for it).',
  },
  layers: {
    kind: 'number',
    short: 'L',
    group: 'model',
    label: 'Layers',
    default: 2,
    min: 1,
    max: 6,
    integer: true,
    help: 'Transformer blocks (papers: 2; 4 for a·c + b·d − e). One is enough for a + b. For the MLP: its hidden layers (Prieto et al.: 2).',
  },
  dModel: {
    kind: 'number',
    short: 'd',
    group: 'model',
    label: 'Width',
    default: 128,
    min: 4,
    max: 512,
    integer: true,
    help: 'Model width d (divisible by the heads). Papers: 128; 32 is enough for small tables and much faster. For the MLP: the hidden layers’ width (Prieto et al.: 200).',
  },
  heads: {
    kind: 'number',
    short: 'h',
    group: 'model',
    label: 'Attention heads',
    default: 4,
    min: 1,
    max: 16,
    integer: true,
    help: 'Attention heads (papers: 4). The MLP has none and ignores it.',
  },
  // --- training ---
  batchSize: {
    kind: 'number',
    short: 'bs',
    group: 'training',
    label: 'Batch size',
    default: 512,
    min: 1,
    max: 16384,
    integer: true,
    help: 'Rows per step (the last batch of an epoch is smaller). Papers: 512.',
  },
  steps: {
    kind: 'number',
    short: 'steps',
    group: 'training',
    label: 'Steps',
    default: 100000,
    min: 1,
    max: 10000000,
    integer: true,
    live: true,
    help: 'Optimizer steps to run; raise it to extend a finished run.',
  },
  evalEvery: {
    kind: 'number',
    short: 'ev',
    group: 'training',
    label: 'Evaluate every',
    default: 100,
    min: 1,
    max: 100000,
    integer: true,
    live: true,
    help: 'Steps between evaluations on the whole validation set (the papers evaluate every epoch, ≈10 steps at p = 97).',
  },
  lr: {
    kind: 'number',
    short: 'lr',
    group: 'training',
    label: 'Learning rate',
    default: 1e-3,
    min: 1e-6,
    max: 1,
    live: true,
    help: 'Adam’s step size (papers: 1e-3). Higher groks sooner but can spike; too high diverges.',
  },
  beta1: {
    kind: 'number',
    short: 'b1',
    group: 'training',
    label: 'Adam β₁',
    default: 0.9,
    min: 0,
    max: 0.9999,
    live: true,
    help: 'Adam’s momentum (papers: 0.9).',
  },
  beta2: {
    kind: 'number',
    short: 'b2',
    group: 'training',
    label: 'Adam β₂',
    default: 0.98,
    min: 0,
    max: 0.99999,
    live: true,
    help: 'Adam’s second-moment decay (papers: 0.98).',
  },
  eps: {
    kind: 'number',
    short: 'eps',
    group: 'training',
    label: 'Adam ε',
    default: 1e-8,
    min: 1e-12,
    max: 1e-2,
    live: true,
    help: 'Adam’s epsilon, explicit on every backend (1e-8).',
  },
  warmupSteps: {
    kind: 'number',
    short: 'wu',
    group: 'training',
    label: 'Warm-up steps',
    default: 10,
    min: 0,
    max: 100000,
    integer: true,
    live: true,
    help: 'Linear learning-rate warm-up over the first N steps, as the reference’s torch LambdaLR: factor 0 at step 1, 1 at step N + 1 (papers: 10 steps).',
  },
  weightDecay: {
    kind: 'number',
    short: 'wd',
    group: 'training',
    label: 'Weight decay',
    default: 0,
    min: 0,
    max: 10,
    live: true,
    help: 'Pulls weights toward 0. The default follows the method (Adam 1e-3 coupled, AdamW 1 decoupled…). 0: plain Adam, which needs tens of thousands of steps to grok.',
  },
  weightDecayMode: {
    kind: 'enum',
    short: 'wdm',
    group: 'training',
    label: 'Decay mode',
    default: 'coupled',
    choices: WEIGHT_DECAY_MODES,
    choiceLabels: { coupled: 'coupled (L2, torch Adam)', decoupled: 'decoupled (AdamW)' },
    live: true,
    help: 'coupled = L2 added to the gradient before Adam (torch Adam’s weight_decay); decoupled = AdamW.',
  },
  decayAll: {
    kind: 'boolean',
    short: 'wdall',
    group: 'training',
    label: 'Decay every parameter',
    default: true,
    live: true,
    help: 'Off: biases, LayerNorm and embeddings are not decayed.',
  },
  loss: {
    kind: 'enum',
    short: 'loss',
    group: 'training',
    label: 'Loss',
    default: 'softmax',
    choices: LOSS_IDS,
    choiceLabels: { softmax: 'softmax cross-entropy', stablemax: 'StableMax cross-entropy' },
    help: 'softmax = the usual cross-entropy. stablemax = StableMax (Prieto et al., 2025): s(x) = x + 1 for x ≥ 0, 1/(1 − x) below, in place of exp, so float32 cannot round the right answer’s probability to exactly 1 (softmax collapse). Accuracy is the arg-max either way.',
  },
  // --- methods ---
  method: {
    kind: 'enum',
    short: 'method',
    group: 'method',
    label: 'Method',
    default: 'adamw',
    choices: METHOD_IDS,
    choiceLabels: METHOD_LABELS,
    live: true,
    help: 'How the gradient is shaped before the optimizer. Switching mid-run keeps the weights and brings the method’s weight decay.',
  },
  // --- runtime ---
  backend: {
    kind: 'enum',
    short: 'be',
    group: 'runtime',
    label: 'Backend',
    default: 'auto',
    choices: BACKEND_IDS,
    help: 'Compute backend (auto picks the fastest that works).',
  },
} as const satisfies Record<string, FieldSpec>;

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
/** The catalog's method fields, each typed as written there. */
type MethodFields = UnionToIntersection<(typeof METHODS)[MethodId]['fields']>;

/**
 * The field table of a method catalog: the base fields, the method selector over the
 * catalog's ids, and every method's own fields (tagged with their method), in catalog order.
 * A method field whose key or short URL key is taken is a programming error: it throws.
 */
export function fieldTable(catalog: MethodCatalog): Readonly<Record<string, FieldSpec>> {
  const made = fieldTables.get(catalog);
  if (made) return made;
  const { backend, method, ...before } = BASE_FIELDS;
  const table: Record<string, FieldSpec> = {
    ...before,
    method: { ...method, choices: Object.keys(catalog), choiceLabels: methodLabels(catalog) },
  };
  const shorts = new Set([...Object.values(table), backend].map((f) => f.short));
  for (const [id, spec] of Object.entries(catalog)) {
    for (const [key, field] of Object.entries(spec.fields)) {
      if (key in table || key === 'backend' || shorts.has(field.short))
        throw new Error(`method ${id}: field ${key} (${field.short}) is taken`);
      shorts.add(field.short);
      table[key] = { ...field, method: id };
    }
  }
  table.backend = backend;
  fieldTables.set(catalog, table);
  return table;
}
const fieldTables = new WeakMap<MethodCatalog, Readonly<Record<string, FieldSpec>>>();

export const FIELDS = fieldTable(METHODS) as typeof BASE_FIELDS & MethodFields;

export type FieldKey = keyof typeof FIELDS;
export const FIELD_KEYS = Object.keys(FIELDS) as FieldKey[];

/** Whether a field may change mid-run (at the next step, keeping weights and optimizer state). */
export const isLiveField = (key: FieldKey): boolean => 'live' in FIELDS[key] && FIELDS[key].live === true;

/** The allowed values of a field, in words. */
export function rangeText(spec: FieldSpec): string {
  switch (spec.kind) {
    case 'number':
      return `${spec.integer ? 'integer ' : ''}${spec.min} … ${spec.max}`;
    case 'enum':
      return spec.choices.join(' | ');
    case 'boolean':
      return 'true | false';
    case 'intList':
      return `1–${spec.maxLength} integers in ${spec.min} … ${spec.max}, separated by commas`;
  }
}

/**
 * The one parser of a field's text, for the URL, the CLI and the controls: the value, or why
 * the text is not valid. Lists take commas (or the URL's dashes).
 */
export function parseFieldText(spec: FieldSpec, text: string): { value: unknown } | { error: string } {
  const t = text.trim();
  switch (spec.kind) {
    case 'number': {
      if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return { error: `"${text}" is not a number` };
      const n = Number(t);
      if (!(n >= spec.min && n <= spec.max))
        return { error: `${t} is out of range: must be ${n < spec.min ? `≥ ${spec.min}` : `≤ ${spec.max}`}` };
      if (spec.integer && !Number.isInteger(n)) return { error: `${t} is not a whole number` };
      return { value: n };
    }
    case 'enum':
      return spec.choices.includes(t) ? { value: t } : { error: `"${text}" is not one of ${spec.choices.join(', ')}` };
    case 'boolean':
      return t === '1' || t === 'true'
        ? { value: true }
        : t === '0' || t === 'false'
          ? { value: false }
          : { error: `"${text}" is not true/false (1/0)` };
    case 'intList': {
      const parts = t.split(/\s*[-,]\s*/);
      const nums = parts.map(Number);
      if (
        parts.length < 1 ||
        parts.length > spec.maxLength ||
        nums.some((n, i) => !/^\d+$/.test(parts[i]!) || n < spec.min || n > spec.max)
      ) {
        return { error: `"${text}" is not 1–${spec.maxLength} whole numbers in ${spec.min} … ${spec.max}` };
      }
      return { value: nums };
    }
  }
}
