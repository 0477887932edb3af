/**
 * A comparison over several seeds: per method the median steps to val ≥ 0.95 with its spread,
 * a one-line verdict ("NeuralGrok reached 95 % first in 2 of 3 seeds; median 1.6× faster than
 * Standard") and the table as CSV. Pure: the compare view and its tests share it.
 */
import { median } from './stats.ts';

export interface SeedRun {
  method: string;
  label: string;
  seed: number;
  stepsTo95: number | null;
  stepsTo99: number | null;
  /** Steps trained so far (a run that has not reached 95 % is "not within" this many). */
  steps: number;
}

export interface MethodSummary {
  method: string;
  label: string;
  seeds: number;
  reached: number;
  /** Median steps to 95 %, a seed that did not reach counting as +∞ (Infinity). */
  median: number;
  /** The fastest and slowest seed that reached (null if none did). */
  min: number | null;
  max: number | null;
}

/** One summary per method, in the order the methods first appear. */
export function summarizeMethods(runs: SeedRun[]): MethodSummary[] {
  const methods = [...new Set(runs.map((r) => r.method))];
  return methods.map((method) => {
    const rs = runs.filter((r) => r.method === method);
    const reached = rs.map((r) => r.stepsTo95).filter((x): x is number => x !== null);
    return {
      method,
      label: rs[0]!.label,
      seeds: rs.length,
      reached: reached.length,
      median: median(rs.map((r) => r.stepsTo95 ?? Infinity)),
      min: reached.length ? Math.min(...reached) : null,
      max: reached.length ? Math.max(...reached) : null,
    };
  });
}

/**
 * The verdict: the method with the lowest median, in how many of the seeds every method ran it
 * was first to 95 % (ties count for none), and how much faster its median is than the next
 * method's.
 */
export function multiSeedVerdict(runs: SeedRun[]): string {
  const summaries = summarizeMethods(runs).sort((a, b) => a.median - b.median);
  const seeds = [...new Set(runs.map((r) => r.seed))].sort((a, b) => a - b);
  const budget = Math.max(0, ...runs.map((r) => r.steps));
  if (!summaries.length) return 'No runs.';
  const best = summaries[0]!;
  if (!Number.isFinite(best.median))
    return `No method reached val ≥ 0.95 in most of its seeds within ${budget} steps (${seeds.length} seed${seeds.length === 1 ? '' : 's'}).`;
  const methods = summaries.map((s) => s.method);
  const shared = seeds.filter((seed) => methods.every((m) => runs.some((r) => r.method === m && r.seed === seed)));
  const firstIn = shared.filter((seed) => {
    const at = (m: string) => runs.find((r) => r.method === m && r.seed === seed)!.stepsTo95 ?? Infinity;
    const mine = at(best.method);
    return Number.isFinite(mine) && methods.every((m) => m === best.method || at(m) > mine);
  }).length;
  const next = summaries[1];
  const ratio = !next
    ? ''
    : Number.isFinite(next.median)
      ? `; median ${formatRatio(next.median / best.median)}× faster than ${next.label}`
      : `; ${next.label}'s median did not reach it`;
  return `${best.label} reached 95 % first in ${firstIn} of ${shared.length} seed${shared.length === 1 ? '' : 's'}${ratio}.`;
}

const formatRatio = (x: number) => (x >= 10 ? x.toFixed(0) : x.toFixed(1));

const csvCell = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The runs, then each method's summary, as CSV (empty cell: not reached). */
export function multiSeedCsv(runs: SeedRun[]): string {
  const lines = [['method', 'seed', 'steps_to_95', 'steps_to_99', 'steps_trained'].join(',')];
  for (const r of runs) lines.push([r.label, r.seed, r.stepsTo95, r.stepsTo99, r.steps].map(csvCell).join(','));
  lines.push('');
  lines.push(['method', 'seeds', 'reached_95', 'median_steps_to_95', 'min_steps_to_95', 'max_steps_to_95'].join(','));
  for (const s of summarizeMethods(runs))
    lines.push([s.label, s.seeds, s.reached, Number.isFinite(s.median) ? s.median : 'not reached', s.min, s.max].map(csvCell).join(','));
  return lines.join('\n') + '\n';
}
