/**
 * The NeuralGrok paper's Table 1 beside our race results: rows of `bench/results/race-*.jsonl`
 * → one cell per (task, method), with the paper's figure, our median over seeds and the
 * verdict. Pure (no DOM, no files): the Vite build reduces the committed results with it into
 * the small JSON the "The paper, checked" view shows, and the race report can use the same rule.
 */

// with its extension: the Vite config loads this module through scripts/site-content.ts
import { dropsAfterGrokking } from './slingshots.ts';

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

/** The race's tolerance: ours within ±25 % of the paper's figure is "reproduced". */
export const TOLERANCE = 0.25;
/** Fewer seeds than this make a cell preliminary: it may not say "reproduced". */
export const MIN_SEEDS = 3;

/** One line of a race results file (bench/grok-race.ts writes them; older rows lack some fields). */
export interface RaceRow {
  key?: string;
  task: string;
  arm: string;
  seed: number;
  stepsTo95: number | null;
  stepsTo99?: number | null;
  steps: number;
  seconds?: number;
  finalValAcc?: number | null;
  amplifierDiagnostics?: Record<string, number | null> | null;
  curve?: {
    step: number[];
    valAcc: (number | null)[];
    trainAcc?: (number | null)[];
    ampWeightStd?: (number | null)[];
    /** AGE of the raw gradient (before any transform) per evaluation. */
    ageRaw?: (number | null)[];
  };
  config?: Record<string, unknown>;
  preset?: string;
  finishedAt: string;
  commit?: string;
  /** The wasm backend's matmul: "xnnpack" (rows without the field) or "openblas <core> ×<threads>" (GROKLAB_BLAS=1). */
  matmul?: string;
}

/** Rows of a JSONL text; a line that does not parse (one being appended right now) is skipped. */
export function parseRaceLines(text: string): RaceRow[] {
  const rows: RaceRow[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as RaceRow;
      if (typeof r.task === 'string' && typeof r.arm === 'string' && Number.isInteger(r.seed) && typeof r.steps === 'number') rows.push(r);
    } catch {
      /* a partial line */
    }
  }
  return rows;
}

/**
 * One row per (task, arm, seed): the newest that has a config, else the newest. Matched
 * normalization rows without a config ran the old protocol (trained on the outer split too)
 * and are dropped.
 */
export function latestRows(rows: RaceRow[]): RaceRow[] {
  const best = new Map<string, RaceRow>();
  for (const r of rows) {
    if (r.arm.startsWith('gradnorm+norm-matched') && !r.config) continue;
    const k = `${r.task}|${r.arm}|${r.seed}`;
    const old = best.get(k);
    const better = !old || (!!r.config && !old.config) || (!!r.config === !!old.config && r.finishedAt >= old.finishedAt);
    if (better) best.set(k, r);
  }
  return [...best.values()].sort((a, b) => a.seed - b.seed);
}

/** The median; a run that never reached counts as +∞. Empty: NaN. */
export function medianSteps(xs: (number | null)[]): number {
  const s = xs.map((x) => x ?? Infinity).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** A started run's last progress line (`race-<name>.partial.json` keeps one per run in progress). */
export interface RaceProgress {
  step: number;
  line: string;
  at: string;
}

/** A run that started and did not finish (its session ended): how far it got. */
export interface UnfinishedRun {
  task: string;
  arm: string;
  seed: number;
  step: number;
  budget: number;
  valAcc: number | null;
  at: string;
}

/** The runs of a partial file, from their keys (`preset|task|arm|set|seed|budget|eval|stop`). */
export function unfinishedRuns(partials: Record<string, RaceProgress>): UnfinishedRun[] {
  return Object.entries(partials).flatMap(([key, p]) => {
    const [, task, arm, , seed, budget] = key.split('|');
    if (!task || !arm || seed === undefined || typeof p?.step !== 'number') return [];
    const val = /val loss [^|]*acc ([\d.]+)/.exec(p.line ?? '')?.[1];
    return [{ task, arm, seed: Number(seed), step: p.step, budget: Number(budget), valAcc: val ? Number(val) : null, at: p.at }];
  });
}

export type VerdictKind = 'reproduced' | 'close' | 'faster' | 'slower' | 'not-within' | 'fails-too' | 'no-figure' | 'not-run';

export interface CellSeed {
  seed: number;
  stepsTo95: number | null;
  /** The step budget the run had (or reached). */
  steps: number;
  seconds: number | null;
  commit: string | null;
  finishedAt: string;
}

export interface PaperCell {
  task: PaperTask;
  method: PaperMethod;
  arm: string;
  paper: PaperFigure | null;
  seeds: CellSeed[];
  /** Our median steps to 95 % (+∞ in JSON as null with `reached` < seeds); null when not run. */
  median: number | null;
  reached: number;
  verdict: string;
  verdictKind: VerdictKind;
  /** The config of the cell's first seed (seed left as run), to open it as a share link; null for old rows. */
  config: Record<string, unknown> | null;
  /** Seeds that started and did not finish (not among `seeds`), with how far they got. */
  unfinished: UnfinishedRun[];
}

const seedWord = (n: number) => `${n} seed${n === 1 ? '' : 's'}`;

/**
 * The verdict of one cell, by the race report's rule, with the preliminary caveat below three
 * seeds. A cell with no finished seed but an unfinished one says how far it got: a run cut
 * beyond 1.25× the paper's figure without reaching 95 % is already "slower than reported".
 */
export function cellVerdict(
  paper: PaperFigure | null,
  seeds: CellSeed[],
  unfinished: UnfinishedRun[] = [],
): { verdict: string; kind: VerdictKind } {
  if (!seeds.length && unfinished.length) {
    const u = unfinished.reduce((a, b) => (b.step > a.step ? b : a));
    const got = `seed ${u.seed} unfinished at step ${u.step} of ${u.budget}${u.valAcc !== null ? `, val acc ${u.valAcc}` : ''}`;
    if (paper && 'steps' in paper && u.step > (1 + TOLERANCE) * paper.steps)
      return {
        verdict: `slower than reported: not at 95 % by step ${u.step}, ${(u.step / paper.steps).toFixed(2)}× the paper's figure (${got}; preliminary, unfinished)`,
        kind: 'slower',
      };
    return { verdict: `not finished (${got})`, kind: 'not-run' };
  }
  if (!seeds.length) return { verdict: 'not run yet', kind: 'not-run' };
  const ours = medianSteps(seeds.map((s) => s.stepsTo95));
  const budget = Math.max(...seeds.map((s) => s.steps));
  const caveat = seeds.length < MIN_SEEDS ? ` (preliminary, ${seedWord(seeds.length)})` : '';
  if (!paper) return { verdict: `no figure in the paper${caveat}`, kind: 'no-figure' };
  if ('failsWithin' in paper)
    return Number.isFinite(ours)
      ? { verdict: `reached 95 % where the paper reports a failure${caveat}`, kind: 'faster' }
      : {
          verdict: `not within ${budget} steps, as the paper (which ran ${paper.failsWithin.toLocaleString('en')})${caveat}`,
          kind: 'fails-too',
        };
  if (!Number.isFinite(ours)) return { verdict: `not within ${budget} steps${caveat}`, kind: 'not-within' };
  if (Math.abs(ours / paper.steps - 1) <= TOLERANCE)
    return caveat ? { verdict: `within ±25 %${caveat}`, kind: 'close' } : { verdict: 'reproduced', kind: 'reproduced' };
  return ours < paper.steps
    ? { verdict: `faster than reported${caveat}`, kind: 'faster' }
    : { verdict: `slower than reported${caveat}`, kind: 'slower' };
}

/** The 5 × 5 table from (deduplicated) rows, and the runs that started and did not finish. */
export function paperTable(rows: RaceRow[], unfinishedList: UnfinishedRun[] = []): PaperCell[] {
  const latest = latestRows(rows);
  return PAPER_TASKS.flatMap((task) =>
    PAPER_METHODS.map((method): PaperCell => {
      const arm = paperArm(task, method);
      const rs = latest.filter((r) => r.task === task && r.arm === arm);
      const seeds: CellSeed[] = rs.map((r) => ({
        seed: r.seed,
        stepsTo95: r.stepsTo95,
        steps: r.steps,
        seconds: r.seconds ?? null,
        commit: r.commit ?? null,
        finishedAt: r.finishedAt,
      }));
      const paper = PAPER_TABLE1[task][method] ?? null;
      const unfinished = unfinishedList.filter((u) => u.task === task && u.arm === arm && !seeds.some((s) => s.seed === u.seed));
      const { verdict, kind } = cellVerdict(paper, seeds, unfinished);
      const ours = medianSteps(seeds.map((s) => s.stepsTo95));
      return {
        task,
        method,
        arm,
        paper,
        seeds,
        median: seeds.length && Number.isFinite(ours) ? ours : null,
        reached: seeds.filter((s) => s.stepsTo95 !== null).length,
        verdict,
        verdictKind: kind,
        config: rs.find((r) => r.config)?.config ?? null,
        unfinished,
      };
    }),
  );
}

/** At most `max` points of a curve, evenly spaced, first and last kept; values rounded to 4 decimals. */
export function downsample(x: number[], y: (number | null)[], max = 200): { x: number[]; y: (number | null)[] } {
  const n = Math.min(x.length, y.length);
  const idx =
    n <= max ? Array.from({ length: n }, (_, i) => i) : Array.from({ length: max }, (_, i) => Math.round((i * (n - 1)) / (max - 1)));
  const round = (v: number | null) => (v === null || !Number.isFinite(v) ? null : Number(v.toPrecision(4)));
  return { x: idx.map((i) => x[i]!), y: idx.map((i) => round(y[i] ?? null)) };
}

export interface PaperCurve {
  task: PaperTask;
  method: PaperMethod;
  seed: number;
  step: number[];
  valAcc: (number | null)[];
}

/** Validation-accuracy curves of every cell's seeds, downsampled. */
export function paperCurves(rows: RaceRow[], maxPoints = 200): PaperCurve[] {
  const latest = latestRows(rows);
  return PAPER_TASKS.flatMap((task) =>
    PAPER_METHODS.flatMap((method) =>
      latest
        .filter((r) => r.task === task && r.arm === paperArm(task, method) && r.curve)
        .map((r) => {
          const d = downsample(r.curve!.step, r.curve!.valAcc, maxPoints);
          return { task, method, seed: r.seed, step: d.x, valAcc: d.y };
        }),
    ),
  );
}

// ---- the ablation: does a learned amplifier help? ----

/** The ablation's arms as scripts/race-queue.sh plans them (shown as "not run yet" until they ran). */
export const ABLATION_ARMS = [
  'neuralgrok+ng-meta-wd=0+ng-meta-lr=0.01',
  'neuralgrok+ng-meta-wd=0+ng-meta-lr=0.001',
  'neuralgrok+ng-meta-wd=0+ng-meta-lr=0.0001',
  'neuralgrok+ng-meta-wd=0.000001+ng-meta-lr=0.001',
];

/** N·w std at or above this (1 %) means the amplifier's weights moved away from uniform. */
export const AMPLIFIER_MOVED = 0.01;
/** Issue 18's bar for a *learned* amplifier: N·w std above ~0.1 ... */
export const AMPLIFIER_LEARNED = 0.1;
/** ... on at least this fraction of a run's evaluations ("a sustained part of the run"). */
export const LEARNED_FRACTION = 0.25;

/** Whether a run's N·w std curve counts as learned: above 0.1 on a quarter of its evaluations or more. */
export function amplifierLearned(nwStd: readonly (number | null)[]): boolean {
  const v = nwStd.filter((x): x is number => x !== null && Number.isFinite(x));
  return v.length > 0 && v.filter((x) => x > AMPLIFIER_LEARNED).length >= LEARNED_FRACTION * v.length;
}

export interface AblationArm {
  arm: string;
  label: string;
  seeds: { seed: number; stepsTo95: number | null; steps: number }[];
  median: number | null;
  /** The largest N·w std seen over the run (any seed); null without diagnostics. */
  maxNwStd: number | null;
  /** Seeds whose amplifier counts as learned (amplifierLearned). */
  learnedSeeds: number;
  curves: { seed: number; step: number[]; nwStd: (number | null)[] }[];
}

export interface Ablation {
  arms: AblationArm[];
  matched: { median: number | null; seeds: number };
  verdict: string;
}

/** `neuralgrok+ng-meta-wd=0+ng-meta-lr=0.01` → "meta wd 0, meta lr 0.01"; the add cell's NeuralGrok → its defaults. */
export function ablationLabel(arm: string): string {
  if (arm === 'neuralgrok') return 'NeuralGrok as the paper (meta wd 1e-3, meta lr 1e-4)';
  const flags = arm.split('+').slice(1);
  const value = (name: string) => flags.find((f) => f.startsWith(`${name}=`))?.split('=')[1];
  const parts = [
    value('ng-meta-wd') !== undefined ? `meta wd ${value('ng-meta-wd')}` : '',
    value('ng-meta-lr') ? `meta lr ${value('ng-meta-lr')}` : '',
  ];
  return `NeuralGrok, ${parts.filter(Boolean).join(', ') || flags.join(', ')}`;
}

/**
 * The ablation on a + b: NeuralGrok as the paper runs it and with the amplifier let loose
 * (ablation rows: meta weight decay 0, larger meta lr) against matched normalization, which is
 * NeuralGrok with a uniform amplifier. Verdict: whether any arm beat matched normalization by
 * more than 25 %, and whether its amplifier moved away from uniform at all.
 */
export function ablation(paperAddRows: RaceRow[], ablationRows: RaceRow[], maxPoints = 200): Ablation {
  const latest = latestRows([...paperAddRows.filter((r) => r.task === 'add'), ...ablationRows.filter((r) => r.task === 'add')]);
  const armNames = [...new Set(['neuralgrok', ...ABLATION_ARMS, ...latestRows(ablationRows).map((r) => r.arm)])].filter(
    (a) => a === 'neuralgrok' || a.startsWith('neuralgrok+ng-meta'),
  );
  const arms = armNames.map((arm): AblationArm => {
    const rs = latest.filter((r) => r.arm === arm);
    const curves = rs
      .filter((r) => r.curve?.ampWeightStd)
      .map((r) => {
        const d = downsample(r.curve!.step, r.curve!.ampWeightStd!, maxPoints);
        return { seed: r.seed, step: d.x, nwStd: d.y };
      });
    const stds = rs.flatMap((r) => (r.curve?.ampWeightStd ?? []).filter((v): v is number => v !== null && Number.isFinite(v)));
    const m = medianSteps(rs.map((r) => r.stepsTo95));
    return {
      arm,
      label: ablationLabel(arm),
      seeds: rs.map((r) => ({ seed: r.seed, stepsTo95: r.stepsTo95, steps: r.steps })),
      median: rs.length && Number.isFinite(m) ? m : null,
      maxNwStd: stds.length ? Math.max(...stds) : null,
      learnedSeeds: rs.filter((r) => r.curve?.ampWeightStd && amplifierLearned(r.curve.ampWeightStd)).length,
      curves,
    };
  });
  const matchedRows = latest.filter((r) => r.arm === 'gradnorm+norm-matched');
  const mm = medianSteps(matchedRows.map((r) => r.stepsTo95));
  const matched = { median: matchedRows.length && Number.isFinite(mm) ? mm : null, seeds: matchedRows.length };
  return { arms, matched, verdict: ablationVerdict(arms, matched) };
}

function ablationVerdict(arms: AblationArm[], matched: { median: number | null; seeds: number }): string {
  const ran = arms.filter((a) => a.seeds.length > 0);
  if (!ran.length || matched.seeds === 0) return 'Not answered yet: the ablation runs (or matched normalization on a + b) have not run.';
  const fewest = Math.min(matched.seeds, ...ran.map((a) => a.seeds.length));
  const caveat = fewest < MIN_SEEDS ? ` Preliminary: ${seedWord(fewest)} in the thinnest arm.` : '';
  const moved = ran.filter((a) => a.maxNwStd !== null && a.maxNwStd >= AMPLIFIER_MOVED);
  const faster = ran.filter((a) => a.median !== null && (matched.median === null || a.median <= (1 - TOLERANCE) * matched.median));
  const learned = ran.filter((a) => a.learnedSeeds > 0);
  const movedText = moved.length
    ? `the amplifier moved away from uniform (N·w std ≥ ${AMPLIFIER_MOVED}) in ${moved.length} of ${ran.length} arms run, and ${
        learned.length
          ? `counted as learned (N·w std > ${AMPLIFIER_LEARNED} on ≥ ${LEARNED_FRACTION * 100} % of the evaluations) in ${learned.map((a) => a.label).join('; ')}`
          : `in none did it count as learned (N·w std > ${AMPLIFIER_LEARNED} on ≥ ${LEARNED_FRACTION * 100} % of the evaluations)`
      }`
    : `in no arm did the amplifier move away from uniform (N·w std stayed below ${AMPLIFIER_MOVED}): NeuralGrok ran as matched normalization`;
  if (faster.length)
    return `Yes, here: ${faster.map((a) => a.label).join('; ')} reached 95 % more than 25 % sooner than matched normalization; ${movedText}.${caveat}`;
  return `No: no NeuralGrok arm reached 95 % more than 25 % sooner than matched normalization (median ${matched.median ?? 'never'}); ${movedText}.${caveat}`;
}

// ---- the paper's claims ----

export interface Claim {
  claim: string;
  verdict: string;
  /** 'supported' | 'not supported' | 'mixed' (some seeds each way) | 'open' (not enough runs, or not measurable here). */
  status: 'supported' | 'not supported' | 'mixed' | 'open';
}

const cellOf = (cells: PaperCell[], task: PaperTask, method: PaperMethod) => cells.find((c) => c.task === task && c.method === method)!;
/** Our median with never-reached as +∞; NaN when not run. */
const oursOf = (c: PaperCell) => (c.seeds.length ? (c.median ?? Infinity) : NaN);

/** The paper's claims beyond single cells, checked against our cells and the claim races. */
export function paperClaims(cells: PaperCell[], abl: Ablation, runs: ClaimRuns = {}): Claim[] {
  const pairs = (a: PaperMethod, b: PaperMethod, tasks: readonly PaperTask[]) =>
    tasks
      .map((t) => ({ t, x: oursOf(cellOf(cells, t, a)), y: oursOf(cellOf(cells, t, b)) }))
      .filter((p) => !Number.isNaN(p.x) && !Number.isNaN(p.y) && (Number.isFinite(p.x) || Number.isFinite(p.y)));
  const compare = (claim: string, a: PaperMethod, b: PaperMethod, tasks: readonly PaperTask[]): Claim => {
    const ps = pairs(a, b, tasks);
    if (!ps.length) return { claim, verdict: 'Not checked yet: no task has both cells run.', status: 'open' };
    const wins = ps.filter((p) => p.x < p.y);
    const missing = tasks.length - ps.length;
    const text = `${PAPER_METHOD_LABELS[a]} was first on ${wins.length} of ${ps.length} task${ps.length === 1 ? '' : 's'} run (${ps
      .map((p) => `${p.t} ${p.x < p.y ? 'yes' : 'no'}`)
      .join(', ')})${missing ? `; ${missing} not run yet` : ''}.`;
    const status = wins.length === ps.length && !missing ? 'supported' : wins.length < ps.length ? 'not supported' : 'open';
    return { claim, verdict: text, status };
  };
  const ngFirst = (tasks: readonly PaperTask[]) =>
    tasks.map((t) => ({
      t,
      ng: oursOf(cellOf(cells, t, 'neuralgrok')),
      best: Math.min(...(['grokfast_ma', 'grokfast_ema'] as const).map((m) => oursOf(cellOf(cells, t, m)))),
    }));
  const hard = ngFirst(['sq_sub', 'poly5']).filter((p) => !Number.isNaN(p.ng) && !Number.isNaN(p.best));
  const hardClaim: Claim = !hard.length
    ? {
        claim: 'NeuralGrok beats GrokFast on the harder tasks (a² − b, a·c + b·d − e)',
        verdict: 'Not checked yet: those cells have not run.',
        status: 'open',
      }
    : {
        claim: 'NeuralGrok beats GrokFast on the harder tasks (a² − b, a·c + b·d − e)',
        verdict: `NeuralGrok was ahead of both GrokFast variants on ${hard.filter((p) => p.ng < p.best).length} of ${hard.length} (${hard
          .map((p) => p.t)
          .join(', ')})${hard.length < 2 ? '; the other has not run yet' : ''}.`,
        status: hard.every((p) => p.ng < p.best) ? (hard.length === 2 ? 'supported' : 'open') : 'not supported',
      };
  const ampMoved = abl.arms.some((a) => a.maxNwStd !== null && a.maxNwStd >= AMPLIFIER_MOVED);
  const ampLearned = abl.arms.filter((a) => a.learnedSeeds > 0);
  const ampRan = abl.arms.some((a) => a.maxNwStd !== null);
  const largest = Math.max(...abl.arms.map((a) => a.maxNwStd ?? 0));
  return [
    compare('NeuralGrok reaches 95 % before Standard on every task', 'neuralgrok', 'standard', PAPER_TASKS),
    hardClaim,
    compare('The learned amplifier beats plain (matched) normalization', 'neuralgrok', 'matched', PAPER_TASKS),
    {
      claim: 'The amplifier learns a non-uniform reweighting of the gradient',
      verdict: !ampRan
        ? 'Not checked yet: no NeuralGrok run with diagnostics.'
        : ampLearned.length
          ? `Learned (N·w std > ${AMPLIFIER_LEARNED} on ≥ ${LEARNED_FRACTION * 100} % of the evaluations) in: ${ampLearned.map((a) => `${a.label} (${seedWord(a.learnedSeeds)})`).join('; ')}.`
          : ampMoved
            ? `Its weights moved away from uniform in some runs (largest N·w std ${largest.toPrecision(2)}, a + b), but in none above ${AMPLIFIER_LEARNED} for a sustained part of the run: not learned by the issue's bar.`
            : `In every run here its weights stayed uniform (N·w std below ${AMPLIFIER_MOVED}): the update was plain normalization.`,
      status: !ampRan ? 'open' : ampLearned.length ? 'supported' : 'not supported',
    },
    ...claimsFromRuns(cells, runs),
  ];
}

/** The rows of the claim races (issue 18, item 4): `race-claim-*.jsonl`, and the paper races for AGE. */
export interface ClaimRuns {
  paperRows?: RaceRow[];
  /** claim-c: NeuralGrok on a + b at c 0.1, 0.5, 1 (c 0.2 is the a + b cell). */
  rescaling?: RaceRow[];
  /** claim-stability: AdamW (wd 1) and NeuralGrok over the whole budget, same seeds. */
  stability?: RaceRow[];
  /** claim-transfer: the a + b amplifier, frozen, on a − b. */
  transfer?: RaceRow[];
}

const ratioText = (x: number, ref: number) => `${(x / ref).toFixed(2)}×`;
const seedsCaveat = (n: number) => (n < MIN_SEEDS ? ` (preliminary, ${seedWord(n)})` : '');

/** Mean of the raw gradient's AGE over the evaluations two runs share, up to the earlier one's 95 % step. */
export function pairedAge(a: RaceRow, b: RaceRow): { a: number; b: number; points: number } | null {
  const ca = a.curve;
  const cb = b.curve;
  if (!ca?.ageRaw || !cb?.ageRaw) return null;
  const until = Math.min(a.stepsTo95 ?? Infinity, b.stepsTo95 ?? Infinity, Math.max(...ca.step), Math.max(...cb.step));
  const at = new Map(cb.step.map((st, i) => [st, cb.ageRaw![i]] as const));
  let sa = 0;
  let sb = 0;
  let n = 0;
  ca.step.forEach((st, i) => {
    const x = ca.ageRaw![i];
    const y = at.get(st);
    if (st > until || x === null || x === undefined || y === null || y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) return;
    sa += x;
    sb += y;
    n++;
  });
  return n ? { a: sa / n, b: sb / n, points: n } : null;
}

/** Supported where NeuralGrok's AGE is lower in every pair against both; not where it is lower in at most half. */
function ageStatus(std: { a: number; b: number }[], adamw: { a: number; b: number }[]): Claim['status'] {
  if (!std.length || !adamw.length) return 'open';
  const all = [...std, ...adamw];
  const lower = all.filter((p) => p.a < p.b).length;
  return lower === all.length ? 'supported' : 2 * lower <= all.length ? 'not supported' : 'open';
}

/** The paper's claims that need their own races (a)–(e), each with our figures and a verdict. */
function claimsFromRuns(cells: PaperCell[], runs: ClaimRuns): Claim[] {
  const paperRows = latestRows(runs.paperRows ?? []);
  const out: Claim[] = [];
  {
    // (a) robust to the rescaling coefficient c: each c's median against c = 0.2's, on a + b
    // c = 0.2 is the a + b cell, over the seeds the other values ran
    const others = latestRows(runs.rescaling ?? []);
    const seedsRun = new Set(others.map((r) => r.seed));
    const rows = [...others, ...paperRows.filter((r) => r.task === 'add' && r.arm === 'neuralgrok' && seedsRun.has(r.seed))];
    const cOf = (r: RaceRow) => Number(/ng-c=([\d.]+)/.exec(r.arm)?.[1] ?? 0.2);
    const cs = [...new Set(rows.map(cOf))].sort((x, y) => x - y);
    const byC = cs.map((c) => {
      const rs = rows.filter((r) => cOf(r) === c);
      return { c, n: rs.length, median: medianSteps(rs.map((r) => r.stepsTo95)) };
    });
    const ref = byC.find((x) => x.c === 0.2);
    const fewest = Math.min(...byC.map((x) => x.n));
    const claim = 'NeuralGrok is robust to the rescaling coefficient c (0.1, 0.2, 0.5, 1; a + b)';
    if (byC.length < 4 || !ref) out.push({ claim, verdict: `Not checked yet: ${byC.length} of the 4 values of c ran.`, status: 'open' });
    else {
      const robust = byC.every((x) => Number.isFinite(x.median) && Math.abs(x.median / ref.median - 1) <= TOLERANCE);
      out.push({
        claim,
        verdict: `Median steps to 95 %: ${byC.map((x) => `c ${x.c}: ${Number.isFinite(x.median) ? x.median : 'never'}`).join(', ')}; ${robust ? 'all within ±25 % of c = 0.2' : 'not all within ±25 % of c = 0.2'}${seedsCaveat(fewest)}.`,
        status: robust ? 'supported' : 'not supported',
      });
    }
  }
  {
    // (b) AGE of the raw gradient, paired on the same task and seed, over the same steps
    const claim = 'NeuralGrok lowers the Absolute Gradient Entropy (model complexity) against Standard and AdamW';
    const stability = latestRows(runs.stability ?? []);
    const withAge = (rows: RaceRow[], arm: string) => rows.filter((r) => r.arm === arm && r.curve?.ageRaw);
    // each baseline run against NeuralGrok's run of the same task and seed from the same race
    const pairsWith = (base: RaceRow[], ngPool: RaceRow[]) =>
      base.flatMap((b) => {
        const n = ngPool.find((r) => r.task === b.task && r.seed === b.seed);
        const p = n ? pairedAge(n, b) : null;
        return p ? [{ task: b.task, seed: b.seed, ...p }] : [];
      });
    const std = pairsWith(withAge(paperRows, 'standard'), withAge(paperRows, 'neuralgrok'));
    const adamw = pairsWith(withAge(stability, 'adamw'), withAge(stability, 'neuralgrok'));
    const text = (name: string, ps: typeof std) =>
      ps.length
        ? `against ${name}, lower on ${ps.filter((p) => p.a < p.b).length} of ${ps.length} (${ps.map((p) => `${p.task} s${p.seed}: ${p.a.toFixed(0)} vs ${p.b.toFixed(0)}`).join('; ')})`
        : `against ${name}, no pair with AGE recorded yet`;
    const all = [...std, ...adamw];
    out.push({
      claim,
      verdict: `Mean raw-gradient AGE over the evaluations both runs share, up to the earlier 95 % step, same task and seed: ${text('Standard', std)}; ${text('AdamW (wd 1)', adamw)}.${all.length && all.length < MIN_SEEDS ? ` Preliminary: ${all.length} pair${all.length === 1 ? '' : 's'}.` : ''}`,
      status: ageStatus(std, adamw),
    });
  }
  {
    // (c) instability after grokking: drops of val accuracy, AdamW wd 1 vs NeuralGrok, same seeds
    const claim = 'Weight decay (AdamW, wd 1) is unstable after grokking while NeuralGrok is stable';
    const rows = latestRows(runs.stability ?? []);
    const seeds = [...new Set(rows.map((r) => r.seed))].filter(
      (sd) => rows.some((r) => r.seed === sd && r.arm === 'adamw') && rows.some((r) => r.seed === sd && r.arm === 'neuralgrok'),
    );
    const drops = (arm: string) =>
      seeds.map((sd) => dropsAfterGrokking(rows.find((r) => r.seed === sd && r.arm === arm)!.curve?.valAcc ?? []));
    const a = drops('adamw');
    const n = drops('neuralgrok');
    const sum = (xs: (number | null)[]) => xs.reduce<number>((t, x) => t + (x ?? 0), 0);
    out.push(
      !seeds.length
        ? { claim, verdict: 'Not checked yet: the runs have not finished.', status: 'open' }
        : {
            claim,
            verdict: `Drops of val accuracy by more than 0.1 after first reaching 95 %, over the whole budget: AdamW ${a.map((x, i) => `s${seeds[i]} ${x ?? 'never grokked'}`).join(', ')}; NeuralGrok ${n.map((x, i) => `s${seeds[i]} ${x ?? 'never grokked'}`).join(', ')}${seedsCaveat(seeds.length)}.`,
            status: sum(a) > sum(n) ? 'supported' : 'not supported',
          },
    );
  }
  {
    // (d) normalization alone generalizes on poly5 where Standard fails. Seed by seed: one seed
    // of matched normalization memorised without generalising and another grokked (2026-12-04),
    // so a median alone would hide half the answer.
    const claim = 'Gradient normalization alone generalizes on a·c + b·d − e (poly5), where Standard fails';
    const m = cellOf(cells, 'poly5', 'matched');
    const st = cellOf(cells, 'poly5', 'standard');
    const state = (c: PaperCell) =>
      c.seeds.length
        ? `${c.reached} of ${seedWord(c.seeds.length)} reached 95 % (${c.seeds.map((x) => `s${x.seed} ${x.stepsTo95 ?? `not within ${x.steps}`}`).join(', ')})`
        : c.unfinished.length
          ? `unfinished (${c.unfinished.map((u) => `s${u.seed} at step ${u.step}${u.valAcc !== null ? `, val ${u.valAcc}` : ''}`).join(', ')})`
          : 'not run';
    const done = m.seeds.length > 0 && st.seeds.length > 0;
    // Standard cut by a session's end after matched normalization grokked: a result so far, not a verdict.
    const firstReached = Math.min(...m.seeds.map((x) => x.stepsTo95 ?? Infinity));
    const past = !st.seeds.length && Number.isFinite(firstReached) ? st.unfinished.filter((u) => u.step > firstReached) : [];
    const sofar = past.length
      ? ` So far: Standard had not reached 95 % by step ${Math.max(...past.map((u) => u.step))}, past matched normalization's ${firstReached}.`
      : '';
    const status: Claim['status'] = !done
      ? 'open'
      : m.reached === 0 || st.reached > 0
        ? 'not supported'
        : m.reached === m.seeds.length
          ? 'supported'
          : 'mixed';
    const mixed =
      status === 'mixed' ? ` Mixed: normalization generalized on ${m.reached} of ${seedWord(m.seeds.length)}, Standard on none.` : '';
    const fewest = Math.min(m.seeds.length, st.seeds.length);
    const preliminary = fewest < MIN_SEEDS ? ` Preliminary: ${seedWord(fewest)} in the thinner arm.` : '';
    out.push({
      claim,
      verdict: `Matched normalization: ${state(m)}; Standard: ${state(st)}.${done ? `${mixed}${preliminary}` : `${sofar} Not checked yet: both must finish.`}`,
      status,
    });
  }
  {
    // (e) limited transfer: the a + b amplifier, frozen, on a − b, against a − b's own NeuralGrok
    const claim = 'An amplifier transfers only partly: trained on a + b and frozen, it is slower on a − b';
    const t = latestRows(runs.transfer ?? []);
    const own = cellOf(cells, 'sub', 'neuralgrok');
    const matched = cellOf(cells, 'sub', 'matched');
    const frozen = medianSteps(t.map((r) => r.stepsTo95));
    const ownM = oursOf(own);
    out.push(
      !t.length || !own.seeds.length
        ? { claim, verdict: 'Not checked yet: the frozen run (or a − b’s NeuralGrok) has not finished.', status: 'open' }
        : {
            claim,
            verdict: `Frozen a + b amplifier on a − b: ${Number.isFinite(frozen) ? frozen : 'never'} steps (${seedWord(t.length)}); a − b’s own NeuralGrok: ${Number.isFinite(ownM) ? ownM : 'never'} (${seedWord(own.seeds.length)})${matched.seeds.length ? `; matched normalization: ${matched.median ?? 'never'}` : ''}. Frozen/own ${Number.isFinite(frozen) && Number.isFinite(ownM) ? ratioText(frozen, ownM) : '–'}: ${
              frozen > (1 + TOLERANCE) * ownM ? 'slower by more than 25 %' : 'within 25 % — the frozen amplifier did as well'
            }${seedsCaveat(t.length)}.`,
            status: frozen > (1 + TOLERANCE) * ownM ? 'supported' : 'not supported',
          },
    );
  }
  return out;
}

/** When and on which engine commits the rows ran. */
export interface Conditions {
  commits: string[];
  firstFinished: string | null;
  lastFinished: string | null;
  rows: number;
  /** Each matmul the rows ran on ("xnnpack" for rows without the field), with its row count, most rows first. */
  matmuls: { matmul: string; rows: number }[];
}

export function conditionsOf(rows: RaceRow[]): Conditions {
  const used = latestRows(rows);
  const times = used.map((r) => r.finishedAt).sort();
  return {
    commits: [...new Set(used.map((r) => r.commit ?? 'before commits were recorded'))].sort(),
    firstFinished: times[0] ?? null,
    lastFinished: times.at(-1) ?? null,
    rows: used.length,
    matmuls: [...countBy(used, (r) => r.matmul ?? 'xnnpack')]
      .map(([matmul, rows]) => ({ matmul, rows }))
      .sort((a, b) => b.rows - a.rows || a.matmul.localeCompare(b.matmul)),
  };
}

/** How many of `xs` have each key, in first-seen order. */
export function countBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const x of xs) counts.set(key(x), (counts.get(key(x)) ?? 0) + 1);
  return counts;
}

/** What the build bundles: everything the view shows, small. */
export interface PaperBundle {
  files: string[];
  cells: PaperCell[];
  curves: PaperCurve[];
  ablation: Ablation;
  claims: Claim[];
  conditions: Conditions;
}

/** Whether a file of bench/results feeds the bundle (the build and its tests read the same set). */
export const isPaperResultFile = (name: string): boolean =>
  /^race-(paper-[\w-]+|ablation-add|claim-[\w-]+)\.jsonl$/.test(name) || /^race-paper-[\w-]+\.partial\.json$/.test(name);

/** The progress entries of partial files' texts; one being rewritten right now is skipped. */
function parsePartials(texts: string[]): UnfinishedRun[] {
  return texts.flatMap((t) => {
    try {
      return unfinishedRuns(JSON.parse(t) as Record<string, RaceProgress>);
    } catch {
      return [];
    }
  });
}

/**
 * The bundle from the results files' texts, keyed by file name: `race-paper-<task>.jsonl` (and
 * its `.partial.json`: runs in progress), `race-ablation-add.jsonl` and `race-claim-*.jsonl`
 * when present.
 */
export function buildPaperBundle(files: Record<string, string>, maxPoints = 200): PaperBundle {
  const names = Object.keys(files).sort();
  const rowsOf = (re: RegExp) => names.filter((n) => re.test(n)).flatMap((n) => parseRaceLines(files[n]!));
  const paperRows = rowsOf(/race-paper-[^/]*\.jsonl$/);
  const ablationRows = rowsOf(/race-ablation-add\.jsonl$/);
  const unfinished = parsePartials(names.filter((n) => /race-paper-[^/]*\.partial\.json$/.test(n)).map((n) => files[n]!));
  const cells = paperTable(paperRows, unfinished);
  const abl = ablation(paperRows, ablationRows, maxPoints);
  // only the rows the view uses count towards the conditions
  const arms = new Set(PAPER_TASKS.flatMap((t) => PAPER_METHODS.map((m) => `${t}|${paperArm(t, m)}`)));
  const used = [...paperRows.filter((r) => arms.has(`${r.task}|${r.arm}`)), ...ablationRows];
  return {
    files: names,
    cells,
    curves: paperCurves(paperRows, maxPoints),
    ablation: abl,
    claims: paperClaims(cells, abl, {
      paperRows,
      rescaling: rowsOf(/race-claim-c\.jsonl$/),
      stability: rowsOf(/race-claim-stability\.jsonl$/),
      transfer: rowsOf(/race-claim-transfer\.jsonl$/),
    }),
    conditions: conditionsOf(used),
  };
}
