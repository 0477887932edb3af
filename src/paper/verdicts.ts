/**
 * The verdict rules GrokLab states about the NeuralGrok paper, derived from the race rows:
 * docs/results.md (scripts/table1-report.ts) and the app's "The paper, checked" view (the bundle
 * of src/paper/bundle.ts) both print what these return, and the race's own report calls
 * `cellVerdict` per (task, arm). The ablation (ablation.ts), the claims (claims.ts, poly5.ts)
 * and the findings (findings.ts) build on them. Pure (no DOM, no files).
 *
 * The rules, each stated in the text it produces:
 * - a run that stopped without reaching 95 % says only "more than its last step" (censored); a
 *   comparison or cell that such a run leaves undecided is "open (censored at N)";
 * - a cell weighs the seed spread: "reproduced" when our seeds' range overlaps the paper's figure
 *   ±25 %, on three seeds or more;
 * - a test whose arms are the same transform by construction (a uniform amplifier; c at or above
 *   the clip's per-tensor bound) says so instead of a verdict.
 */
import { medianSteps } from '../core/stats.ts';
import { REFERENCE_CODE_RUNS, type PaperFigure, type PaperMethod, type PaperTask } from './table1.ts';

/** The band around the paper's figure: ±25 %. */
export const TOLERANCE = 0.25;
/** Fewer seeds than this make a cell preliminary: it may not say "reproduced". */
export const MIN_SEEDS = 3;

/** "1 seed", "3 seeds"; and the caveat a count under MIN_SEEDS carries. */
export const seedWord = (n: number) => `${n} seed${n === 1 ? '' : 's'}`;
export const caveatOf = (n: number) => (n < MIN_SEEDS ? ` (preliminary, ${seedWord(n)})` : '');

// ---- censoring ----

/** A finished run of a cell: its steps to 95 % (null: not reached) within `steps`. */
export interface SeedResult {
  seed: number;
  stepsTo95: number | null;
  steps: number;
}
/** A run that started and did not finish: how far it got. */
export interface UnfinishedSeed {
  seed: number;
  step: number;
  budget?: number;
  valAcc?: number | null;
}

/** What a run says about its steps to 95 %: a value, or "more than `lo`" (hi = +∞) when censored. */
export interface Bound {
  lo: number;
  hi: number;
  censoredAt: number | null;
}
export function boundsOf(seeds: readonly SeedResult[], unfinished: readonly UnfinishedSeed[] = []): Bound[] {
  return [
    ...seeds.map((s) =>
      s.stepsTo95 !== null ? { lo: s.stepsTo95, hi: s.stepsTo95, censoredAt: null } : { lo: s.steps, hi: Infinity, censoredAt: s.steps },
    ),
    ...unfinished.map((u) => ({ lo: u.step, hi: Infinity, censoredAt: u.step })),
  ];
}
/** The median's possible range over every value the censored runs may still take. */
export function medianRange(bounds: readonly Bound[]): { lo: number; hi: number } {
  return { lo: medianSteps(bounds.map((b) => b.lo)), hi: medianSteps(bounds.map((b) => (Number.isFinite(b.hi) ? b.hi : null))) };
}
export const censorList = (bounds: readonly Bound[]) =>
  [...new Set(bounds.flatMap((b) => (b.censoredAt === null ? [] : [b.censoredAt])))].sort((a, b) => a - b);
export const openText = (steps: readonly number[]) => `open (censored at ${steps.join(', ')})`;

/** How far an unfinished run got, in the one wording Table 1, the claims and the race report share. */
export function unfinishedText(u: UnfinishedSeed): string {
  return `seed ${u.seed} unfinished at step ${u.step}${u.budget ? ` of ${u.budget}` : ''}${u.valAcc !== null && u.valAcc !== undefined ? `, val acc ${u.valAcc}` : ''}`;
}

// ---- one cell of Table 1 ----

export type VerdictKind = 'reproduced' | 'close' | 'faster' | 'slower' | 'not-within' | 'fails-too' | 'no-figure' | 'not-run' | 'open';

/** The rule Table 1's verdicts follow, as the report and the view state it. */
export const CELL_RULE =
  'A seed that stopped without reaching 95 % counts as "more than its last step". "reproduced": our seeds\' range [min, max] overlaps the paper\'s figure ±25 % (the figure lies inside [min / 1.25, max / 0.75]), on 3 seeds or more — "within ±25 % (preliminary, n seeds)" below 3; "faster" / "slower than reported": the whole range lies below / above that band; "not within N steps": most seeds did not reach 95 % in budgets past the band; "open (censored at N)": a seed that stopped at step N without reaching 95 % leaves the answer undecided.';

/**
 * The verdict of one (task, arm) cell from its finished seeds and the seeds still running or cut
 * (by CELL_RULE). bench/grok-race.ts calls it per cell of its own report.
 */
export function cellVerdict(
  paper: PaperFigure | null,
  seeds: readonly SeedResult[],
  unfinished: readonly UnfinishedSeed[] = [],
): { verdict: string; kind: VerdictKind } {
  if (!seeds.length && !unfinished.length) return { verdict: 'not run yet', kind: 'not-run' };
  const caveat = caveatOf(seeds.length);
  const got = unfinished.length ? unfinished.map(unfinishedText).join('; ') : '';
  if (!paper)
    return seeds.length
      ? { verdict: `no figure in the paper${caveat}`, kind: 'no-figure' }
      : { verdict: `not finished (${got})`, kind: 'not-run' };
  const budget = Math.max(...seeds.map((s) => s.steps), ...unfinished.map((u) => u.step));
  if ('failsWithin' in paper) {
    if (!seeds.length) return { verdict: `not finished (${got})`, kind: 'not-run' };
    return seeds.some((s) => s.stepsTo95 !== null)
      ? { verdict: `reached 95 % where the paper reports a failure${caveat}`, kind: 'faster' }
      : {
          verdict: `not within ${budget} steps, as the paper (which ran ${paper.failsWithin.toLocaleString('en')})${caveat}`,
          kind: 'fails-too',
        };
  }
  const low = (1 - TOLERANCE) * paper.steps;
  const high = (1 + TOLERANCE) * paper.steps;
  const bounds = boundsOf(seeds, unfinished);
  const open = censorList(bounds.filter((b) => b.lo <= high && !Number.isFinite(b.hi)));
  if (!seeds.length) {
    // only runs that were cut: past the band they already say "slower"; before it, nothing yet
    const u = unfinished.reduce((a, b) => (b.step > a.step ? b : a));
    return u.step > high
      ? {
          verdict: `slower than reported: not at 95 % by step ${u.step}, ${(u.step / paper.steps).toFixed(2)}× the paper's figure (${got}; preliminary, unfinished)`,
          kind: 'slower',
        }
      : { verdict: `${openText(open)}; ${got}`, kind: 'open' };
  }
  // most seeds did not reach 95 %: decided once even the median's lower bound lies past the band
  if (!Number.isFinite(medianSteps(seeds.map((s) => s.stepsTo95))))
    return medianRange(bounds).lo > high
      ? {
          verdict: `median not within ${budget} steps (${seeds.filter((s) => s.stepsTo95 !== null).length} of ${seeds.length} seeds reached 95 %)${caveat}`,
          kind: 'not-within',
        }
      : { verdict: `${openText(open)}${caveat}`, kind: 'open' };
  const minHi = Math.min(...bounds.map((b) => b.hi));
  const maxLo = Math.max(...bounds.map((b) => b.lo));
  if (minHi <= high && maxLo >= low)
    return caveat ? { verdict: `within ±25 %${caveat}`, kind: 'close' } : { verdict: 'reproduced', kind: 'reproduced' };
  if (Math.min(...bounds.map((b) => b.lo)) > high) return { verdict: `slower than reported${caveat}`, kind: 'slower' };
  if (Math.max(...bounds.map((b) => b.hi)) < low) return { verdict: `faster than reported${caveat}`, kind: 'faster' };
  return { verdict: `${openText(open)}${caveat}`, kind: 'open' };
}

/** The reference code's own spread on a cell, judged by the same rule (null where we have none). */
export function referenceSpread(
  task: PaperTask,
  method: PaperMethod,
  paper: PaperFigure | null,
): { seeds: number[]; source: string; verdict: string } | null {
  const ref = REFERENCE_CODE_RUNS.find((r) => r.task === task && r.method === method);
  if (!ref) return null;
  const { verdict } = cellVerdict(
    paper,
    ref.seeds.map((s, seed) => ({ seed, stepsTo95: s, steps: s })),
  );
  const median = medianSteps(ref.seeds);
  const alone =
    paper && 'steps' in paper && Math.abs(median / paper.steps - 1) > TOLERANCE
      ? `; ±25 % around its median alone (${median}, ${(median / paper.steps).toFixed(2)}× the figure) would not reproduce it`
      : '';
  return { seeds: ref.seeds, source: ref.source, verdict: `${verdict} by this rule${alone}` };
}

// ---- comparisons of two arms ----

/** Which of two arms reaches 95 % first, on the medians; "open" when a censored run leaves it undecided. */
export function compareArms(
  a: { seeds: readonly SeedResult[]; unfinished?: readonly UnfinishedSeed[] },
  b: { seeds: readonly SeedResult[]; unfinished?: readonly UnfinishedSeed[] },
): { result: 'a' | 'b' | 'tie' | 'open' | 'not-run'; text: string } {
  const ba = boundsOf(a.seeds, a.unfinished);
  const bb = boundsOf(b.seeds, b.unfinished);
  if (!a.seeds.length || !b.seeds.length) return { result: 'not-run', text: 'not run yet' };
  const ma = medianRange(ba);
  const mb = medianRange(bb);
  if (ma.hi < mb.lo) return { result: 'a', text: 'yes' };
  if (mb.hi < ma.lo) return { result: 'b', text: 'no' };
  if (ma.lo === ma.hi && mb.lo === mb.hi) return { result: 'tie', text: 'tie' };
  return { result: 'open', text: openText(censorList([...ba, ...bb])) };
}

/** A claim of the paper with its verdict (claims.ts, poly5.ts). */
export interface Claim {
  claim: string;
  verdict: string;
  /** 'mixed': some seeds each way; 'open': not enough runs, or a censored run leaves it undecided; 'not testable': the arms are equal by construction. */
  status: 'supported' | 'not supported' | 'mixed' | 'open' | 'not testable';
}
