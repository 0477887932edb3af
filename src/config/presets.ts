/**
 * The presets: one list for the CLI's `--preset` and the playground's menu. `paper` is the
 * reference model and data of docs/algorithms.md exactly; `classroom` is smaller and faster
 * (docs/guide.md, "Presets": what differs and why). A preset's values win over the method's defaults
 * (schema.ts `buildConfig`). Each "what to watch" line here describes the preset without
 * figures; what a headless run of it measured is appended from preset-measurements.json
 * (preset-watch.ts, checked by a test). A preset about a comparison opens compare mode.
 */
import type { MethodId } from './fields';
import { buildConfig, type RunConfig, type ValidConfig } from './schema';
import { POLY5_SETUP } from '../paper/table1';

/**
 * One run of a compare preset: a method with its reference weight decay, or with the decay
 * given here (⊥Grad against AdamW, both without decay).
 */
export interface CompareArm {
  method: MethodId;
  weightDecay?: number;
}

export interface Preset {
  id: string;
  title: string;
  /** What to watch for, without figures (presetWatch appends what was measured). */
  watch: string;
  config: Partial<RunConfig>;
  /** Opens compare mode with these methods (each on the preset's config, with its reference decay unless the arm gives one). */
  compare?: readonly (MethodId | CompareArm)[];
  /** The page pauses the run when it groks (val ≥ 0.95): the classroom demo stops on its story. */
  pauseWhenGrokked?: boolean;
}

const PAPER: Partial<RunConfig> = {
  p: 97,
  layers: 2,
  dModel: 128,
  heads: 4,
  batchSize: 512,
  lr: 1e-3,
  beta1: 0.9,
  beta2: 0.98,
  warmupSteps: 10,
  trainFraction: 0.5,
  steps: 100000,
  evalEvery: 100,
};
const CLASSROOM: Partial<RunConfig> = {
  p: 31,
  layers: 1,
  dModel: 32,
  heads: 4,
  batchSize: 512,
  lr: 1e-2,
  beta1: 0.9,
  beta2: 0.98,
  warmupSteps: 10,
  trainFraction: 0.5,
  steps: 3000,
  evalEvery: 10,
};

/** The classroom demo's learning rate (the other class-sized presets keep CLASSROOM's 1e-2). */
export const CLASSROOM_DEMO_LR = 0.015;

export const PRESETS: readonly Preset[] = [
  {
    id: 'classroom',
    title: 'Fast classroom demo',
    watch:
      'a + b mod 31, AdamW wd 1: training accuracy reaches 100 % first, validation jumps up later; dips after that are slingshot spikes, and they recover.',
    // lr 0.015, not the shared 0.01: grokking ~30 % sooner in steps at the same cost per step, every
    // seed 0–4 still memorizing first (docs/decisions.md, "The classroom run groks sooner")
    config: { ...CLASSROOM, lr: CLASSROOM_DEMO_LR, task: 'add', method: 'adamw', weightDecay: 1, weightDecayMode: 'decoupled' },
    pauseWhenGrokked: true,
  },
  {
    id: 'paper',
    title: 'Classic grokking on the paper model (a + b mod 97, AdamW wd 1)',
    watch: 'The reference model and table (p = 97, 2 layers, d = 128) with Power et al.’s AdamW wd 1: several minutes on a CPU.',
    config: { ...PAPER, task: 'add', method: 'adamw', weightDecay: 1, weightDecayMode: 'decoupled' },
  },
  {
    id: 'neuralgrok-vs-baselines',
    title: 'NeuralGrok against the baselines (compare, a + b mod 31)',
    watch:
      'The paper’s methods and settings on a class-sized model (batch 64, lr 1e-2, outer split 3 %, T = 4, amplifier 32,32); four runs share the CPU, expect several minutes. ' +
      'Over three seeds (docs/results.md) matched gradient normalization grokked as often as NeuralGrok or more, and NeuralGrok’s amplifier stayed uniform.',
    config: {
      ...CLASSROOM,
      task: 'add',
      method: 'neuralgrok',
      batchSize: 64,
      lr: 1e-2,
      outerFraction: 0.03,
      ngEvery: 4,
      ngHidden: [32, 32],
      normMatched: true,
      steps: 3000,
      evalEvery: 10,
    },
    compare: ['neuralgrok', 'standard', 'grokfast_ema', 'gradnorm'],
  },
  {
    id: 'grokfast',
    title: 'GrokFast',
    watch: 'a · b mod 31 with GrokFast-EMA (α 0.98, λ 2, coupled wd 0.005), which amplifies the slow part of the gradient.',
    config: { ...CLASSROOM, task: 'mul', method: 'grokfast_ema', weightDecay: 0.005, weightDecayMode: 'coupled' },
  },
  {
    id: 'grokfast-readme',
    title: 'GrokFast’s headline run (a · b mod 97, MA wd 0.01)',
    watch:
      'GrokFast’s README run: a · b mod 97 on the reference model, GrokFast-MA (w 100, λ 5, coupled wd 0.01); the README reports 790 steps to val 95 % (their figure, on their machine; ours follows). Slow without a GPU.',
    config: { ...PAPER, task: 'mul', method: 'grokfast_ma', weightDecay: 0.01, weightDecayMode: 'coupled', evalEvery: 10, steps: 3000 },
  },
  {
    id: 'hardest',
    title: 'The hardest task (a·c + b·d − e mod 7)',
    watch:
      'Five operands (12\u00a0348 rows) on the small classroom model; the NeuralGrok paper uses 4 layers and NeuralGrok with T = 1 for it.',
    config: { ...CLASSROOM, task: 'poly5', p: POLY5_SETUP.model.p, method: 'adamw', weightDecay: 1, weightDecayMode: 'decoupled' },
  },
  {
    id: 'no-weight-decay',
    title: 'Grokking without weight decay (⊥Grad against AdamW, compare)',
    watch:
      'Prieto et al.’s setting, scaled to a class: their MLP (one-hot a ⊕ b → 200 → 200 → 59 scores, no biases), a + b mod 59, 40 % of the table for training, full batch, lr 0.01, β₂ 0.99, no weight decay in either run. ' +
      'Plain AdamW memorizes, then its steps mostly scale the weights up (the cosine of update and weights climbs towards +1: naïve loss minimization, the drift that Prieto et al. show ending in softmax collapse) and validation stays at 0. ⊥Grad removes the gradient’s component along the weights and groks.',
    config: {
      model: 'mlp',
      task: 'add',
      p: 59,
      trainFraction: 0.4,
      layers: 2,
      dModel: 200,
      heads: 4,
      batchSize: 2048,
      lr: 0.01,
      beta1: 0.9,
      beta2: 0.99,
      warmupSteps: 10,
      method: 'orthograd',
      weightDecay: 0,
      weightDecayMode: 'decoupled',
      steps: 500,
      evalEvery: 10,
    },
    compare: ['orthograd', { method: 'adamw', weightDecay: 0 }],
  },
  {
    id: 'neuralgrok-poly5',
    title: 'NeuralGrok’s headline run (a·c + b·d − e mod 7, the authors’ settings)',
    watch:
      'The authors’ configuration for the hardest task (script/neuralgrok/task1.sh): the paper model with 4 layers, NeuralGrok with one hidden layer of 1\u00a0152 and a meta step after every step (T = 1), c = 0.2. ' +
      'The paper reports val 95\u00a0% at step 1\u00a0896, against 8\u00a0853 for GrokFast-MA. Several seconds per step on a CPU: docs/results.md says what GrokLab measured.',
    config: {
      ...PAPER,
      task: 'poly5',
      ...POLY5_SETUP.model,
      method: 'neuralgrok',
      ...POLY5_SETUP.neuralgrok,
      ngC: 0.2,
      evalEvery: 10,
      steps: 6000,
    },
  },
];

export const PRESET_IDS = PRESETS.map((p) => p.id);

/** A compare preset's runs as arms ([] for a single-run preset). */
export function compareArms(p: Preset): CompareArm[] {
  return (p.compare ?? []).map((a) => (typeof a === 'string' ? { method: a } : { ...a }));
}

/** The overrides that make an arm's config from the preset's (buildConfig's second argument). */
export function armOverrides(a: CompareArm): { method: MethodId; weightDecay?: number } {
  return a.weightDecay === undefined ? { method: a.method } : { method: a.method, weightDecay: a.weightDecay };
}

const built = new WeakMap<Preset, ValidConfig>();

/** A preset's run config, built and validated once (buildConfig) and shared by everything that reads it. */
export function presetConfig(preset: Preset): ValidConfig {
  let config = built.get(preset);
  if (!config) built.set(preset, (config = buildConfig(preset.config)));
  return config;
}

export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

/** The classroom model and optimizer without a task or method (tests and benchmarks build on it). */
export const CLASSROOM_CONFIG = CLASSROOM;
export const PAPER_CONFIG = PAPER;
