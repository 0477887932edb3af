/**
 * The NeuralGrok paper's Table 1 beside our race results: rows of `bench/results/race-*.jsonl`
 * → one cell per (task, method), with the paper's figure, our median over seeds, each seed and
 * the verdict src/paper/verdicts.ts gives it; the curves, the ablation's arms, the claims and the
 * conditions. Pure (no DOM, no files): the Vite build reduces the committed results with it into
 * the small JSON the "The paper, checked" view shows, and scripts/table1-report.ts writes
 * docs/results.md from the same bundle.
 */

// with their extension: the Vite config loads this module through scripts/site-content.ts
import { PAPER_METHODS, PAPER_TABLE1, PAPER_TASKS, paperArm, type PaperFigure, type PaperMethod, type PaperTask } from './table1.ts';
import {
  latestRows,
  medianSteps,
  parseRaceLines,
  type RaceProgress,
  type RaceRow,
  type UnfinishedRun,
  unfinishedRuns,
} from './rows.ts';
import {
  ablationVerdict,
  amplifierCollapsed,
  amplifierLearned,
  type Claim,
  cellVerdict,
  paperClaims,
  referenceSpread,
  type VerdictKind,
} from './verdicts.ts';

export * from './table1.ts';
export * from './rows.ts';
export {
  AMPLIFIER_LEARNED,
  AMPLIFIER_MOVED,
  amplifierLearned,
  cellVerdict,
  type Claim,
  type ClaimRuns,
  LEARNED_FRACTION,
  MIN_SEEDS,
  pairedAge,
  paperClaims,
  TOLERANCE,
  type VerdictKind,
} from './verdicts.ts';

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
  /** The evaluation intervals its rows ran at (config.evalEvery, else the row key's), ascending. */
  evalEvery: number[];
  /** The authors' own code on this cell, where we ran it: its seeds and its verdict by the same rule. */
  reference: { seeds: number[]; source: string; verdict: string } | null;
}

/** A row's evaluation interval: its config's, else the one in its key (`preset|task|arm|set|seed|budget|eval|stop`). */
const evalEveryOf = (r: RaceRow): number | null => {
  const e = typeof r.config?.evalEvery === 'number' ? r.config.evalEvery : Number(r.key?.split('|')[6]);
  return Number.isFinite(e) && e > 0 ? e : null;
};

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
        evalEvery: [...new Set(rs.flatMap((r) => evalEveryOf(r) ?? []))].sort((a, b) => a - b),
        reference: referenceSpread(task, method, paper),
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

/** The ablation's arms as sweeps/ablation.ts plans them (shown as "not run yet" until they ran). */
export const ABLATION_ARMS = [
  'neuralgrok+ng-meta-wd=0+ng-meta-lr=0.01',
  'neuralgrok+ng-meta-wd=0+ng-meta-lr=0.001',
  'neuralgrok+ng-meta-wd=0+ng-meta-lr=0.0001',
  'neuralgrok+ng-meta-wd=0.000001+ng-meta-lr=0.001',
];

export interface AblationArm {
  arm: string;
  label: string;
  seeds: { seed: number; stepsTo95: number | null; steps: number }[];
  median: number | null;
  /** The largest N·w std seen over the run (any seed); null without diagnostics. */
  maxNwStd: number | null;
  /** Seeds whose amplifier counts as learned (amplifierLearned). */
  learnedSeeds: number;
  /** Of those, seeds whose amplifier collapsed onto a few components (amplifierCollapsed). */
  collapsedSeeds: number;
  /** The best full-train accuracy any seed reached (null without curves): did it even memorize? */
  bestTrainAcc: number | null;
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
    value('ng-every') ? `T ${value('ng-every')}` : '',
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
const bestOf = (xs: readonly (number | null)[]): number | null => {
  const v = xs.filter((x): x is number => x !== null && Number.isFinite(x));
  return v.length ? Math.max(...v) : null;
};

export function ablation(paperAddRows: RaceRow[], ablationRows: RaceRow[], maxPoints = 200): Ablation {
  const latest = latestRows([...paperAddRows.filter((r) => r.task === 'add'), ...ablationRows.filter((r) => r.task === 'add')]);
  const armNames = [...new Set(['neuralgrok', ...ABLATION_ARMS, ...latestRows(ablationRows).map((r) => r.arm)])].filter(
    (a) => a === 'neuralgrok' || (a.startsWith('neuralgrok+') && a.includes('+ng-meta')),
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
      collapsedSeeds: rs.filter(
        (r) => r.curve?.ampWeightStd && amplifierLearned(r.curve.ampWeightStd) && amplifierCollapsed(r.curve.ampWeightMax),
      ).length,
      bestTrainAcc: bestOf(rs.flatMap((r) => r.curve?.trainAcc ?? [])),
      curves,
    };
  });
  const matchedRows = latest.filter((r) => r.arm === 'gradnorm+norm-matched');
  const mm = medianSteps(matchedRows.map((r) => r.stepsTo95));
  const matched = { median: matchedRows.length && Number.isFinite(mm) ? mm : null, seeds: matchedRows.length };
  return { arms, matched, verdict: ablationVerdict(arms, matched) };
}
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
      transferSource: rowsOf(/race-claim-transfer-source\.jsonl$/),
    }),
    conditions: conditionsOf(used),
  };
}
