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
