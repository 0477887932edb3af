/**
 * Every verdict GrokLab states about the NeuralGrok paper, derived from the race rows by one set
 * of rules: docs/results.md (scripts/table1-report.ts) and the app's "The paper, checked" view
 * (the bundle of src/paper/table.ts) both print what this module returns, and the race's
 * own report can call `cellVerdict` per (task, arm). Pure (no DOM, no files).
 *
 * The rules, each stated in the text it produces:
 * - a run that stopped without reaching 95 % says only "more than its last step" (censored); a
 *   comparison or cell that such a run leaves undecided is "open (censored at N)";
 * - a cell weighs the seed spread: "reproduced" when our seeds' range overlaps the paper's figure
 *   ±25 %, on three seeds or more;
 * - a test whose arms are the same transform by construction (a uniform amplifier; c at or above
 *   the clip's per-tensor bound) says so instead of a verdict.
 */
import { PAPER_METHOD_LABELS, PAPER_TASKS, type PaperFigure, type PaperMethod, type PaperTask } from './table1.ts';
import { latestRows, medianSteps, type RaceRow } from './rows.ts';
import { dropsAfterGrokking } from '../core/slingshots.ts';
import type { Ablation, AblationArm, PaperCell } from './table.ts';

/** The band around the paper's figure: ±25 %. */
export const TOLERANCE = 0.25;
/** Fewer seeds than this make a cell preliminary: it may not say "reproduced". */
export const MIN_SEEDS = 3;
/** N·w std at or above this (1 %) means the amplifier's weights moved away from uniform. */
export const AMPLIFIER_MOVED = 0.01;
/** Issue 18's bar for a *learned* amplifier: N·w std above ~0.1 ... */
export const AMPLIFIER_LEARNED = 0.1;
/** ... on at least this fraction of a run's evaluations ("a sustained part of the run"). */
export const LEARNED_FRACTION = 0.25;

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

/** Whether a run's N·w std curve counts as learned: above 0.1 on a quarter of its evaluations or more. */
export function amplifierLearned(nwStd: readonly (number | null)[]): boolean {
  const v = nwStd.filter((x): x is number => x !== null && Number.isFinite(x));
  return v.length > 0 && v.filter((x) => x > AMPLIFIER_LEARNED).length >= LEARNED_FRACTION * v.length;
}

/**
 * A learned amplifier that collapsed: some component carries more than this many times its
 * uniform share of its tensor's weight (N·w max; a tensor of N components all on one is N) —
 * the update then moves a few components only. Measured: meta lr ≥ 0.02 at T 1 (a + b) sits at
 * N·w max ≈ 12 672, the token embedding's size, and training stalls.
 */
export const COLLAPSED_NW_MAX = 100;

/** Collapsed on at least a quarter of the evaluations (the same share as "learned"). */
export function amplifierCollapsed(nwMax: readonly (number | null)[] | undefined): boolean {
  const v = (nwMax ?? []).filter((x): x is number => x !== null && Number.isFinite(x));
  return v.length > 0 && v.filter((x) => x > COLLAPSED_NW_MAX).length >= LEARNED_FRACTION * v.length;
}

const seedWord = (n: number) => `${n} seed${n === 1 ? '' : 's'}`;
const caveatOf = (n: number) => (n < MIN_SEEDS ? ` (preliminary, ${seedWord(n)})` : '');

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
interface Bound {
  lo: number;
  hi: number;
  censoredAt: number | null;
}
function boundsOf(seeds: readonly SeedResult[], unfinished: readonly UnfinishedSeed[] = []): Bound[] {
  return [
    ...seeds.map((s) =>
      s.stepsTo95 !== null ? { lo: s.stepsTo95, hi: s.stepsTo95, censoredAt: null } : { lo: s.steps, hi: Infinity, censoredAt: s.steps },
    ),
    ...unfinished.map((u) => ({ lo: u.step, hi: Infinity, censoredAt: u.step })),
  ];
}
/** The median's possible range over every value the censored runs may still take. */
function medianRange(bounds: readonly Bound[]): { lo: number; hi: number } {
  return { lo: medianSteps(bounds.map((b) => b.lo)), hi: medianSteps(bounds.map((b) => (Number.isFinite(b.hi) ? b.hi : null))) };
}
const censorList = (bounds: readonly Bound[]) =>
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

// ---- poly5 at equal budgets (issue 28, item 3) ----

/** The steps at which the poly5 table shows every run's val accuracy. */
export const POLY5_MILESTONES = [2000, 5000, 10000, 15000] as const;
/** A poly5 run is settled when it reached 95 % or ran this many steps. */
export const POLY5_SETTLED_STEPS = 15000;
/** The paper's headline speed-up on poly5: GrokFast-MA 8 853 / NeuralGrok 1 896 steps. */
export const POLY5_PAPER_SPEEDUP = 8853 / 1896;

/** A row's val accuracy at `step`, as text: its last evaluation at or before it, "≥ 0.95 (at N)" once reached, "–" past its end. */
export function valAtText(r: RaceRow, step: number): string {
  if (r.stepsTo95 !== null && r.stepsTo95 <= step) return `≥ 0.95 (at ${r.stepsTo95})`;
  if (r.steps < step) return `– (stopped at ${r.steps})`;
  const c = r.curve;
  if (!c) return '?';
  let v: number | null = null;
  for (let i = 0; i < c.step.length && c.step[i]! <= step; i++) v = c.valAcc[i] ?? v;
  return v === null ? '?' : v.toFixed(3);
}

/**
 * "NeuralGrok groks poly5 up to 4.67× sooner than GrokFast-MA", from the medians' possible
 * ranges (a censored run counts as "more than its last step"): supported where even the
 * smallest possible speed-up is within 25 % of the paper's, open while censored runs leave the
 * range across that band.
 */
export function poly5SpeedupClaim(ng: Parameters<typeof compareArms>[0], ma: Parameters<typeof compareArms>[0]): Claim {
  const claim = `NeuralGrok groks a·c + b·d − e (poly5) up to ${POLY5_PAPER_SPEEDUP.toFixed(2)}× sooner than GrokFast-MA (1 896 vs 8 853 steps)`;
  if (!ng.seeds.length || !ma.seeds.length)
    return { claim, verdict: 'Not checked yet: one of the two arms has no finished run.', status: 'open' };
  const bn = boundsOf(ng.seeds, ng.unfinished);
  const bm = boundsOf(ma.seeds, ma.unfinished);
  const n = medianRange(bn);
  const m = medianRange(bm);
  const lo = m.lo / n.hi; // the smallest speed-up the runs still allow (0 while NeuralGrok's median is open-ended)
  const hi = m.hi / n.lo;
  const band = (1 - TOLERANCE) * POLY5_PAPER_SPEEDUP;
  const range = `GrokFast-MA's median ${fmtRange(m)} (${seedWord(ma.seeds.length)} finished), NeuralGrok's ${fmtRange(n)} (${seedWord(ng.seeds.length)} finished)${caveatOf(Math.min(ng.seeds.length, ma.seeds.length))}`;
  const x = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : 'unbounded');
  if (hi < 1)
    return { claim, verdict: `Not supported: NeuralGrok was slower (speed-up at most ${x(hi)}); ${range}.`, status: 'not supported' };
  if (lo >= band) return { claim, verdict: `Supported: a speed-up of at least ${x(lo)}; ${range}.`, status: 'supported' };
  if (hi < band)
    return {
      claim,
      verdict: `Not supported at the paper's size: a speed-up of ${x(lo)}–${x(hi)}, below ${x(band)} (the paper's ${x(POLY5_PAPER_SPEEDUP)} less 25 %); ${range}.`,
      status: 'not supported',
    };
  return {
    claim,
    verdict: `${openText(censorList([...bn, ...bm]))}: the speed-up lies between ${x(lo)} and ${x(hi)}; ${range}.`,
    status: 'open',
  };
}
const fmtRange = (r: { lo: number; hi: number }) =>
  r.lo === r.hi ? `${r.lo}` : `between ${r.lo} and ${Number.isFinite(r.hi) ? r.hi : 'never'}`;

// ---- the ablation: does a learned amplifier help? ----

/** ", where it collapsed onto a few components (k of n seeds; best train accuracy x)" — or nothing. */
function collapseText(a: AblationArm): string {
  if (!a.collapsedSeeds) return '';
  const train =
    a.bestTrainAcc === null
      ? ''
      : `; best train accuracy ${a.bestTrainAcc.toFixed(2)}${a.bestTrainAcc < 0.95 ? ': it did not even memorize' : ''}`;
  return ` (collapsed on ${a.collapsedSeeds} of ${a.seeds.length} seeds: N·w max above ${COLLAPSED_NW_MAX}, a few components carry each tensor's update${train})`;
}

export function ablationVerdict(arms: readonly AblationArm[], matched: { median: number | null; seeds: number }): string {
  const ran = arms.filter((a) => a.seeds.length > 0);
  if (!ran.length || matched.seeds === 0) return 'Not answered yet: the ablation runs (or matched normalization on a + b) have not run.';
  const fewest = Math.min(matched.seeds, ...ran.map((a) => a.seeds.length));
  const caveat = fewest < MIN_SEEDS ? ` Preliminary: ${seedWord(fewest)} in the thinnest arm.` : '';
  const m = matched.median;
  const sooner = ran.filter((a) => a.median !== null && (m === null || a.median <= (1 - TOLERANCE) * m));
  const later = ran.filter((a) => m !== null && (a.median === null || a.median >= (1 + TOLERANCE) * m));
  const learned = ran.filter((a) => a.learnedSeeds > 0);
  const largest = Math.max(...ran.map((a) => a.maxNwStd ?? 0));
  const medians = ran.map((a) => `${a.label} ${a.median ?? 'never'}`).join('; ');
  if (!learned.length) {
    const shown =
      !sooner.length && !later.length
        ? `the meta step as specified leaves NeuralGrok equal to matched normalization (every arm's median within ±25 % of its ${m ?? 'never'}: ${medians})`
        : `with no amplifier learned, ${[...sooner.map((a) => `${a.label} reached 95 % more than 25 % sooner`), ...later.map((a) => `${a.label} more than 25 % later`)].join('; ')} than matched normalization (median ${m ?? 'never'}; ${medians})`;
    return `Untested: no amplifier learned (largest N·w std ${largest.toPrecision(2)}; learned means above ${AMPLIFIER_LEARNED} on ≥ ${LEARNED_FRACTION * 100} % of the evaluations), so whether a learned amplifier helps is still open. What was shown: ${shown}.${caveat}`;
  }
  const learnedText = `the amplifier counted as learned in ${learned.map((a) => a.label + collapseText(a)).join('; ')}`;
  if (sooner.some((a) => a.learnedSeeds > 0))
    return `Yes, here: ${sooner.map((a) => a.label).join('; ')} reached 95 % more than 25 % sooner than matched normalization (median ${m ?? 'never'}); ${learnedText}.${caveat}`;
  if (learned.every((a) => a.collapsedSeeds === a.learnedSeeds))
    return `No, as far as these runs go: the only amplifiers that learned collapsed (${learned.map((a) => a.label + collapseText(a)).join('; ')}), and none reached 95 % more than 25 % sooner than matched normalization (median ${m ?? 'never'}; ${medians}). No setting tried learned without collapsing (${ran.map((a) => a.label).join('; ')}), so whether a learned, non-collapsed amplifier helps is untested.${caveat}`;
  return `No: no arm with a learned amplifier reached 95 % more than 25 % sooner than matched normalization (median ${m ?? 'never'}); ${learnedText}.${caveat}`;
}

// ---- the paper's claims ----

export interface Claim {
  claim: string;
  verdict: string;
  /** 'mixed': some seeds each way; 'open': not enough runs, or a censored run leaves it undecided; 'not testable': the arms are equal by construction. */
  status: 'supported' | 'not supported' | 'mixed' | 'open' | 'not testable';
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
  /** claim-transfer-source: the a + b NeuralGrok runs whose amplifiers were frozen and moved. */
  transferSource?: RaceRow[];
}

const cellOf = (cells: readonly PaperCell[], task: PaperTask, method: PaperMethod) =>
  cells.find((c) => c.task === task && c.method === method)!;
const armOf = (c: PaperCell) => ({ seeds: c.seeds, unfinished: c.unfinished });
/** Our median with never-reached as +∞; NaN when not run. */
const oursOf = (c: PaperCell) => (c.seeds.length ? (c.median ?? Infinity) : NaN);

/** The paper's claims, checked against our cells, the ablation and the claim races. */
export function paperClaims(cells: readonly PaperCell[], abl: Ablation, runs: ClaimRuns = {}): Claim[] {
  const compare = (claim: string, a: PaperMethod, b: PaperMethod): Claim => {
    const ps = PAPER_TASKS.map((t) => ({ t, r: compareArms(armOf(cellOf(cells, t, a)), armOf(cellOf(cells, t, b))) })).filter(
      (p) => p.r.result !== 'not-run',
    );
    if (!ps.length) return { claim, verdict: 'Not checked yet: no task has both cells run.', status: 'open' };
    const missing = PAPER_TASKS.length - ps.length;
    const wins = ps.filter((p) => p.r.result === 'a').length;
    const lost = ps.some((p) => p.r.result === 'b' || p.r.result === 'tie');
    const verdict = `${PAPER_METHOD_LABELS[a]} was first on ${wins} of ${ps.length} task${ps.length === 1 ? '' : 's'} run (${ps.map((p) => `${p.t} ${p.r.text}`).join(', ')})${missing ? `; ${missing} not run yet` : ''}.`;
    return { claim, verdict, status: lost ? 'not supported' : wins === PAPER_TASKS.length ? 'supported' : 'open' };
  };
  const hardName = 'NeuralGrok beats GrokFast on the harder tasks (a² − b, a·c + b·d − e)';
  const hard = (['sq_sub', 'poly5'] as const).flatMap((t) => {
    const ng = armOf(cellOf(cells, t, 'neuralgrok'));
    const rs = (['grokfast_ma', 'grokfast_ema'] as const).map((m) => ({ m, r: compareArms(ng, armOf(cellOf(cells, t, m))) }));
    if (rs.some((x) => x.r.result === 'not-run')) return [];
    const result = rs.some((x) => x.r.result === 'b' || x.r.result === 'tie') ? 'no' : rs.every((x) => x.r.result === 'a') ? 'yes' : 'open';
    return [{ t, result, text: rs.map((x) => `${x.r.text} against ${PAPER_METHOD_LABELS[x.m]}`).join(', ') }];
  });
  const hardClaim: Claim = !hard.length
    ? { claim: hardName, verdict: 'Not checked yet: those cells have not run.', status: 'open' }
    : {
        claim: hardName,
        verdict: `NeuralGrok ahead of both GrokFast variants: ${hard.map((h) => `${h.t} ${h.result} (${h.text})`).join('; ')}${hard.length < 2 ? '; the other task has not run yet' : ''}.`,
        status: hard.some((h) => h.result === 'no')
          ? 'not supported'
          : hard.length === 2 && hard.every((h) => h.result === 'yes')
            ? 'supported'
            : 'open',
      };
  const ampMoved = abl.arms.some((a) => a.maxNwStd !== null && a.maxNwStd >= AMPLIFIER_MOVED);
  const ampLearned = abl.arms.filter((a) => a.learnedSeeds > 0);
  const ampRan = abl.arms.some((a) => a.maxNwStd !== null);
  const largest = Math.max(...abl.arms.map((a) => a.maxNwStd ?? 0));
  return [
    compare('NeuralGrok reaches 95 % before Standard on every task', 'neuralgrok', 'standard'),
    hardClaim,
    amplifierVsMatched(compare('The learned amplifier beats plain (matched) normalization', 'neuralgrok', 'matched'), cells, runs),
    learnsClaim(abl, ampRan, ampMoved, ampLearned, largest),
    rescalingClaim(runs),
    ageClaim(runs),
    stabilityClaim(runs),
    poly5NormClaim(cells),
    transferClaim(cells, runs),
    poly5SpeedupClaim(armOf(cellOf(cells, 'poly5', 'neuralgrok')), armOf(cellOf(cells, 'poly5', 'grokfast_ma'))),
  ];
}

/**
 * NeuralGrok against matched normalization is a test of the *learned* amplifier only where it
 * learned: with N·w uniform, c·(w ⊙ g)/‖w ⊙ g‖ per tensor, clipped at 1, is matched
 * normalization's update by construction, and the measured differences are how far two
 * nearly identical runs drift apart.
 */
function amplifierVsMatched(measured: Claim, cells: readonly PaperCell[], runs: ClaimRuns): Claim {
  const ngArms = new Set(cells.filter((c) => c.method === 'neuralgrok').map((c) => `${c.task}|${c.arm}`));
  const stds = (runs.paperRows ?? [])
    .filter((r) => ngArms.has(`${r.task}|${r.arm}`))
    .map(largestNwStd)
    .filter((x): x is number => x !== null);
  if (!stds.length || stds.some((x) => x >= AMPLIFIER_LEARNED)) return measured;
  return {
    claim: measured.claim,
    verdict: `Not testable with these runs: the amplifier stayed uniform in every Table 1 NeuralGrok run (N·w std at most ${Math.max(...stds).toPrecision(2)}, below ${AMPLIFIER_LEARNED}), so its update was matched normalization's by construction. What the runs show: ${measured.verdict.replace(/\.$/, '')} — differences between two runs of the same update, not an effect of learning.`,
    status: 'not testable',
  };
}

/**
 * "The amplifier learns a non-uniform reweighting": a collapsed amplifier is non-uniform, but
 * not a reweighting that trains the model, so it does not support the claim.
 */
function learnsClaim(abl: Ablation, ran: boolean, moved: boolean, learned: readonly AblationArm[], largest: number): Claim {
  const claim = 'The amplifier learns a non-uniform reweighting of the gradient';
  if (!ran) return { claim, verdict: 'Not checked yet: no NeuralGrok run with diagnostics.', status: 'open' };
  const useful = learned.filter((a) => a.collapsedSeeds < a.learnedSeeds);
  const collapsed = learned.filter((a) => a.collapsedSeeds > 0);
  if (useful.length)
    return {
      claim,
      verdict: `Learned (N·w std > ${AMPLIFIER_LEARNED} on ≥ ${LEARNED_FRACTION * 100} % of the evaluations, without collapsing) in: ${useful.map((a) => `${a.label} (${seedWord(a.learnedSeeds - a.collapsedSeeds)})`).join('; ')}.`,
      status: 'supported',
    };
  const settings = abl.arms.filter((a) => a.seeds.length).map((a) => a.label);
  const why = collapsed.length
    ? `Only as a collapse: ${collapsed.map((a) => a.label + collapseText(a)).join('; ')}; every other setting stayed near uniform (largest N·w std ${Math.max(...abl.arms.filter((a) => !a.collapsedSeeds).map((a) => a.maxNwStd ?? 0)).toPrecision(2)}).`
    : moved
      ? `Its weights moved away from uniform in some runs (largest N·w std ${largest.toPrecision(2)}, a + b), but in none above ${AMPLIFIER_LEARNED} for a sustained part of the run.`
      : `In every run here its weights stayed uniform (N·w std below ${AMPLIFIER_MOVED}): the update was plain normalization.`;
  return { claim, verdict: `${why} Settings tried: ${settings.join('; ')}.`, status: 'not supported' };
}

// ---- (a) robust to the rescaling coefficient c ----

/**
 * The model's parameter tensors (K) from a run's config: token and position embeddings, 12 per
 * block, the final LayerNorm's two and the head — src/engine/model.ts's parameterSpecs, which
 * tests/verdicts.test.ts checks this against. null when the config records no layer count.
 */
export function parameterTensorCount(config: Record<string, unknown> | undefined): number | null {
  const layers = config?.layers;
  return typeof layers === 'number' && Number.isInteger(layers) && layers > 0 ? 2 + 12 * layers + 3 : null;
}

/**
 * The per-tensor norm c stops mattering at: NeuralGrok normalizes each of the K tensors to c,
 * a global norm of c·√K, and the clip scales that to `clip` — so every c ≥ clip/√K gives the
 * same inner update. null when the config does not record both.
 */
export function clipBound(config: Record<string, unknown> | undefined): { clip: number; k: number; bound: number } | null {
  const k = parameterTensorCount(config);
  const clip = config?.ngClip;
  return k !== null && typeof clip === 'number' && clip > 0 ? { clip, k, bound: clip / Math.sqrt(k) } : null;
}

function rescalingClaim(runs: ClaimRuns): Claim {
  const claim = 'NeuralGrok is robust to the rescaling coefficient c (0.1, 0.2, 0.5, 1; a + b)';
  const paperRows = latestRows(runs.paperRows ?? []);
  const others = latestRows(runs.rescaling ?? []);
  const seedsRun = new Set(others.map((r) => r.seed));
  // c = 0.2 is the a + b cell, over the seeds the other values ran
  const rows = [...others, ...paperRows.filter((r) => r.task === 'add' && r.arm === 'neuralgrok' && seedsRun.has(r.seed))];
  const cOf = (r: RaceRow) => (typeof r.config?.ngC === 'number' ? r.config.ngC : Number(/ng-c=([\d.]+)/.exec(r.arm)?.[1] ?? 0.2));
  const cs = [...new Set(rows.map(cOf))].sort((x, y) => x - y);
  if (cs.length < 4 || !cs.includes(0.2))
    return { claim, verdict: `Not checked yet: ${cs.length} of the 4 values of c ran.`, status: 'open' };
  const bound = clipBound(rows.find((r) => clipBound(r.config))?.config);
  const effective = (c: number) => (bound ? Math.min(c, bound.bound) : c);
  const same = cs.filter((c) => c !== 0.2 && effective(c) === effective(0.2));
  const informative = cs.filter((c) => c !== 0.2 && effective(c) !== effective(0.2));
  const ref = (seed: number) => rows.find((r) => r.seed === seed && cOf(r) === 0.2);
  const ratios = (c: number) =>
    rows
      .filter((r) => cOf(r) === c)
      .sort((a, b) => a.seed - b.seed)
      .map((r) => ({ seed: r.seed, x: r.stepsTo95, y: ref(r.seed)?.stepsTo95 ?? null }))
      .filter((p) => ref(p.seed));
  const boundText = bound
    ? `with clip ${bound.clip} and K = ${bound.k} parameter tensors, every c ≥ clip/√K = ${bound.bound.toFixed(3)} gives the same inner update by construction (the normalized gradient's global norm c·√K is clipped to ${bound.clip})`
    : 'the rows record no model config, so the clip bound clip/√K is unknown and every c counts';
  const sameText = same.length
    ? `c ${same.join(', ')} against c 0.2: equal by construction (measured ${same
        .map(
          (c) =>
            `c ${c}: ${ratios(c)
              .map((p) => p.x ?? 'never')
              .join(', ')}`,
        )
        .join('; ')}; c 0.2: ${ratios(same[0]!)
        .map((p) => p.y ?? 'never')
        .join(', ')})`
    : '';
  if (!informative.length) return { claim, verdict: `Not testable here: ${boundText}; ${sameText}.`, status: 'not testable' };
  const ps = informative.flatMap((c) => ratios(c).map((p) => ({ c, ...p, ratio: p.x !== null && p.y !== null ? p.x / p.y : NaN })));
  const inBand = ps.every((p) => Number.isFinite(p.ratio) && Math.abs(p.ratio - 1) <= TOLERANCE);
  const edge = ps.some((p) => Math.abs(p.ratio - 1) > TOLERANCE - 0.05);
  const allFaster = ps.every((p) => p.ratio < 1);
  const allSlower = ps.every((p) => p.ratio > 1);
  const seedsN = Math.min(...informative.map((c) => ratios(c).length));
  const infText = informative
    .map(
      (c) =>
        `c ${c}: ${ratios(c)
          .map((p) => (p.x !== null && p.y !== null ? (p.x / p.y).toFixed(2) : 'never'))
          .join(', ')} of c 0.2 on seed${ratios(c).length === 1 ? '' : 's'} ${ratios(c)
          .map((p) => p.seed)
          .join(', ')} (${ratios(c)
          .map((p) => `${p.x ?? 'never'}/${p.y ?? 'never'}`)
          .join(', ')})`,
    )
    .join('; ');
  return {
    claim,
    verdict: `${boundText[0]!.toUpperCase()}${boundText.slice(1)}${sameText ? `; ${sameText}` : ''}. Only c ${informative.join(', ')} ${informative.length === 1 ? 'is' : 'are'} informative: ${infText} — ${inBand ? 'within ±25 % on every seed' : 'not within ±25 % on every seed'}${inBand && edge ? ", at the band's edge" : ''}${allFaster ? ', faster on every seed' : allSlower ? ', slower on every seed' : ''}${caveatOf(seedsN)}.`,
    status: inBand ? 'supported' : 'not supported',
  };
}

// ---- (b) AGE of the raw gradient ----

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

function ageClaim(runs: ClaimRuns): Claim {
  // paired on the same task and seed, over the same steps
  const claim = 'NeuralGrok lowers the Absolute Gradient Entropy (model complexity) against Standard and AdamW';
  const paperRows = latestRows(runs.paperRows ?? []);
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
  const lower = all.filter((p) => p.a < p.b).length;
  // supported where NeuralGrok's AGE is lower in every pair against both; not where in at most half
  const status: Claim['status'] =
    !std.length || !adamw.length ? 'open' : lower === all.length ? 'supported' : 2 * lower <= all.length ? 'not supported' : 'open';
  return {
    claim,
    verdict: `Mean raw-gradient AGE over the evaluations both runs share, up to the earlier 95 % step, same task and seed: ${text('Standard', std)}; ${text('AdamW (wd 1)', adamw)}.${all.length && all.length < MIN_SEEDS ? ` Preliminary: ${all.length} pair${all.length === 1 ? '' : 's'}.` : ''}`,
    status,
  };
}

// ---- (c) instability after grokking ----

function stabilityClaim(runs: ClaimRuns): Claim {
  // drops of val accuracy, AdamW wd 1 vs NeuralGrok, same seeds
  const claim = 'Weight decay (AdamW, wd 1) is unstable after grokking while NeuralGrok is stable';
  const rows = latestRows(runs.stability ?? []);
  const seeds = [...new Set(rows.map((r) => r.seed))].filter(
    (sd) => rows.some((r) => r.seed === sd && r.arm === 'adamw') && rows.some((r) => r.seed === sd && r.arm === 'neuralgrok'),
  );
  if (!seeds.length) return { claim, verdict: 'Not checked yet: the runs have not finished.', status: 'open' };
  const drops = (arm: string) =>
    seeds.map((sd) => dropsAfterGrokking(rows.find((r) => r.seed === sd && r.arm === arm)!.curve?.valAcc ?? []));
  const a = drops('adamw');
  const n = drops('neuralgrok');
  const sum = (xs: (number | null)[]) => xs.reduce<number>((t, x) => t + (x ?? 0), 0);
  return {
    claim,
    verdict: `Drops of val accuracy by more than 0.1 after first reaching 95 %, over the whole budget: AdamW ${a.map((x, i) => `s${seeds[i]} ${x ?? 'never grokked'}`).join(', ')}; NeuralGrok ${n.map((x, i) => `s${seeds[i]} ${x ?? 'never grokked'}`).join(', ')}${caveatOf(seeds.length)}.`,
    status: sum(a) > sum(n) ? 'supported' : 'not supported',
  };
}

// ---- (d) normalization alone on poly5 ----

function poly5NormClaim(cells: readonly PaperCell[]): Claim {
  // Seed by seed: one seed of matched normalization memorised without generalising and another
  // grokked (2026-12-04), so a median alone would hide half the answer.
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
  return {
    claim,
    verdict: `Matched normalization: ${state(m)}; Standard: ${state(st)}.${done ? `${mixed}${preliminary}` : `${sofar} Not checked yet: both must finish.`}`,
    status,
  };
}

// ---- (e) limited transfer ----

/** The largest N·w std a run recorded: over its curve, else its last evaluation's; null without diagnostics. */
export function largestNwStd(r: RaceRow): number | null {
  const xs = [...(r.curve?.ampWeightStd ?? []), r.amplifierDiagnostics?.ampWeightStd ?? null].filter(
    (x): x is number => x !== null && x !== undefined && Number.isFinite(x),
  );
  return xs.length ? Math.max(...xs) : null;
}

function transferClaim(cells: readonly PaperCell[], runs: ClaimRuns): Claim {
  // the a + b amplifier, frozen, on a − b, against a − b's own NeuralGrok
  const claim = 'An amplifier transfers only partly: trained on a + b and frozen, it is slower on a − b';
  const t = latestRows(runs.transfer ?? []);
  const own = cellOf(cells, 'sub', 'neuralgrok');
  const matched = cellOf(cells, 'sub', 'matched');
  if (!t.length || !own.seeds.length)
    return { claim, verdict: 'Not checked yet: the frozen run (or a − b’s NeuralGrok) has not finished.', status: 'open' };
  const frozen = medianSteps(t.map((r) => r.stepsTo95));
  const ownM = oursOf(own);
  const measured = `Frozen a + b amplifier on a − b: ${Number.isFinite(frozen) ? frozen : 'never'} steps (${seedWord(t.length)}); a − b’s own NeuralGrok: ${Number.isFinite(ownM) ? ownM : 'never'} (${seedWord(own.seeds.length)})${matched.seeds.length ? `; matched normalization: ${matched.median ?? 'never'}` : ''}`;
  // the source amplifier: the runs that trained it, else the frozen runs' own diagnostics
  const source = latestRows(runs.transferSource ?? []);
  const stds = (source.length ? source : t).map(largestNwStd).filter((x): x is number => x !== null);
  const sourceStd = stds.length ? Math.max(...stds) : null;
  if (sourceStd !== null && sourceStd < AMPLIFIER_LEARNED)
    return {
      claim,
      verdict: `Not testable here (the amplifier stayed uniform, N·w std at most ${sourceStd.toExponential(1)} over the ${source.length ? 'a + b runs that trained it' : 'frozen runs'}, below ${AMPLIFIER_LEARNED}): a uniform amplifier is matched normalization on any task, so frozen, own and matched are the same transform by construction and the test cannot fail. ${measured}.`,
      status: 'not testable',
    };
  const slower = frozen > (1 + TOLERANCE) * ownM;
  return {
    claim,
    verdict: `${measured}. Frozen/own ${Number.isFinite(frozen) && Number.isFinite(ownM) ? `${(frozen / ownM).toFixed(2)}×` : '–'}: ${slower ? 'slower by more than 25 %' : 'within 25 % — the frozen amplifier did as well'}${caveatOf(t.length)}.`,
    status: slower ? 'supported' : 'not supported',
  };
}

// ---- what the report and the view print around the verdicts ----

/** How often each arm was evaluated, as its rows record it: "every 10 steps; every 50 on poly5 (…)". */
export function cadenceText(cells: readonly PaperCell[]): string {
  const counts = new Map<number, PaperCell[]>();
  for (const c of cells) for (const e of c.evalEvery) counts.set(e, [...(counts.get(e) ?? []), c]);
  if (!counts.size) return 'evaluation cadence not recorded';
  const [main] = [...counts].sort((a, b) => b[1].length - a[1].length)[0]!;
  const others = [...counts].filter(([e]) => e !== main);
  const byTask = (cs: PaperCell[]) =>
    PAPER_TASKS.filter((t) => cs.some((c) => c.task === t))
      .map(
        (t) =>
          `${t} (${cs
            .filter((c) => c.task === t)
            .map((c) => PAPER_METHOD_LABELS[c.method])
            .join(', ')})`,
      )
      .join('; ');
  return `evaluation every ${main} steps${others.map(([e, cs]) => `; every ${e} on ${byTask(cs)}`).join('')}, as each row's config records`;
}

/** The findings section: every verdict above, tallied and listed, nothing written by hand. */
export function findingsMarkdown(cells: readonly PaperCell[], abl: Ablation, claims: readonly Claim[]): string[] {
  const withFigure = cells.filter((c) => c.paper);
  const kinds: [VerdictKind, string][] = [
    ['reproduced', 'reproduced'],
    ['close', 'within ±25 % on fewer than 3 seeds (preliminary)'],
    ['faster', 'faster than reported'],
    ['slower', 'slower than reported'],
    ['not-within', 'not within the budget'],
    ['fails-too', 'no 95 % within the budget, as the paper reports'],
    ['open', 'open (a censored seed leaves it undecided)'],
    ['not-run', 'not run or not finished'],
  ];
  const name = (c: PaperCell) => `${c.task} ${PAPER_METHOD_LABELS[c.method]}`;
  const tally = kinds
    .map(([k, label]) => ({ label, cs: withFigure.filter((c) => c.verdictKind === k) }))
    .filter((x) => x.cs.length)
    .map((x) => `   - ${x.label}: ${x.cs.length} (${x.cs.map(name).join(', ')})`);
  const refs = cells.filter((c) => c.reference);
  return [
    `1. **Table 1's ${withFigure.length} cells with a figure**, by the rule stated above the table:`,
    ...tally,
    ...refs.map(
      (c) =>
        `   - the reference code's own spread on ${name(c)}: ${c.reference!.seeds.join(', ')} (${c.reference!.source}) — ${c.reference!.verdict}.`,
    ),
    `2. **Does a learned amplifier help?** ${abl.verdict}`,
    "3. **The paper's claims:**",
    ...claims.map((c) => `   - ${c.claim} — **${c.status}**. ${c.verdict}`),
  ];
}
