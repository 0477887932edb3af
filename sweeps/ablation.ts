/** "Let the amplifier learn": NeuralGrok's meta weight decay 0 (and the authors' earlier 1e-6) at meta lr 1e-2, 1e-3, 1e-4, on a + b. */
import { ABLATION_ARMS } from '../src/paper/ablation';
import type { SweepInput } from '../src/sweep/sweep-file';

export default {
  description: "NeuralGrok's amplifier ablation on a + b",
  races: [
    {
      name: 'ablation-add',
      preset: 'paper',
      tasks: ['add'],
      arms: [...ABLATION_ARMS],
      seeds: [0, 1, 2],
      steps: 3000,
      stopAt: 0.95,
      priority: 30,
    },
  ],
} satisfies SweepInput;
