/**
 * The NeuralGrok paper's Table 1 beside our race results: rows of `bench/results/race-*.jsonl`
 * → one cell per (task, method), with the paper's figure, our median over seeds and the
 * verdict. Pure (no DOM, no files): the Vite build reduces the committed results with it into
 * the small JSON the "The paper, checked" view shows, and the race report can use the same rule.
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
  curve?: { step: number[]; valAcc: (number | null)[]; trainAcc?: (number | null)[]; ampWeightStd?: (number | null)[] };
  config?: Record<string, unknown>;
  preset?: string;
  finishedAt: string;
  commit?: string;
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
}

const seedWord = (n: number) => `${n} seed${n === 1 ? '' : 's'}`;

/** The verdict of one cell, by the race report's rule, with the preliminary caveat below three seeds. */
export function cellVerdict(paper: PaperFigure | null, seeds: CellSeed[]): { verdict: string; kind: VerdictKind } {
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

/** The 5 × 5 table from (deduplicated) rows. */
export function paperTable(rows: RaceRow[]): PaperCell[] {
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
      const { verdict, kind } = cellVerdict(paper, seeds);
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

export interface AblationArm {
  arm: string;
  label: string;
  seeds: { seed: number; stepsTo95: number | null; steps: number }[];
  median: number | null;
  /** The largest N·w std seen over the run (any seed); null without diagnostics. */
  maxNwStd: number | null;
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
  const movedText = moved.length
    ? `the amplifier moved away from uniform (N·w std ≥ ${AMPLIFIER_MOVED}) in ${moved.length} of ${ran.length} arms run`
    : `in no arm did the amplifier move away from uniform (N·w std stayed below ${AMPLIFIER_MOVED}): NeuralGrok ran as matched normalization`;
  if (faster.length)
    return `Yes, here: ${faster.map((a) => a.label).join('; ')} reached 95 % more than 25 % sooner than matched normalization; ${movedText}.${caveat}`;
  return `No: no NeuralGrok arm reached 95 % more than 25 % sooner than matched normalization (median ${matched.median ?? 'never'}); ${movedText}.${caveat}`;
}

// ---- the paper's claims ----

export interface Claim {
  claim: string;
  verdict: string;
  /** 'supported' | 'not supported' | 'open' (not enough runs, or not measurable here). */
  status: 'supported' | 'not supported' | 'open';
}

const cellOf = (cells: PaperCell[], task: PaperTask, method: PaperMethod) => cells.find((c) => c.task === task && c.method === method)!;
/** Our median with never-reached as +∞; NaN when not run. */
const oursOf = (c: PaperCell) => (c.seeds.length ? (c.median ?? Infinity) : NaN);

/** The paper's claims beyond single cells, checked against our cells. */
export function paperClaims(cells: PaperCell[], abl: Ablation): Claim[] {
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
  const ampRan = abl.arms.some((a) => a.maxNwStd !== null);
  return [
    compare('NeuralGrok reaches 95 % before Standard on every task', 'neuralgrok', 'standard', PAPER_TASKS),
    hardClaim,
    compare('The learned amplifier beats plain (matched) normalization', 'neuralgrok', 'matched', PAPER_TASKS),
    {
      claim: 'The amplifier learns a non-uniform reweighting of the gradient',
      verdict: !ampRan
        ? 'Not checked yet: no NeuralGrok run with diagnostics.'
        : ampMoved
          ? `In some runs its weights moved away from uniform (N·w std ≥ ${AMPLIFIER_MOVED}).`
          : `In every run here its weights stayed uniform (N·w std below ${AMPLIFIER_MOVED}): the update was plain normalization.`,
      status: !ampRan ? 'open' : ampMoved ? 'supported' : 'not supported',
    },
    {
      claim: 'NeuralGrok lowers model complexity (Absolute Gradient Entropy)',
      verdict: 'Not checked by the race (it records steps and accuracy only): run it in the playground and read the AGE chart.',
      status: 'open',
    },
  ];
}

/** When and on which engine commits the rows ran. */
export interface Conditions {
  commits: string[];
  firstFinished: string | null;
  lastFinished: string | null;
  rows: number;
}

export function conditionsOf(rows: RaceRow[]): Conditions {
  const used = latestRows(rows);
  const times = used.map((r) => r.finishedAt).sort();
  return {
    commits: [...new Set(used.map((r) => r.commit ?? 'before commits were recorded'))].sort(),
    firstFinished: times[0] ?? null,
    lastFinished: times.at(-1) ?? null,
    rows: used.length,
  };
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

/**
 * The bundle from the results files' texts (`race-paper-<task>.jsonl`, and
 * `race-ablation-add.jsonl` when present), keyed by file name.
 */
export function buildPaperBundle(files: Record<string, string>, maxPoints = 200): PaperBundle {
  const names = Object.keys(files).sort();
  const paperRows = names.filter((n) => /race-paper-[^/]*\.jsonl$/.test(n)).flatMap((n) => parseRaceLines(files[n]!));
  const ablationRows = names.filter((n) => /race-ablation-add\.jsonl$/.test(n)).flatMap((n) => parseRaceLines(files[n]!));
  const cells = paperTable(paperRows);
  const abl = ablation(paperRows, ablationRows, maxPoints);
  // only the rows the view uses count towards the conditions
  const arms = new Set(PAPER_TASKS.flatMap((t) => PAPER_METHODS.map((m) => `${t}|${paperArm(t, m)}`)));
  const used = [...paperRows.filter((r) => arms.has(`${r.task}|${r.arm}`)), ...ablationRows];
  return {
    files: names,
    cells,
    curves: paperCurves(paperRows, maxPoints),
    ablation: abl,
    claims: paperClaims(cells, abl),
    conditions: conditionsOf(used),
  };
}
