/**
 * Settling poly5's headline pair: NeuralGrok ([1 152], T 1) and matched normalization, 15 000
 * steps each, stop at val ≥ 0.95, evaluation every 50 steps, checkpoints every 250 steps, on
 * OpenBLAS's matmul. Cut runs continue from runs/race/ or from bench/checkpoints/ (parked).
 */
import { paperArm, paperSet } from '../src/paper/table1';
import type { SweepInput } from '../src/sweep/sweep-file';

export default {
  description: "poly5's NeuralGrok and matched normalization, three seeds, a long budget",
  races: [
    {
      name: 'paper-poly5-settle',
      preset: 'paper',
      set: paperSet('poly5'),
      tasks: ['poly5'],
      arms: [paperArm('poly5', 'neuralgrok'), paperArm('poly5', 'matched')],
      seeds: [0, 1, 2],
      steps: 15000,
      stopAt: 0.95,
      evalEvery: 50,
      checkpointEvery: 250,
      // OpenBLAS, one thread a run: the parked checkpoints were written on it, and a resume
      // refuses another matmul (it would round differently)
      blas: true,
      priority: 5,
    },
  ],
} satisfies SweepInput;
