/**
 * Their figure, reproduced (issue 31, item 3): GrokLab's side of Prieto et al.'s settings
 * (src/paper/eos.ts, their run_main_experiments.sh): a + b mod 113, train fraction 0.4, full
 * batch, no warm-up; ⊥AdamW, AdamW wd 0, AdamW wd 1.5 and StableMax, seeds 0–2, on their MLP
 * (GrokLab's `model: mlp`, 2 × 200, no biases) and on GrokLab's transformer as close to their
 * 1-layer encoder as it allows. Each run stops at its first evaluation with val ≥ 0.95 or at
 * their epoch budget. One race per (model, budget): rows in bench/results/race-eos-*.jsonl;
 * their code's rows come from bench/eos_reference.py. The MLP races run first (the transformer's
 * full-batch step costs ~36 GFLOP: hours per seed on a CPU).
 *   npm run sweep -- run sweeps/eos.ts --jobs 2
 *   npm run sweep -- report sweeps/eos.ts        # the side-by-side section of docs/no-weight-decay.md
 */
import { EOS_MODELS, EOS_SEEDS, eosRaces } from '../src/paper/eos';
import type { SweepInput } from '../src/sweep/sweep-file';

export default {
  description: "GrokLab on Prieto et al.'s settings: their MLP and the closest transformer, four arms, three seeds",
  races: eosRaces().map((r, i) => ({
    name: r.name,
    preset: 'classroom', // every field that matters is set below: the model's --set and each arm's flags
    set: EOS_MODELS[r.model].set,
    tasks: ['add'],
    arms: r.arms,
    seeds: [...EOS_SEEDS],
    steps: r.steps,
    evalEvery: EOS_MODELS[r.model].evalEvery,
    stopAt: 0.95,
    checkpointEvery: r.model === 'mlp' ? 100 : 250,
    priority: 60 + i,
    report: false,
  })),
} satisfies SweepInput;
