/**
 * Table 1 over seeds (issue 18): the paper's model and settings, each arm's budget 3× the paper's
 * figure (arms without one: `steps`), stop at val ≥ 0.95. NeuralGrok runs at its defaults, the
 * authors' (128,128, T 4, c 0.2). The rows land in bench/results/race-paper-<task>.jsonl.
 *   npm run sweep -- run sweeps/table1.ts
 */
import type { RaceInput, SweepInput } from '../src/sweep/sweep-file';

const ARMS = ['standard', 'grokfast_ma', 'grokfast_ema', 'neuralgrok', 'gradnorm+norm-matched'];
const POLY5_NG = 'neuralgrok+ng-hidden=1152+ng-every=1';
const SEEDS = [0, 1, 2];

const modular = (task: string): RaceInput => ({
  name: `paper-${task}`,
  preset: 'paper',
  tasks: [task],
  arms: ARMS,
  seeds: SEEDS,
  budgetX: 3,
  steps: 6000,
  stopAt: 0.95,
  priority: 10,
});

/** poly5 on the paper's 4-layer model over p = 7: `evalEvery` 50 (an evaluation costs ~7 training steps there). */
const poly5 = (name: string, arms: string[], seeds: number[], evalEvery: number, priority: number): RaceInput => ({
  name,
  preset: 'paper',
  set: 'p=7;layers=4',
  tasks: ['poly5'],
  arms,
  seeds,
  budgetX: 3,
  steps: 5000,
  stopAt: 0.95,
  evalEvery,
  priority,
  blas: true,
});

export default {
  description: 'Table 1: four mod-97 tasks and poly5, five arms, three seeds',
  races: [
    ...['add', 'sub', 'mul', 'sq_sub'].map(modular),
    poly5('paper-poly5-d', [POLY5_NG, 'grokfast_ma', 'gradnorm+norm-matched', 'standard', 'grokfast_ema'], SEEDS, 50, 20),
    // the first poly5 race, evaluating every 10 steps (superseded by paper-poly5-d; kept for its report)
    poly5('paper-poly5', [POLY5_NG, 'grokfast_ma', 'grokfast_ema'], [0, 1], 10, 900),
  ],
} satisfies SweepInput;
