/**
 * The NeuralGrok paper's setup as GrokLab races it: its tasks, Table 1's methods and figures,
 * and the race arm that runs each cell. Pure data; src/paper/table.ts reduces the race rows
 * against it and src/paper/verdicts.ts judges them.
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

/** The race arm that runs a cell: NeuralGrok at the authors' settings (poly5: one hidden layer of 1 152, T = 1). */
export function paperArm(task: PaperTask, method: PaperMethod): string {
  if (method === 'matched') return 'gradnorm+norm-matched';
  if (method === 'neuralgrok' && task === 'poly5') return 'neuralgrok+ng-hidden=1152+ng-every=1';
  return method;
}

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
