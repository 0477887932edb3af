/**
 * poly5 (a·c + b·d − e mod 7), the paper's hardest task: its runs at equal budgets (issue 28,
 * item 3), the headline speed-up claim (NeuralGrok against GrokFast-MA) and whether
 * normalization alone generalizes where Standard fails. Pure.
 */
import type { RaceRow } from './rows.ts';
import { cellOf, type PaperCell } from './table.ts';
import { PAPER_TABLE1 } from './table1.ts';
import {
  boundsOf,
  caveatOf,
  type Claim,
  type compareArms,
  censorList,
  medianRange,
  MIN_SEEDS,
  openText,
  seedWord,
  TOLERANCE,
} from './verdicts.ts';

/** The steps at which the poly5 table shows every run's val accuracy. */
export const POLY5_MILESTONES = [2000, 5000, 10000, 15000] as const;
/** A poly5 run is settled when it reached 95 % or ran this many steps. */
export const POLY5_SETTLED_STEPS = 15000;
/** The paper's headline speed-up on poly5: GrokFast-MA 8 853 / NeuralGrok 1 896 steps. */
const figure = (method: 'grokfast_ma' | 'neuralgrok'): number => {
  const f = PAPER_TABLE1.poly5[method];
  if (!f || !('steps' in f)) throw new Error(`Table 1 has no poly5 ${method} figure`);
  return f.steps;
};
/** The paper's headline speed-up on poly5, from Table 1: GrokFast-MA's steps over NeuralGrok's. */
export const POLY5_PAPER_SPEEDUP = figure('grokfast_ma') / figure('neuralgrok');
/** 8853 → "8 853", as the claim prints the paper's figures. */
const spaced = (n: number) => n.toLocaleString('en').replaceAll(',', ' ');

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
  const claim = `NeuralGrok groks a·c + b·d − e (poly5) up to ${POLY5_PAPER_SPEEDUP.toFixed(2)}× sooner than GrokFast-MA (${spaced(figure('neuralgrok'))} vs ${spaced(figure('grokfast_ma'))} steps)`;
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

export function poly5NormClaim(cells: readonly PaperCell[]): Claim {
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
