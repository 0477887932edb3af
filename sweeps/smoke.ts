/**
 * The smoke sweep: 4 classroom jobs (a + b mod 31, AdamW and GrokFast-EMA, two seeds) of about
 * 20 s each on a 2-core machine, checkpointing every 50 steps (a few seconds). Try it:
 *   npm run sweep -- run sweeps/smoke.ts --results runs/smoke
 */
import type { SweepInput } from '../src/sweep/sweep-file';

export default {
  description: 'four classroom jobs, to try the sweep commands',
  races: [
    {
      name: 'smoke',
      preset: 'classroom',
      tasks: ['add'],
      arms: ['adamw', 'grokfast_ema'],
      seeds: [0, 1],
      steps: 300,
      stopAt: 0.95,
      checkpointEvery: 50,
    },
  ],
} satisfies SweepInput;
