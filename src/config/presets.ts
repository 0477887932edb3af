/**
 * Named presets. `paper` is the reference model and data of ALGORITHMS.md exactly;
 * `classroom` is smaller and faster (see the README for what differs and why).
 */
import type { RunConfig } from './schema';

export interface Preset {
  id: string;
  title: string;
  description: string;
  config: Partial<RunConfig>;
}

export const PRESETS: Record<string, Preset> = {
  paper: {
    id: 'paper',
    title: 'Paper (reference)',
    description: 'The reference model and data: p = 97, 2 layers, d = 128, 4 heads, batch 512, Adam lr 1e-3, β = (0.9, 0.98).',
    config: { p: 97, layers: 2, dModel: 128, heads: 4, batchSize: 512, lr: 1e-3, beta1: 0.9, beta2: 0.98, warmupSteps: 10, trainFraction: 0.5, steps: 100000, evalEvery: 100 },
  },
  classroom: {
    id: 'classroom',
    title: 'Fast classroom demo',
    description: 'A small model on a small table that groks in well under a minute on a laptop CPU.',
    config: { p: 31, layers: 1, dModel: 32, heads: 4, batchSize: 512, lr: 1e-2, beta1: 0.9, beta2: 0.98, warmupSteps: 10, trainFraction: 0.5, steps: 3000, evalEvery: 10 },
  },
};

export const PRESET_IDS = Object.keys(PRESETS);

/** The playground's preset menu: each a whole config plus what to watch for. */
export interface UiPreset {
  id: string;
  title: string;
  watch: string;
  config: Partial<RunConfig>;
}

const CLASSROOM = PRESETS.classroom!.config;

export const UI_PRESETS: UiPreset[] = [
  {
    id: 'fast',
    title: 'Fast classroom demo',
    watch: 'a + b mod 31: training accuracy hits 100% within ~100 steps, validation follows only ~300 steps later.',
    config: { ...CLASSROOM, task: 'add', method: 'adamw', weightDecay: 1, weightDecayMode: 'decoupled' },
  },
  {
    id: 'classic',
    title: 'Classic grokking (a+b mod 97, AdamW wd=1)',
    watch: 'The reference model and table: memorization first, generalization thousands of steps later (slow without a GPU).',
    config: { ...PRESETS.paper!.config, task: 'add', method: 'adamw', weightDecay: 1, weightDecayMode: 'decoupled', steps: 20000 },
  },
  {
    id: 'neuralgrok-sq-sub',
    title: 'NeuralGrok vs Adam on a²−b',
    watch: 'The "hard" NeuralGrok task: compare when validation accuracy rises with the amplifier and with plain Adam.',
    config: { ...CLASSROOM, task: 'sq_sub', method: 'neuralgrok', weightDecay: 1e-3, weightDecayMode: 'coupled' },
  },
  {
    id: 'grokfast',
    title: 'GrokFast',
    watch: 'GrokFast-EMA amplifies the slow part of the gradient: watch the gap between train and validation accuracy close.',
    config: { ...CLASSROOM, task: 'mul', method: 'grokfast_ema', weightDecay: 0.005, weightDecayMode: 'coupled' },
  },
  {
    id: 'hardest',
    title: 'The hardest task (a·c+b·d−e mod 7)',
    watch: 'Five operands, 12 348 rows: validation accuracy stays near chance for a long time.',
    config: { ...CLASSROOM, task: 'poly5', p: 7, method: 'adamw', weightDecay: 1, weightDecayMode: 'decoupled' },
  },
];
