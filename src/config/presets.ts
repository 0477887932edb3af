/**
 * The presets: one list for the CLI's `--preset` and the playground's menu. `paper` is the
 * reference model and data of docs/algorithms.md exactly; `classroom` is smaller and faster
 * (README: what differs and why). A preset's values win over the method's defaults
 * (schema.ts `buildConfig`). Each "what to watch" line states what was measured, with its
 * seeds and the machine; a preset about a comparison opens compare mode.
 */
import type { MethodId } from './fields';
import type { RunConfig } from './schema';

export interface Preset {
  id: string;
  title: string;
  /** What to watch for, as measured. */
  watch: string;
  config: Partial<RunConfig>;
  /** Opens compare mode with these methods (each on the preset's config). */
  compare?: MethodId[];
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

export const PRESETS: readonly Preset[] = [
  {
    id: 'classroom',
    title: 'Fast classroom demo',
    watch:
      'a + b mod 31, AdamW wd 1: training accuracy reached 99 % at step 90 and validation 95 % at step 320 (seed 0) — about 10 s after Play on an idle 2-core CPU. Dips after that are slingshot spikes; they recover.',
    config: { ...CLASSROOM, task: 'add', method: 'adamw', weightDecay: 1, weightDecayMode: 'decoupled' },
    pauseWhenGrokked: true,
  },
  {
    id: 'paper',
    title: 'Classic grokking on the paper model (a + b mod 97, AdamW wd 1)',
    watch:
      'The reference model and table (p = 97, 2 layers, d = 128) with Power et al.’s AdamW wd 1. Measured headless (seed 0): training accuracy reached 99 % by step 500, validation 95 % at step 1 200. ' +
      'At 0.15–0.2 s per step on an idle 2-core CPU (2 WASM threads) that is 3–4 minutes of training.',
    config: { ...PAPER, task: 'add', method: 'adamw', weightDecay: 1, weightDecayMode: 'decoupled' },
  },
  {
    id: 'neuralgrok-vs-baselines',
    title: 'NeuralGrok against the baselines (compare, a + b mod 31)',
    watch:
      'The paper’s methods and settings on a class-sized model (batch 64, lr 1e-2, outer split 3 %, T = 4, amplifier 32,32). ' +
      'Measured headless over seeds 0–2 (3 000 steps): matched gradient normalization reached val 95 % in all three (2 140–2 280 steps), ' +
      'NeuralGrok in two (2 760, 3 000), Adam (wd 1e-3) and GrokFast-EMA in one each — and NeuralGrok’s amplifier stayed uniform. ' +
      'Four runs share the CPU here: expect several minutes.',
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
    watch:
      'a · b mod 31 with GrokFast-EMA (α 0.98, λ 2, coupled wd 0.005), which amplifies the slow part of the gradient: validation reached 95 % at step 2 220 (seed 0, headless) — one to two minutes here.',
    config: { ...CLASSROOM, task: 'mul', method: 'grokfast_ema', weightDecay: 0.005, weightDecayMode: 'coupled' },
  },
  {
    id: 'grokfast-readme',
    title: 'GrokFast’s headline run (a · b mod 97, MA wd 0.01)',
    watch:
      'GrokFast’s README: a·b mod 97, GrokFast-MA (w 100, λ 5, coupled wd 0.01) reaches val 95% at step 790 (EMA, wd 0.005: 910). The reference model: slow without a GPU.',
    config: { ...PAPER, task: 'mul', method: 'grokfast_ma', weightDecay: 0.01, weightDecayMode: 'coupled', evalEvery: 10, steps: 3000 },
  },
  {
    id: 'hardest',
    title: 'The hardest task (a·c + b·d − e mod 7)',
    watch:
      'Five operands, 12 348 rows, on the small classroom model: after 3 000 steps (seed 0, about 5 minutes here) neither training nor validation accuracy had left chance (1/7) — this is the hard one; the paper uses 4 layers and NeuralGrok with T = 1',
    config: { ...CLASSROOM, task: 'poly5', p: 7, method: 'adamw', weightDecay: 1, weightDecayMode: 'decoupled' },
  },
];

export const PRESET_IDS = PRESETS.map((p) => p.id);

export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

/** The classroom model and optimizer without a task or method (tests and benchmarks build on it). */
export const CLASSROOM_CONFIG = CLASSROOM;
export const PAPER_CONFIG = PAPER;
