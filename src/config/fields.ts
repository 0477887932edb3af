/**
 * The single table of run-config fields. Defaults, ranges, help texts, CLI flags (and later
 * URL keys and UI control limits) are all derived from it, so a range is written once.
 */

export const TASK_IDS = ['add', 'sub', 'mul', 'div', 'sq_sub', 'sq_add', 'cube_add', 'poly5', 'mix'] as const;
export type TaskId = (typeof TASK_IDS)[number];

export const METHOD_IDS = ['standard', 'adamw', 'grokfast_ema', 'grokfast_ma', 'gradnorm', 'neuralgrok'] as const;
export type MethodId = (typeof METHOD_IDS)[number];

export const BACKEND_IDS = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendId = (typeof BACKEND_IDS)[number];

export const WEIGHT_DECAY_MODES = ['coupled', 'decoupled'] as const;
export type WeightDecayMode = (typeof WEIGHT_DECAY_MODES)[number];

interface FieldBase {
  /** Short key for share URLs. */
  short: string;
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
  task: { kind: 'enum', short: 'task', group: 'data', default: 'add', choices: TASK_IDS, help: 'Task id (see the task table).' },
  p: { kind: 'number', short: 'p', group: 'data', default: 97, min: 3, max: 257, integer: true, help: 'Prime modulus p.' },
  trainFraction: { kind: 'number', short: 'frac', group: 'data', default: 0.5, min: 0.05, max: 0.95, help: 'Fraction of the table used for training; the rest is validation.' },
  outerFraction: { kind: 'number', short: 'outer', group: 'data', default: 0.01, min: 0.001, max: 0.2, help: 'NeuralGrok only: fraction of the whole table taken out of training as the outer (meta) split.' },
  seed: { kind: 'number', short: 'seed', group: 'data', default: 0, min: 0, max: 2147483647, integer: true, help: 'Seed of the split, the initialisation and the batch order.' },
  // --- model ---
  layers: { kind: 'number', short: 'L', group: 'model', default: 2, min: 1, max: 6, integer: true, help: 'Transformer blocks.' },
  dModel: { kind: 'number', short: 'd', group: 'model', default: 128, min: 4, max: 512, integer: true, help: 'Model width (divisible by heads).' },
  heads: { kind: 'number', short: 'h', group: 'model', default: 4, min: 1, max: 16, integer: true, help: 'Attention heads.' },
  // --- training ---
  batchSize: { kind: 'number', short: 'bs', group: 'training', default: 512, min: 1, max: 16384, integer: true, help: 'Minibatch size (the last batch of an epoch is smaller).' },
  steps: { kind: 'number', short: 'steps', group: 'training', default: 100000, min: 1, max: 10000000, integer: true, help: 'Optimizer steps to run.' },
  evalEvery: { kind: 'number', short: 'ev', group: 'training', default: 100, min: 1, max: 100000, integer: true, live: true, help: 'Evaluate on the full validation set every N steps.' },
  lr: { kind: 'number', short: 'lr', group: 'training', default: 1e-3, min: 1e-6, max: 1, live: true, help: 'Learning rate.' },
  beta1: { kind: 'number', short: 'b1', group: 'training', default: 0.9, min: 0, max: 0.9999, live: true, help: 'Adam beta1.' },
  beta2: { kind: 'number', short: 'b2', group: 'training', default: 0.98, min: 0, max: 0.99999, live: true, help: 'Adam beta2.' },
  eps: { kind: 'number', short: 'eps', group: 'training', default: 1e-8, min: 1e-12, max: 1e-2, live: true, help: 'Adam epsilon (explicit on every backend).' },
  warmupSteps: { kind: 'number', short: 'wu', group: 'training', default: 10, min: 0, max: 100000, integer: true, live: true, help: 'Linear learning-rate warm-up steps.' },
  weightDecay: { kind: 'number', short: 'wd', group: 'training', default: 0, min: 0, max: 10, live: true, help: 'Weight decay (default depends on the method, see README).' },
  weightDecayMode: { kind: 'enum', short: 'wdm', group: 'training', default: 'coupled', choices: WEIGHT_DECAY_MODES, live: true, help: 'coupled = L2 added to the gradient (torch Adam); decoupled = AdamW.' },
  decayAll: { kind: 'boolean', short: 'wdall', group: 'training', default: true, live: true, help: 'Decay every parameter; false exempts biases, LayerNorm and embeddings.' },
  // --- methods ---
  method: { kind: 'enum', short: 'method', group: 'method', default: 'adamw', choices: METHOD_IDS, help: 'Gradient method.' },
  emaAlpha: { kind: 'number', short: 'ea', group: 'method', default: 0.98, min: 0, max: 0.9999, live: true, help: 'GrokFast-EMA momentum alpha.' },
  emaLambda: { kind: 'number', short: 'el', group: 'method', default: 2, min: 0, max: 100, live: true, help: 'GrokFast-EMA amplification lambda.' },
  maWindow: { kind: 'number', short: 'mw', group: 'method', default: 100, min: 1, max: 1000, integer: true, help: 'GrokFast-MA window (gradients kept).' },
  maLambda: { kind: 'number', short: 'ml', group: 'method', default: 5, min: 0, max: 100, live: true, help: 'GrokFast-MA amplification lambda.' },
  normC: { kind: 'number', short: 'nc', group: 'method', default: 1, min: 1e-4, max: 100, live: true, help: 'Gradient normalization: target norm c per tensor.' },
  normClip: { kind: 'number', short: 'nclip', group: 'method', default: 0, min: 0, max: 1000, live: true, help: 'Gradient normalization: global gradient-norm clip after normalizing (0 = off, the paper\'s ablation).' },
  normMatched: { kind: 'boolean', short: 'nmatch', group: 'method', default: false, live: true, help: 'Gradient normalization matched to NeuralGrok: c = 1/√K for K parameter tensors and clip 1 (overrides c and clip): what NeuralGrok feeds Adam if its amplifier stays uniform.' },
  ngHidden: { kind: 'intList', short: 'ngh', group: 'method', default: [128, 128], min: 1, max: 2048, maxLength: 4, help: 'NeuralGrok amplifier hidden widths (the authors\' mod-97 runs: 128,128; a−b 576, a·b 320, a²−b 256, poly5 1152).' },
  ngC: { kind: 'number', short: 'ngc', group: 'method', default: 1, min: 1e-4, max: 100, live: true, help: 'NeuralGrok: norm c of each transformed gradient tensor.' },
  ngEvery: { kind: 'number', short: 'ngT', group: 'method', default: 4, min: 1, max: 1000, integer: true, live: true, help: 'NeuralGrok: meta step every T inner steps (paper: 4; 1 for a·c+b·d−e).' },
  ngMetaLr: { kind: 'number', short: 'nglr', group: 'method', default: 1e-4, min: 1e-7, max: 1, live: true, help: 'NeuralGrok: amplifier (meta) learning rate.' },
  ngMetaWd: { kind: 'number', short: 'ngwd', group: 'method', default: 1e-3, min: 0, max: 1, live: true, help: 'NeuralGrok: amplifier weight decay (coupled; the reference uses the model\'s, 1e-3).' },
  ngClip: { kind: 'number', short: 'ngclip', group: 'method', default: 1, min: 0, max: 1000, live: true, help: 'NeuralGrok: global gradient-norm clip after the transform (0 = off).' },
  ngFrozen: { kind: 'boolean', short: 'ngfrozen', group: 'method', default: false, live: true, help: 'NeuralGrok: apply the amplifier without meta-training it (transfer).' },
  // --- runtime ---
  backend: { kind: 'enum', short: 'be', group: 'runtime', default: 'auto', choices: BACKEND_IDS, help: 'Compute backend (auto picks the fastest that works).' },
} as const satisfies Record<string, FieldSpec>;

export type FieldKey = keyof typeof FIELDS;
export const FIELD_KEYS = Object.keys(FIELDS) as FieldKey[];
