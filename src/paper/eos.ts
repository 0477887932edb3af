/**
 * "Their figure, reproduced" (issue 31, item 3): Prieto, Barsbey, Mediano & Birdal's settings
 * (Grokking at the Edge of Numerical Stability, ICLR 2025; their run_main_experiments.sh) as
 * data — the flags bench/eos_reference.py gives their own code, and the GrokLab race arm and
 * `--set` that come closest (sweeps/eos.ts runs them) — and the pure reduction of both sides'
 * rows to a side-by-side table: steps to val ≥ 0.95 per seed, the zero-gradient share (softmax
 * collapse), and a verdict by Table 1's rules (src/paper/verdicts.ts) with their code's median in
 * place of the paper's figure. Missing rows say "not run yet" or how many seeds there are.
 * Every difference between their models and ours: docs/no-weight-decay.md. Pure.
 */

// with their extension: the Vite config may load these modules through scripts/site-content.ts
import { SOFTMAX_COLLAPSE_THRESHOLD } from '../core/collapse.ts';
import { markdownTable } from '../core/markdown-table.ts';
import { medianSteps } from '../core/stats.ts';
import { latestRows, type RaceRow, type UnfinishedRun } from './rows.ts';
import type { PaperFigure } from './table1.ts';
import { caveatOf, cellVerdict, seedWord, type SeedResult, type UnfinishedSeed, type VerdictKind } from './verdicts.ts';

export const EOS_SEEDS = [0, 1, 2] as const;

/** GrokLab's side of a model: its `--set` (every arm of the race) and evaluation interval. */
export const EOS_MODELS = {
  // their MLP: one-hot a ⊕ b → 200 → 200 → 113, ReLU, no biases; a + b mod 113, 40 % training, full batch, no warm-up
  mlp: { set: 'model=mlp;p=113;train-fraction=0.4;batch-size=8192;layers=2;d-model=200;warmup-steps=0', evalEvery: 10 },
  // their nn.TransformerEncoder (1 layer, d 128, 4 heads) as close as GrokLab's decoder allows
  transformer: { set: 'p=113;train-fraction=0.4;batch-size=8192;layers=1;d-model=128;heads=4;warmup-steps=0', evalEvery: 50 },
} as const;
export type EosModel = keyof typeof EOS_MODELS;

export type EosArm = 'orthograd' | 'adamw-wd0' | 'adamw-wd1.5' | 'stablemax';
export const EOS_ARM_LABELS: Record<EosArm, string> = {
  orthograd: '⊥AdamW',
  'adamw-wd0': 'AdamW wd 0',
  'adamw-wd1.5': 'AdamW wd 1.5',
  stablemax: 'StableMax (AdamW wd 0)',
};

export interface EosSetting {
  /** The `setting` of their rows (bench/results/eos-reference.jsonl). */
  id: string;
  model: EosModel;
  arm: EosArm;
  /** Where the setting comes from: a line of their run_main_experiments.sh, or why it was added. */
  source: string;
  /** Their flags as bench/eos_reference.py passes them (then `--log_frequency`, `--device cpu`, `--seed`). */
  theirFlags: string;
  /** Full-batch epochs = steps, on both sides. */
  epochs: number;
  /** Their logger's interval in epochs (eos_reference.py), and ours in steps. */
  logEvery: number;
  /** GrokLab's race arm (with the model's `--set`). */
  ourArm: string;
}

/**
 * Their ⊥AdamW: their script builds the inner AdamW from lr and weight decay only and loads the
 * plain optimizer's state into the wrapper, which replaces the wrapper's parameter groups but not
 * the inner optimizer's (torch's Optimizer.load_state_dict) — so the step runs at torch's AdamW
 * defaults, β₂ 0.999 and ε 1e-8, whatever `--beta2` says (docs/decisions.md, issue 31). Our ⊥Grad
 * arms take those values; bench/eos_reference.py records what their optimizer really held.
 */
const THEIR_ORTHO = 'beta2=0.999+eps=1e-8';
/** Their plain AdamW: `--beta2` (default 0.99) and ε 1e-25; GrokLab's ε cannot go below 1e-12. */
const THEIR_ADAMW = (beta2: number) => `beta2=${beta2}+eps=1e-12`;

export const EOS_SETTINGS: readonly EosSetting[] = [
  {
    id: 'mlp-orthograd-fig1',
    model: 'mlp',
    arm: 'orthograd',
    source: 'their figure 1',
    theirFlags: '--lr 0.01 --num_epochs 300 --train_fraction 0.4 --beta2 0.99 --orthogonal_gradients',
    epochs: 300,
    logEvery: 10,
    ourArm: `orthograd+lr=0.01+weight-decay=0+${THEIR_ORTHO}`,
  },
  {
    id: 'mlp-adamw-fig6',
    model: 'mlp',
    arm: 'adamw-wd0',
    source: 'their figure 6',
    theirFlags: '--lr 0.005 --num_epochs 500 --train_fraction 0.4',
    epochs: 500,
    logEvery: 10,
    ourArm: `adamw+lr=0.005+weight-decay=0+${THEIR_ADAMW(0.99)}`,
  },
  {
    id: 'mlp-orthograd-fig6',
    model: 'mlp',
    arm: 'orthograd',
    source: 'their figure 6',
    theirFlags: '--lr 0.005 --num_epochs 500 --train_fraction 0.4 --orthogonal_gradients',
    epochs: 500,
    logEvery: 10,
    ourArm: `orthograd+lr=0.005+weight-decay=0+${THEIR_ORTHO}`,
  },
  {
    id: 'mlp-adamw-wd1.5',
    model: 'mlp',
    arm: 'adamw-wd1.5',
    source: 'not in their script: figure 6’s MLP run with the transformer’s wd 1.5, for the four arms the issue asks',
    theirFlags: '--lr 0.005 --num_epochs 500 --train_fraction 0.4 --weight_decay 1.5',
    epochs: 500,
    logEvery: 10,
    ourArm: `adamw+lr=0.005+weight-decay=1.5+${THEIR_ADAMW(0.99)}`,
  },
  {
    id: 'mlp-stablemax-fig1',
    model: 'mlp',
    arm: 'stablemax',
    source: 'their figure 1, cut to 3 000 of its 80 000 epochs (a CPU budget)',
    theirFlags: '--lr 0.01 --num_epochs 3000 --train_fraction 0.4 --loss_function stablemax --beta2 0.999',
    epochs: 3000,
    logEvery: 50,
    ourArm: `adamw+lr=0.01+weight-decay=0+${THEIR_ADAMW(0.999)}+loss=stablemax`,
  },
  {
    id: 'transformer-orthograd-fig6',
    model: 'transformer',
    arm: 'orthograd',
    source: 'their figure 6',
    theirFlags: '--lr 0.001 --num_epochs 5000 --train_fraction 0.4 --orthogonal_gradients --use_transformer',
    epochs: 5000,
    logEvery: 50,
    ourArm: `orthograd+lr=0.001+weight-decay=0+${THEIR_ORTHO}`,
  },
  {
    id: 'transformer-adamw-fig6',
    model: 'transformer',
    arm: 'adamw-wd0',
    source: 'their figure 6',
    theirFlags: '--lr 0.001 --num_epochs 5000 --train_fraction 0.4 --use_transformer',
    epochs: 5000,
    logEvery: 50,
    ourArm: `adamw+lr=0.001+weight-decay=0+${THEIR_ADAMW(0.99)}`,
  },
  {
    id: 'transformer-adamw-wd1.5-fig6',
    model: 'transformer',
    arm: 'adamw-wd1.5',
    source: 'their figure 6',
    theirFlags: '--lr 0.001 --num_epochs 5000 --train_fraction 0.4 --use_transformer --weight_decay 1.5',
    epochs: 5000,
    logEvery: 50,
    ourArm: `adamw+lr=0.001+weight-decay=1.5+${THEIR_ADAMW(0.99)}`,
  },
  {
    id: 'transformer-stablemax',
    model: 'transformer',
    arm: 'stablemax',
    source: 'not in their script: figure 6’s transformer run with their StableMax loss, for the four arms the issue asks',
    theirFlags: '--lr 0.001 --num_epochs 5000 --train_fraction 0.4 --use_transformer --loss_function stablemax',
    epochs: 5000,
    logEvery: 50,
    ourArm: `adamw+lr=0.001+weight-decay=0+${THEIR_ADAMW(0.99)}+loss=stablemax`,
  },
];

/** GrokLab's races: one per (model, budget), as `race-<name>.jsonl`, in the order they run (cheapest first). */
export function eosRaces(): { name: string; model: EosModel; steps: number; arms: string[] }[] {
  const groups = new Map<string, { name: string; model: EosModel; steps: number; arms: string[] }>();
  for (const s of EOS_SETTINGS) {
    const name = s.model === 'mlp' ? `eos-mlp-${s.epochs}` : `eos-${s.model}`;
    const g = groups.get(name) ?? groups.set(name, { name, model: s.model, steps: s.epochs, arms: [] }).get(name)!;
    if (!g.arms.includes(s.ourArm)) g.arms.push(s.ourArm);
  }
  return [...groups.values()].sort((a, b) => Number(a.model === 'transformer') - Number(b.model === 'transformer') || a.steps - b.steps);
}

// ---- the reduction ----

/** One line of bench/results/eos-reference.jsonl (bench/eos_reference.py). */
export interface EosReferenceRow {
  setting: string;
  seed: number;
  epochs: number;
  logEvery: number;
  epochsToVal95: number | null;
  epochsToTrain99?: number | null;
  finalValAcc?: number;
  /** Their `softmax_collapse` per logged epoch: [epoch, share]. */
  collapse?: [number, number][];
  referenceCommit?: string | null;
  /** What their optimizer held after the run (rows written since this field). */
  effectiveOptimizer?: Record<string, unknown>;
}

/** Rows of a JSONL text; a line that does not parse is skipped. */
export function parseReferenceLines(text: string): EosReferenceRow[] {
  return text.split('\n').flatMap((l) => {
    if (!l.trim()) return [];
    try {
      const r = JSON.parse(l) as EosReferenceRow;
      return typeof r.setting === 'string' && Number.isInteger(r.seed) ? [r] : [];
    } catch {
      return [];
    }
  });
}

export interface EosSide {
  seeds: SeedResult[];
  unfinished: UnfinishedSeed[];
  /** "s0 100, s1 120, s2 110" (">300": not within its budget), or "not run yet". */
  text: string;
  /** The largest zero-gradient share over the seeds, and where it first reached the collapse threshold; "–" when not measured. */
  collapse: string;
}

export interface EosLine {
  setting: EosSetting;
  theirs: EosSide;
  ours: EosSide;
  /** Their code's median as the figure Table 1's rule weighs our seeds against (null: no reference row yet). */
  figure: PaperFigure | null;
  verdict: string;
  kind: VerdictKind | 'no-reference';
}

const num = (n: number) => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
const seedsText = (seeds: readonly SeedResult[], unfinished: readonly UnfinishedSeed[]) =>
  [
    ...seeds.map((s) => `s${s.seed} ${s.stepsTo95 !== null ? num(s.stepsTo95) : `>${num(s.steps)}`}`),
    ...unfinished.map((u) => `s${u.seed} unfinished at ${num(u.step)}`),
  ].join(', ') || 'not run yet';

/** The largest share over the seeds' series ([step, share] each), and the first step it reached the threshold. */
function collapseText(series: { seed: number; points: [number, number][] }[]): string {
  const measured = series.filter((s) => s.points.length);
  if (!measured.length) return '–';
  const max = Math.max(...measured.flatMap((s) => s.points.map(([, v]) => v)));
  const first = measured
    .flatMap((s) => {
      const hit = s.points.find(([, v]) => v >= SOFTMAX_COLLAPSE_THRESHOLD);
      return hit ? [{ seed: s.seed, step: hit[0] }] : [];
    })
    .map((h) => `s${h.seed} @ ${num(h.step)}`);
  return `max ${Number(max.toPrecision(3))}${first.length ? `; ≥ ${SOFTMAX_COLLAPSE_THRESHOLD} from ${first.join(', ')}` : ''} (${seedWord(measured.length)})`;
}

/** Our verdict, by Table 1's rule (cellVerdict) with their code's median as the figure, in words about their code. */
function verdictOf(figure: PaperFigure | null, ours: EosSide, refSeeds: number): { verdict: string; kind: EosLine['kind'] } {
  if (!ours.seeds.length && !ours.unfinished.length) return { verdict: 'not run yet', kind: 'not-run' };
  if (!figure) return { verdict: 'no run of their code yet to compare with', kind: 'no-reference' };
  const { verdict, kind } = cellVerdict(figure, ours.seeds, ours.unfinished);
  const caveat = caveatOf(ours.seeds.length);
  const ref = refSeeds < EOS_SEEDS.length ? ` (their code: ${seedWord(refSeeds)})` : '';
  const budget = Math.max(0, ...ours.seeds.map((s) => s.steps));
  const theirs = 'steps' in figure ? `their median ${num(figure.steps)}` : `their code not within ${num(figure.failsWithin)}`;
  const text: Partial<Record<VerdictKind, string>> = {
    reproduced: `reproduced: our seeds' range overlaps ${theirs} ±25 %`,
    close: `within ±25 % of ${theirs}${caveat}`,
    faster:
      'steps' in figure
        ? `faster than their code (${theirs})${caveat}`
        : `reached 95 % where their code did not within ${num(figure.failsWithin)}${caveat}`,
    slower: `slower than their code (${theirs})${caveat}`,
    'not-within': `median not within ${num(budget)} steps where ${theirs}${caveat}`,
    'fails-too': `not within ${num(budget)} steps, as their code${caveat}`,
  };
  // a seed of ours that never got there is named, whatever the median says
  const missed = kind === 'fails-too' || kind === 'not-within' ? [] : ours.seeds.filter((x) => x.stepsTo95 === null);
  const misses = missed.length ? `; ${missed.map((x) => `s${x.seed}`).join(', ')} not within ${num(budget)}` : '';
  return { verdict: (text[kind] ?? verdict) + misses + ref, kind };
}

/**
 * The side-by-side table from their code's rows and GrokLab's (rows of the `race-eos-*.jsonl`
 * files and the runs in progress). A row of ours counts for a setting when its arm and `--set`
 * (in its key) are the setting's.
 */
export function eosTable(
  reference: readonly EosReferenceRow[],
  rows: readonly RaceRow[],
  unfinished: readonly UnfinishedRun[] = [],
): EosLine[] {
  const ours = latestRows(rows.filter((r) => r.task === 'add'));
  return EOS_SETTINGS.map((setting): EosLine => {
    const set = EOS_MODELS[setting.model].set;
    const inSetting = (key: string | undefined, arm: string) => arm === setting.ourArm && key?.split('|')[3] === set;
    // their rows: the newest per seed
    const refs = [...new Map(reference.filter((r) => r.setting === setting.id).map((r) => [r.seed, r])).values()].sort(
      (a, b) => a.seed - b.seed,
    );
    const theirSeeds: SeedResult[] = refs.map((r) => ({ seed: r.seed, stepsTo95: r.epochsToVal95, steps: r.epochs }));
    const mine = ours.filter((r) => inSetting(r.key, r.arm));
    const mySeeds: SeedResult[] = mine.map((r) => ({ seed: r.seed, stepsTo95: r.stepsTo95, steps: r.steps }));
    const myCut: UnfinishedSeed[] = unfinished
      .filter((u) => u.task === 'add' && u.arm === setting.ourArm && !mySeeds.some((s) => s.seed === u.seed))
      .map((u) => ({ seed: u.seed, step: u.step, budget: u.budget, valAcc: u.valAcc }));
    const median = medianSteps(theirSeeds.map((s) => s.stepsTo95));
    const figure: PaperFigure | null = !theirSeeds.length
      ? null
      : Number.isFinite(median)
        ? { steps: median }
        : { failsWithin: setting.epochs };
    const theirs: EosSide = {
      seeds: theirSeeds,
      unfinished: [],
      text: seedsText(theirSeeds, []),
      collapse: collapseText(refs.map((r) => ({ seed: r.seed, points: r.collapse ?? [] }))),
    };
    const our: EosSide = {
      seeds: mySeeds,
      unfinished: myCut,
      text: seedsText(mySeeds, myCut),
      collapse: collapseText(
        mine.map((r) => {
          const c = (r.curve as { collapseFraction?: (number | null)[] } | undefined)?.collapseFraction ?? [];
          const steps = r.curve?.step ?? [];
          return {
            seed: r.seed,
            points: c.flatMap((v, i) => (v === null || steps[i] === undefined ? [] : [[steps[i]!, v] as [number, number]])),
          };
        }),
      ),
    };
    return { setting, theirs, ours: our, figure, ...verdictOf(figure, our, theirSeeds.length) };
  });
}

/** The generated side-by-side section of docs/no-weight-decay.md (scripts/table1-report.ts writes it between its markers). */
export function eosMarkdown(lines: readonly EosLine[]): string[] {
  const theirRuns = lines.reduce((n, l) => n + l.theirs.seeds.length, 0);
  const ourRuns = lines.reduce((n, l) => n + l.ours.seeds.length, 0);
  const all = lines.length * EOS_SEEDS.length;
  return [
    '## Their code against GrokLab, side by side (generated by `npx tsx scripts/table1-report.ts` from src/paper/eos.ts)',
    '',
    `Steps (their full-batch epochs) to val ≥ 0.95 per seed, a + b mod 113, train fraction 0.4, full batch. Their code: \`python3 bench/eos_reference.py --repo <their checkout> --out bench/results/eos-reference.jsonl --seeds 0 1 2\` (${theirRuns} of ${all} runs so far). GrokLab: \`npm run sweep -- run sweeps/eos.ts --jobs 2\` (${ourRuns} of ${all} runs so far; stop at the first evaluation with val ≥ 0.95, every 10 steps on the MLP, 50 on the transformer). "Collapse": the largest share of training rows whose float32 loss gradient is exactly 0 (theirs: their logger's \`softmax_collapse\`, Σ exp(x − max) = 1), and the first step it reached ${SOFTMAX_COLLAPSE_THRESHOLD}. Verdict: Table 1's rule (src/paper/verdicts.ts) with their code's median in place of the paper's figure (their median not within the budget: "fails"); "not run yet" where either side has no row. The settings' sources and our flags are listed below the table; every difference between the models is listed after it.`,
    '',
    markdownTable(
      ['model', 'arm', 'their setting', 'their code (per seed)', 'their collapse', 'GrokLab (per seed)', 'GrokLab collapse', 'verdict'],
      lines.map((l) => [
        l.setting.model,
        EOS_ARM_LABELS[l.setting.arm],
        `\`${l.setting.id}\``,
        l.theirs.text,
        l.theirs.collapse,
        l.ours.text,
        l.ours.collapse,
        l.verdict,
      ]),
    ),
    '',
    markdownTable(
      ['setting', 'source', 'their flags', 'GrokLab arm (with the model’s `--set`)'],
      lines.map((l) => [
        `\`${l.setting.id}\``,
        l.setting.source,
        `\`${l.setting.theirFlags}\``,
        `\`${l.setting.ourArm}\` on \`${EOS_MODELS[l.setting.model].set}\``,
      ]),
    ),
  ];
}
