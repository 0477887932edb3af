/**
 * A fair comparison (issue 31, item 4): every method of the tuned view at each point of its grid
 * (src/paper/tuned.ts: lr ×3, ×1, ×0.3 the paper preset's; AdamW also wd 1, 3, 0.3) on a + b and
 * a² − b mod 97, seeds 0–2, the paper preset and Table 1's protocol otherwise (evaluation every
 * 10 steps, stop at val ≥ 0.95, budget 3× the paper's figure; methods without one 3× Standard's).
 *
 * The Table 1 methods' paper-lr points are Table 1's own jobs (races `paper-add`, `paper-sq_sub`,
 * taken from sweeps/table1.ts): the same arguments, hence the same job ids and row keys, so the
 * rows already in bench/results/race-paper-<task>.jsonl answer them and nothing runs twice.
 * Everything else lands in bench/results/race-tuned-<task>.jsonl.
 *
 * Order (cheapest informative first): a + b before a² − b (about half the steps), seed 0 of every
 * point before seeds 1–2 (a first look at the whole grid), and within a stage the ×3 lr points
 * first (fewest steps), the new methods' paper points, then ×0.3 (the slowest, least likely to win).
 *   npm run sweep -- run sweeps/tuned.ts --jobs 2        # resumable: a second run skips finished jobs
 *   npm run sweep -- report sweeps/tuned.ts              # the tuned section of docs/results.md
 */
import {
  gridOf,
  inTable1,
  isPaperPoint,
  TUNED_METHODS,
  tunedArm,
  tunedSteps,
  type GridPoint,
  type TunedMethod,
  type TunedTask,
} from '../src/paper/tuned';
import type { RaceInput, SweepInput } from '../src/sweep/sweep-file';
import table1 from './table1';

/** The grid's arms of a task, in run order: ×3 points, the new methods' paper points, the other decays, ×0.3 points. */
function armsOf(task: TunedTask): string[] {
  const points = TUNED_METHODS.flatMap((m) => gridOf(m).map((g) => ({ m, g })));
  const rank = ({ m, g }: { m: TunedMethod; g: GridPoint }) => (g.lr > 1e-3 ? 0 : isPaperPoint(m, g) ? 1 : g.lr === 1e-3 ? 2 : 3);
  return points
    .filter(({ m, g }) => !(inTable1(m) && isPaperPoint(m, g))) // Table 1's own jobs, below
    .map((p, i) => ({ ...p, i }))
    .sort((a, b) => rank(a) - rank(b) || a.i - b.i)
    .map(({ m, g }) => tunedArm(task, m, g));
}

/** One stage of a task's grid: these seeds, this priority. `report: false`: the tuned section of docs/results.md is its report. */
const stage = (task: TunedTask, seeds: number[], priority: number): RaceInput => ({
  name: `tuned-${task}`,
  preset: 'paper',
  tasks: [task],
  arms: armsOf(task),
  seeds,
  budgetX: 3,
  steps: tunedSteps(task),
  stopAt: 0.95,
  priority,
  report: false,
});

export default {
  description: 'each method at its own best lr (AdamW: and wd) from a stated grid, a + b and a² − b, three seeds',
  races: [
    // the paper-lr points of Table 1's methods: Table 1's races as they are (finished rows answer them)
    ...table1.races.filter((r) => r.name === 'paper-add' || r.name === 'paper-sq_sub').map((r) => ({ ...r, report: false })),
    stage('add', [0], 50),
    stage('add', [1, 2], 51),
    stage('sq_sub', [0], 52),
    stage('sq_sub', [1, 2], 53),
  ],
} satisfies SweepInput;
