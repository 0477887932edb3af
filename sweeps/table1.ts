/**
 * Table 1 over seeds (issue 18): the paper's model and settings, each arm's budget 3× the paper's
 * figure (arms without one: `steps`), stop at val ≥ 0.95. NeuralGrok runs at its defaults, the
 * authors' (128,128, T 4, c 0.2); poly5 on its setup (src/paper/table1.ts). The rows land in
 * bench/results/race-paper-<task>.jsonl.
 *   npm run sweep -- run sweeps/table1.ts
 */
import { paperArm, paperSet, type PaperMethod, type PaperTask } from '../src/paper/table1';
import type { RaceInput, SweepInput } from '../src/sweep/sweep-file';

const SEEDS = [0, 1, 2];
/** A task's arms from the paper module (src/paper/table1.ts): its columns, in the order given. */
const armsOf = (task: PaperTask, methods: PaperMethod[]): string[] => methods.map((m) => paperArm(task, m));
const ALL: PaperMethod[] = ['standard', 'grokfast_ma', 'grokfast_ema', 'neuralgrok', 'matched'];

const modular = (task: PaperTask): RaceInput => ({
  name: `paper-${task}`,
  preset: 'paper',
  tasks: [task],
  arms: armsOf(task, ALL),
  seeds: SEEDS,
  budgetX: 3,
  steps: 6000,
  stopAt: 0.95,
  priority: 10,
});

/** poly5 on the paper's 4-layer model over p = 7: `evalEvery` 50 (an evaluation costs ~7 training steps there). */
const poly5 = (name: string, methods: PaperMethod[], seeds: number[], evalEvery: number, priority: number): RaceInput => ({
  name,
  preset: 'paper',
  set: paperSet('poly5'),
  tasks: ['poly5'],
  arms: armsOf('poly5', methods),
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
    ...(['add', 'sub', 'mul', 'sq_sub'] as const).map(modular),
    poly5('paper-poly5-d', ['neuralgrok', 'grokfast_ma', 'matched', 'standard', 'grokfast_ema'], SEEDS, 50, 20),
    // the first poly5 race, evaluating every 10 steps (superseded by paper-poly5-d; kept for its report)
    poly5('paper-poly5', ['neuralgrok', 'grokfast_ma', 'grokfast_ema'], [0, 1], 10, 900),
  ],
} satisfies SweepInput;
