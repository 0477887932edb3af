/**
 * The paper's other claims (issue 18, item 4), on a + b:
 * (a) robust to c: NeuralGrok at c 0.1, 0.5, 1 (c 0.2 is Table 1's cell);
 * (e) transfer: the amplifier NeuralGrok trained on a + b (kept in runs/amplifiers), frozen, on
 *     a − b, seed by seed (each frozen job waits for its seed's source job; the amplifier file is
 *     written where the source ran: across machines, give the workers a shared runs/);
 * (c) stability after grokking: AdamW (wd 1) and NeuralGrok over the whole 3 000 steps.
 */
import type { SweepInput } from '../src/sweep/sweep-file';

const SEEDS = [0, 1, 2];

export default {
  description: "the paper's claims (a), (c), (e) on a + b",
  races: [
    {
      name: 'claim-c',
      preset: 'paper',
      tasks: ['add'],
      arms: ['neuralgrok+ng-c=0.1', 'neuralgrok+ng-c=0.5', 'neuralgrok+ng-c=1'],
      seeds: SEEDS,
      steps: 3000,
      stopAt: 0.95,
      priority: 40,
    },
    {
      name: 'claim-transfer-source',
      preset: 'paper',
      tasks: ['add'],
      arms: ['neuralgrok'],
      seeds: SEEDS,
      steps: 3000,
      stopAt: 0.95,
      keepRuns: 'runs/amplifiers',
      priority: 40,
    },
    {
      name: 'claim-transfer',
      preset: 'paper',
      tasks: ['sub'],
      arms: ['neuralgrok+amplifier=runs/amplifiers/add_neuralgrok_{seed}.json+ng-frozen'],
      seeds: SEEDS,
      budgetX: 3,
      steps: 6000,
      stopAt: 0.95,
      after: 'claim-transfer-source',
      priority: 40,
    },
    {
      name: 'claim-stability',
      preset: 'paper',
      tasks: ['add'],
      arms: ['adamw', 'neuralgrok'],
      seeds: SEEDS,
      steps: 3000,
      full: true,
      priority: 40,
    },
  ],
} satisfies SweepInput;
