/**
 * The paper's claims beyond Table 1, each checked against our cells, the ablation and the claim
 * races (issue 18, item 4; `race-claim-*.jsonl`): NeuralGrok first on every task and on the
 * harder ones, the learned amplifier against matched normalization, whether it learns at all,
 * robustness to c, lower AGE, stability after grokking, transfer — and poly5's two (poly5.ts).
 * Each verdict states its rule in its text. Pure.
 */
import { medianSteps } from '../core/stats.ts';
import { dropsAfterGrokking } from '../core/slingshots.ts';
import { AMPLIFIER_LEARNED, AMPLIFIER_MOVED, LEARNED_FRACTION, largestNwStd } from './amplifier.ts';
import { collapseText, type Ablation, type AblationArm } from './ablation.ts';
import { poly5NormClaim, poly5SpeedupClaim } from './poly5.ts';
import { latestRows, type RaceRow } from './rows.ts';
import { cellOf, type PaperCell } from './table.ts';
import { PAPER_METHOD_LABELS, PAPER_TASKS, type PaperMethod } from './table1.ts';
import { caveatOf, type Claim, compareArms, MIN_SEEDS, seedWord, TOLERANCE } from './verdicts.ts';

export type { Claim } from './verdicts.ts';

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

// ---- (e) limited transfer ----

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
