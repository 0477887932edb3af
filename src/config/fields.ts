/**
 * The single table of run-config fields. Defaults, ranges, help texts, CLI flags (and later
 * URL keys and UI control limits) are all derived from it, so a range is written once.
 */

import { BACKEND_ORDER } from '../core/backend-choice';
import { TASK_IDS, type TaskId } from '../core/tasks';

export { TASK_IDS, type TaskId } from '../core/tasks';

export const METHOD_IDS = ['standard', 'adamw', 'grokfast_ema', 'grokfast_ma', 'gradnorm', 'neuralgrok'] as const;
export type MethodId = (typeof METHOD_IDS)[number];

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

export const METHOD_LABELS: Readonly<Record<MethodId, string>> = {
  standard: 'Adam (wd 1e-3, the paper’s Standard)',
  adamw: 'AdamW (weight decay)',
  grokfast_ema: 'GrokFast-EMA',
  grokfast_ma: 'GrokFast-MA',
  gradnorm: 'Gradient normalization',
  neuralgrok: 'NeuralGrok',
};

/**
 * Whether a method trains on the outer split too. NeuralGrok holds it out to train its
 * amplifier; the matched-normalization ablation holds it out as well, so that both arms of
 * "does the learned amplifier matter?" see exactly the same training rows.
 */
export function outerSplitIsTraining(c: { method: MethodId; normMatched?: boolean }): boolean {
  return !(c.method === 'neuralgrok' || (c.method === 'gradnorm' && c.normMatched === true));
}

export const BACKEND_IDS = ['auto', ...BACKEND_ORDER] as const;
export type BackendId = (typeof BACKEND_IDS)[number];

export const WEIGHT_DECAY_MODES = ['coupled', 'decoupled'] as const;
export type WeightDecayMode = (typeof WEIGHT_DECAY_MODES)[number];

interface FieldBase {
  /** Short key for share URLs. */
  short: string;
  /** What the UI calls it (ids stay in URLs and the CLI). */
  label: string;
  /** The method this field belongs to; the UI shows it only for that method. */
  method?: MethodId;
  /** Group, for help listings and UI sections. */
  group: 'data' | 'model' | 'training' | 'method' | 'runtime';
  help: string;
  /** Live-editable: takes effect at the next step without resetting weights or optimizer state. */
  live?: boolean;
}
export interface NumberField extends FieldBase {
  kind: 'number';
  default: number;
  min: number;
  max: number;
  integer?: boolean;
}
export interface EnumField extends FieldBase {
  kind: 'enum';
  default: string;
  choices: readonly string[];
  /** Readable names of the choices, where the ids are not. */
  choiceLabels?: Readonly<Record<string, string>>;
}
export interface BooleanField extends FieldBase {
  kind: 'boolean';
  default: boolean;
}
export interface IntListField extends FieldBase {
  kind: 'intList';
  default: readonly number[];
  /** Range of each entry and of the list length. */
  min: number;
  max: number;
  maxLength: number;
}
export type FieldSpec = NumberField | EnumField | BooleanField | IntListField;

export const FIELDS = {
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
  layers: {
    kind: 'number',
    short: 'L',
    group: 'model',
    label: 'Layers',
    default: 2,
    min: 1,
    max: 6,
    integer: true,
    help: 'Transformer blocks (papers: 2; 4 for a·c + b·d − e). One is enough for a + b.',
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
    help: 'Model width d (divisible by the heads). Papers: 128; 32 is enough for small tables and much faster.',
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
    help: 'Attention heads (papers: 4).',
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
  emaAlpha: {
    kind: 'number',
    short: 'ea',
    group: 'method',
    label: 'EMA α',
    method: 'grokfast_ema',
    default: 0.98,
    min: 0,
    max: 0.9999,
    live: true,
    help: 'GrokFast-EMA: how slowly the average moves (0.98). Higher: a slower, smoother component is amplified.',
  },
  emaLambda: {
    kind: 'number',
    short: 'el',
    group: 'method',
    label: 'EMA λ',
    method: 'grokfast_ema',
    default: 2,
    min: 0,
    max: 100,
    live: true,
    help: 'GrokFast-EMA: how much of the slow component is added (2). 0 turns the method off.',
  },
  maWindow: {
    kind: 'number',
    short: 'mw',
    group: 'method',
    label: 'MA window',
    method: 'grokfast_ma',
    default: 100,
    min: 1,
    max: 1000,
    integer: true,
    help: 'GrokFast-MA: gradients averaged (100).',
  },
  maLambda: {
    kind: 'number',
    short: 'ml',
    group: 'method',
    label: 'MA λ',
    method: 'grokfast_ma',
    default: 5,
    min: 0,
    max: 100,
    live: true,
    help: 'GrokFast-MA: how much of the window mean is added (5).',
  },
  normC: {
    kind: 'number',
    short: 'nc',
    group: 'method',
    label: 'Norm c',
    method: 'gradnorm',
    default: 1,
    min: 1e-4,
    max: 100,
    live: true,
    help: 'Gradient normalization: each tensor’s gradient is rescaled to this norm (1).',
  },
  normClip: {
    kind: 'number',
    short: 'nclip',
    group: 'method',
    label: 'Clip',
    method: 'gradnorm',
    default: 0,
    min: 0,
    max: 1000,
    live: true,
    help: 'Gradient normalization: global gradient-norm clip after normalizing (0 = off, the paper’s ablation).',
  },
  normMatched: {
    kind: 'boolean',
    short: 'nmatch',
    group: 'method',
    label: 'Matched to NeuralGrok',
    method: 'gradnorm',
    default: false,
    live: true,
    help: 'c = 1/√K for K parameter tensors and clip 1 (overrides c and clip): exactly what NeuralGrok feeds Adam if its amplifier stays uniform.',
  },
  ngHidden: {
    kind: 'intList',
    short: 'ngh',
    group: 'method',
    label: 'Amplifier widths',
    method: 'neuralgrok',
    default: [128, 128],
    min: 1,
    max: 2048,
    maxLength: 4,
    help: 'NeuralGrok amplifier hidden widths (the authors’ mod-97 runs: 128,128; a−b 576, a·b 320, a²−b 256, poly5 1152). Cost grows with their products.',
  },
  ngC: {
    kind: 'number',
    short: 'ngc',
    group: 'method',
    label: 'Amplifier c',
    method: 'neuralgrok',
    default: 0.2,
    min: 1e-4,
    max: 100,
    live: true,
    help: 'NeuralGrok: norm of each transformed gradient tensor before the clip (the reference code’s default, “recommend c=0.2”). It also scales the meta step’s virtual update, which has no clip.',
  },
  ngEvery: {
    kind: 'number',
    short: 'ngT',
    group: 'method',
    label: 'Meta step every T',
    method: 'neuralgrok',
    default: 4,
    min: 1,
    max: 1000,
    integer: true,
    live: true,
    help: 'NeuralGrok: the amplifier trains every T steps (paper: 4; 1 for a·c + b·d − e).',
  },
  ngMetaLr: {
    kind: 'number',
    short: 'nglr',
    group: 'method',
    label: 'Amplifier learning rate',
    method: 'neuralgrok',
    default: 1e-4,
    min: 1e-7,
    max: 1,
    live: true,
    help: 'NeuralGrok: the amplifier’s Adam learning rate (1e-4).',
  },
  ngMetaWd: {
    kind: 'number',
    short: 'ngwd',
    group: 'method',
    label: 'Amplifier weight decay',
    method: 'neuralgrok',
    default: 1e-3,
    min: 0,
    max: 1,
    live: true,
    help: 'NeuralGrok: the amplifier’s coupled weight decay (the reference uses the model’s, 1e-3). It can outweigh the meta-gradient and keep the amplifier near uniform.',
  },
  ngClip: {
    kind: 'number',
    short: 'ngclip',
    group: 'method',
    label: 'Gradient clip',
    method: 'neuralgrok',
    default: 1,
    min: 0,
    max: 1000,
    live: true,
    help: 'NeuralGrok: global gradient-norm clip after the transform (1; 0 = off).',
  },
  ngFrozen: {
    kind: 'boolean',
    short: 'ngfrozen',
    group: 'method',
    label: 'Freeze the amplifier',
    method: 'neuralgrok',
    default: false,
    live: true,
    help: 'NeuralGrok: apply the amplifier without training it (the transfer experiment).',
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
