/**
 * The earlier comparison, kept for its report: the first pass (two seeds of a + b, one of
 * a² − b; NeuralGrok at 32,32), GrokFast's README run on a · b, and the class-sized pilots.
 */
import type { RaceInput, SweepInput } from '../src/sweep/sweep-file';

const NG = 'neuralgrok+ng-hidden=32,32';
const PILOT_ARMS = ['standard', 'grokfast_ma', 'grokfast_ema', NG, 'gradnorm+norm-matched'];
const pilot = (name: string, batch: number, lr: number, seeds: number[]): RaceInput => ({
  name,
  preset: 'classroom',
  tasks: ['add'],
  set: `batch-size=${batch};lr=${lr};outer-fraction=0.03;ng-every=4`,
  arms: PILOT_ARMS,
  seeds,
  steps: 3000,
  priority: 1000,
});

export default {
  description: 'the first pass, GrokFast on a · b, the classroom pilots',
  races: [
    // the first pass shares its results files with Table 1's races, whose sections `report` writes
    {
      name: 'paper-add',
      preset: 'paper',
      tasks: ['add'],
      arms: ['standard', NG, 'gradnorm+norm-matched', 'grokfast_ma', 'grokfast_ema'],
      seeds: [0, 1],
      steps: 3000,
      stopAt: 0.95,
      priority: 1000,
      report: false,
    },
    {
      name: 'paper-sq_sub',
      preset: 'paper',
      tasks: ['sq_sub'],
      arms: ['standard', NG, 'gradnorm+norm-matched', 'grokfast_ema'],
      seeds: [0],
      steps: 6000,
      stopAt: 0.95,
      priority: 1000,
      report: false,
    },
    {
      name: 'grokfast-mul',
      preset: 'paper',
      tasks: ['mul'],
      arms: ['grokfast_ema', 'grokfast_ma+weight-decay=0.01'],
      seeds: [0, 1, 2],
      steps: 3000,
      stopAt: 0.95,
      priority: 1000,
    },
    pilot('pilot-lr3e-3', 64, 0.003, [0]),
    pilot('pilot-lr1e-2', 64, 0.01, [0, 1, 2]),
    pilot('pilot-lr1e-2-full', 512, 0.01, [0]),
  ],
} satisfies SweepInput;
