/**
 * The NeuralGrok paper's Table 1 beside our race results: rows of `bench/results/race-*.jsonl`
 * → one cell per (task, method), with the paper's figure, our median over seeds, each seed and
 * the verdict src/paper/verdicts.ts gives it; and every cell's validation curves. Pure (no DOM,
 * no files): src/paper/bundle.ts puts the cells into what the build and the report read.
 */

// with their extension: the Vite config loads these modules through scripts/site-content.ts
import { medianSteps } from '../core/stats.ts';
import { latestRows, type RaceRow, type UnfinishedRun } from './rows.ts';
import { PAPER_METHODS, PAPER_TABLE1, PAPER_TASKS, paperArm, type PaperFigure, type PaperMethod, type PaperTask } from './table1.ts';
import { cellVerdict, referenceSpread, type VerdictKind } from './verdicts.ts';

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
/** The cell of (task, method); every table has all of them. */
export const cellOf = (cells: readonly PaperCell[], task: PaperTask, method: PaperMethod): PaperCell =>
  cells.find((c) => c.task === task && c.method === method)!;

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
