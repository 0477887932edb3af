/**
 * The NeuralGrok paper as GrokLab races it, as data: its tasks, Table 1's methods and figures,
 * each task's setup beyond the paper preset (poly5's: p 7, 4 layers, NeuralGrok [1 152] at T 1),
 * and the race arm and `--set` that run each cell, derived from that setup — the sweeps, the
 * view's share links, the presets and the benchmarks all read this one definition. Pure data;
 * src/paper/table.ts reduces the race rows against it and src/paper/verdicts.ts judges them.
 */

export const PAPER_TASKS = ['add', 'sub', 'mul', 'sq_sub', 'poly5'] as const;
export type PaperTask = (typeof PAPER_TASKS)[number];
/** Table 1's four columns, then matched normalization (the ablation; no figure in the paper). */
export const PAPER_METHODS = ['standard', 'grokfast_ma', 'grokfast_ema', 'neuralgrok', 'matched'] as const;
export type PaperMethod = (typeof PAPER_METHODS)[number];

export const PAPER_METHOD_LABELS: Record<PaperMethod, string> = {
  standard: 'Standard',
  grokfast_ma: 'GrokFast-MA',
  grokfast_ema: 'GrokFast-EMA',
  neuralgrok: 'NeuralGrok',
  matched: 'Matched normalization',
};

/** A figure of Table 1: steps to val ≥ 0.95, or "fails" (not within the paper's 1e6 steps). */
export type PaperFigure = { steps: number } | { failsWithin: number };

/** NeuralGrok (Zhou et al., 2025, arXiv:2504.17243), Table 1: steps to 95 % validation accuracy. */
export const PAPER_TABLE1: Record<PaperTask, Partial<Record<PaperMethod, PaperFigure>>> = {
  add: { standard: { steps: 1650 }, grokfast_ma: { steps: 1780 }, grokfast_ema: { steps: 1820 }, neuralgrok: { steps: 900 } },
  sub: { standard: { steps: 4330 }, grokfast_ma: { steps: 2990 }, grokfast_ema: { steps: 1340 }, neuralgrok: { steps: 1467 } },
  mul: { standard: { steps: 1280 }, grokfast_ma: { steps: 1150 }, grokfast_ema: { steps: 1400 }, neuralgrok: { steps: 918 } },
  sq_sub: { standard: { steps: 4820 }, grokfast_ma: { steps: 3830 }, grokfast_ema: { steps: 2730 }, neuralgrok: { steps: 1845 } },
  poly5: {
    standard: { failsWithin: 1_000_000 },
    grokfast_ma: { steps: 8853 },
    grokfast_ema: { failsWithin: 1_000_000 },
    neuralgrok: { steps: 1896 },
  },
};

/** GrokFast's README (Lee et al., 2024): its a · b mod 97 runs, the other published figures a race budgets by. */
export const GROKFAST_README: { task: PaperTask; method: PaperMethod; weightDecay?: string; steps: number }[] = [
  { task: 'mul', method: 'grokfast_ema', steps: 910 },
  { task: 'mul', method: 'grokfast_ma', weightDecay: '0.01', steps: 790 },
];

/** A task's settings beyond the paper preset, as config fields (named as in src/config/fields.ts). */
export interface PaperSetup {
  /** The task's modulus and the model's depth, for every method. */
  model: { p?: number; layers?: number };
  /** NeuralGrok's amplifier and meta-step interval on this task. */
  neuralgrok: { ngHidden?: number[]; ngEvery?: number };
}

/** The modulus of the four mod-97 tasks (the paper preset's). */
export const PAPER_P = 97;

/** The authors' poly5 runs (script/neuralgrok/task1.sh): p 7 on 4 layers; NeuralGrok one hidden layer of 1 152, a meta step every step. */
export const POLY5_SETUP = { model: { p: 7, layers: 4 }, neuralgrok: { ngHidden: [1152], ngEvery: 1 } } satisfies PaperSetup;

const AS_PRESET: PaperSetup = { model: {}, neuralgrok: {} };
/** Each task's setup: the mod-97 tasks run the paper preset as it is (NeuralGrok at its defaults). */
export const PAPER_SETUPS: Record<PaperTask, PaperSetup> = {
  add: AS_PRESET,
  sub: AS_PRESET,
  mul: AS_PRESET,
  sq_sub: AS_PRESET,
  poly5: POLY5_SETUP,
};

/** The config fields a cell runs with beyond the paper preset: its task's model, and NeuralGrok's amplifier for NeuralGrok. */
export function paperSetup(task: PaperTask, method: PaperMethod): PaperSetup['model'] & PaperSetup['neuralgrok'] {
  const s = PAPER_SETUPS[task];
  return { ...s.model, ...(method === 'neuralgrok' ? s.neuralgrok : {}) };
}

/** A task's modulus in the paper. */
export const paperModulus = (task: PaperTask): number => PAPER_SETUPS[task].model.p ?? PAPER_P;

/** Config fields as race flags, in their order: `ngHidden: [1152]` → `ng-hidden=1152` (the CLI's --kebab-case, src/cli/args.ts). */
function raceFlags(fields: Record<string, number | readonly number[] | undefined>): string[] {
  return Object.entries(fields).flatMap(([key, v]) =>
    v === undefined ? [] : [`${key.replace(/[A-Z]/g, (m) => '-' + m.toLowerCase())}=${typeof v === 'number' ? v : v.join(',')}`],
  );
}

/** The race arm that runs a cell: the method with its task's NeuralGrok settings (poly5: `neuralgrok+ng-hidden=1152+ng-every=1`). */
export function paperArm(task: PaperTask, method: PaperMethod): string {
  if (method === 'matched') return 'gradnorm+norm-matched';
  return [method, ...(method === 'neuralgrok' ? raceFlags(PAPER_SETUPS[task].neuralgrok) : [])].join('+');
}

/** A task's `--set` for every arm of its races: `p=7;layers=4` on poly5, empty on the mod-97 tasks. */
export const paperSet = (task: PaperTask): string => raceFlags(PAPER_SETUPS[task].model).join(';');

/**
 * Runs of the authors' own code on this machine, where we have them: the spread their code shows
 * on seeds 0–2 of our protocol. Not in a results file (the reference code does not write race
 * rows); recorded in issue 28 and the platform notes of 2026-12-07.
 */
export const REFERENCE_CODE_RUNS: { task: PaperTask; method: PaperMethod; seeds: number[]; source: string }[] = [
  {
    task: 'add',
    method: 'standard',
    seeds: [1400, 2950, 2310],
    source: "the authors' code (NeuralOptGrok) run here on seeds 0–2 (issue 28)",
  },
];
