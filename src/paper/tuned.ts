/**
 * "A fair comparison" (issue 31, item 4): every method at its own best learning rate (AdamW also
 * at its best decay) from a small stated grid, on the paper's a + b and a² − b mod 97, three
 * seeds each — the grid as data (sweeps/tuned.ts runs it), and the pure reduction of race rows
 * to, per (task, method), the setting the rule chooses, its steps, and how it compares with the
 * same method at the paper preset's lr. The rules are Table 1's (src/paper/verdicts.ts): a run
 * that stopped without reaching 95 % says only "more than its last step", and what such a run
 * leaves undecided is said to be open. Missing rows say "not run yet" or "partial (k of n runs)":
 * no figure here is one the rows do not show. Pure: no files, no DOM.
 */

// with their extension: the Vite config loads these modules through scripts/site-content.ts
import { markdownTable } from '../core/markdown-table.ts';
import { latestRows, type RaceRow, type UnfinishedRun } from './rows.ts';
import { PAPER_METHOD_LABELS, PAPER_TABLE1, paperArm, type PaperMethod } from './table1.ts';
import {
  boundsOf,
  censorList,
  compareArms,
  medianRange,
  openText,
  seedWord,
  TOLERANCE,
  type SeedResult,
  type UnfinishedSeed,
} from './verdicts.ts';

/** The paper's two tasks the grid runs on: its easiest and its hardest mod-97 task. */
export const TUNED_TASKS = ['add', 'sq_sub'] as const;
export type TunedTask = (typeof TUNED_TASKS)[number];

/** Table 1's five columns, then AdamW (Power et al.'s wd 1), ⊥Grad and StableMax. */
export const TUNED_METHODS = [
  'standard',
  'grokfast_ma',
  'grokfast_ema',
  'neuralgrok',
  'matched',
  'adamw',
  'orthograd',
  'stablemax',
] as const;
export type TunedMethod = (typeof TUNED_METHODS)[number];

export const TUNED_METHOD_LABELS: Record<TunedMethod, string> = {
  ...PAPER_METHOD_LABELS,
  adamw: 'AdamW',
  orthograd: '⊥Grad',
  stablemax: 'StableMax',
};

/** What each method runs as on the paper preset (its flags beyond the lr and AdamW's decay). */
export const TUNED_METHOD_NOTES: Record<TunedMethod, string> = {
  standard: 'Adam, coupled wd 1e-3 (Table 1)',
  grokfast_ma: 'GrokFast-MA at its defaults (Table 1)',
  grokfast_ema: 'GrokFast-EMA at its defaults (Table 1)',
  neuralgrok:
    'NeuralGrok at the authors’ defaults; the grid sets the model’s lr (also the virtual step of its meta-objective), not the amplifier’s (1e-4)',
  matched: 'gradnorm+norm-matched (Table 1’s ablation column)',
  adamw: 'AdamW, decoupled wd from the grid',
  orthograd: '⊥Grad then AdamW, wd 0',
  stablemax: 'StableMax loss, AdamW wd 0 (the authors’ StableMax runs)',
};

/** The paper preset's learning rate (src/config/presets.ts, PAPER) and AdamW's decay there. */
export const PAPER_LR = 1e-3;
export const PAPER_ADAMW_WD = 1;
/** ×0.3, ×1, ×3 the paper's lr: a half-decade grid around it. */
export const LR_GRID = [3e-3, 1e-3, 3e-4] as const;
/** AdamW's decoupled decay: a half-decade grid around Power et al.'s 1. */
export const ADAMW_WD_GRID = [1, 3, 0.3] as const;
export const TUNED_SEEDS = [0, 1, 2] as const;

/** The step budget of an arm without a figure in the paper: 3× Standard's figure on the task, Table 1's budget for Standard. */
export function tunedSteps(task: TunedTask): number {
  const f = PAPER_TABLE1[task].standard!;
  return 3 * ('steps' in f ? f.steps : 0);
}

/** One point of a method's grid. */
export interface GridPoint {
  lr: number;
  /** AdamW's decay; null for the methods whose decay stays their reference one. */
  weightDecay: number | null;
}

/** A method's grid, in the order its runs are scheduled: × 3 first (cheapest), the paper's point, × 0.3 last. */
export function gridOf(method: TunedMethod): GridPoint[] {
  return method === 'adamw'
    ? LR_GRID.flatMap((lr) => ADAMW_WD_GRID.map((weightDecay) => ({ lr, weightDecay })))
    : LR_GRID.map((lr) => ({ lr, weightDecay: null }));
}

/** Whether a grid point is the paper preset's own (the lr 1e-3; AdamW at wd 1). */
export const isPaperPoint = (method: TunedMethod, g: GridPoint): boolean =>
  g.lr === PAPER_LR && (method !== 'adamw' || g.weightDecay === PAPER_ADAMW_WD);

/** The race arm of a method on a task without the grid's flags. */
function baseArm(task: TunedTask, method: TunedMethod): string {
  if (method === 'adamw') return 'adamw';
  if (method === 'orthograd') return 'orthograd';
  if (method === 'stablemax') return 'adamw+weight-decay=0+loss=stablemax';
  return paperArm(task, method);
}

/**
 * The race arm of a grid point. At the paper's lr the Table 1 methods' arm is Table 1's own, so
 * its rows (bench/results/race-paper-<task>.jsonl) answer the cell instead of a second run.
 */
export function tunedArm(task: TunedTask, method: TunedMethod, g: GridPoint): string {
  return [
    baseArm(task, method),
    ...(g.lr !== PAPER_LR ? [`lr=${g.lr}`] : []),
    ...(g.weightDecay !== null ? [`weight-decay=${g.weightDecay}`] : []),
  ].join('+');
}

/** Whether the paper-lr point of a method runs in Table 1's race (its rows are reused) or in the tuned race. */
export const inTable1 = (method: TunedMethod): method is PaperMethod =>
  (PAPER_METHOD_LABELS as Record<string, string>)[method] !== undefined;

// ---- the reduction ----

export interface TunedSetting extends GridPoint {
  arm: string;
  paperPoint: boolean;
  seeds: SeedResult[];
  unfinished: UnfinishedSeed[];
  /** The median's range: censored runs at their last step (lo) and as never (hi, null: +∞); both null when not run. */
  medianLo: number | null;
  medianHi: number | null;
  /** "1 410 (s0 1 410, s1 1 590, s2 >4 950)", "partial (1 of 3 seeds): …", "not run yet". */
  text: string;
  /** The median alone: "1 410", "> 4 950", "800 (1 of 3 seeds)", "not run yet". */
  short: string;
}

export type TunedStatus = 'not-run' | 'partial' | 'complete';
export type ComparisonKind = 'not-run' | 'partial' | 'paper-best' | 'faster' | 'within' | 'reaches' | 'none-reach' | 'open';

export interface TunedCell {
  task: TunedTask;
  method: TunedMethod;
  label: string;
  settings: TunedSetting[];
  /** Finished runs of the grid, and how many it has (points × seeds). */
  runs: number;
  expectedRuns: number;
  status: TunedStatus;
  /** The chosen setting's index in `settings` (so far, when partial); null when none can be chosen. */
  chosen: number | null;
  /** Whether no run still missing or censored could change the choice. */
  decided: boolean;
  /** The choice in words ("lr 3e-3: median 900 (…)", "partial (5 of 9 runs); so far …"). */
  choice: string;
  /** The paper point's index in `settings`. */
  paperIndex: number;
  /** Tuned against the paper's lr, by the rule TUNED_RULE states. */
  comparison: string;
  comparisonKind: ComparisonKind;
}

/** The selection and comparison rules, as the report and the view state them. */
export const TUNED_RULE =
  'Each grid point runs 3 seeds (0–2) and stops at the first evaluation with val ≥ 0.95 or at its budget. A seed that stopped without reaching 95 % counts as "more than its last step" (Table 1\'s rule), so a point\'s median is a range: censored runs at their last step (low end) or never (high end). The chosen point has the lowest high end; a point whose median is censored (most seeds did not reach 95 %) can never be chosen; ties go to the paper\'s point, then the lower lr. The choice is "decided" when no other point\'s low end lies below the chosen median, else "open (censored at N)". Tuned against the paper\'s lr: "faster when tuned" when the tuned median lies below the paper-lr median\'s low end by more than Table 1\'s ±25 % band, "within ±25 %" otherwise; a grid with missing runs says "partial (k of n runs)" and its choice is only "so far". The choice and the figure it reports come from the same seeds (no held-out seeds), which favours the chosen point slightly.';

const num = (n: number) => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
const lrText = (lr: number) => lr.toExponential(0);
/** "lr 3e-3", "lr 1e-3, wd 1". */
export const pointText = (g: GridPoint) => `lr ${lrText(g.lr)}${g.weightDecay !== null ? `, wd ${g.weightDecay}` : ''}`;

/** A median range in words: "1 410"; "> 4 950" when censored runs leave it open above; "1 200–1 410" between two finite ends. */
function medianText(lo: number | null, hi: number | null): string {
  if (lo === null) return '–';
  if (hi === null) return `> ${num(lo)}`;
  return lo === hi ? num(lo) : `${num(lo)}–${num(hi)}`;
}

const seedsText = (s: { seeds: readonly SeedResult[]; unfinished: readonly UnfinishedSeed[] }) =>
  [
    ...s.seeds.map((x) => `s${x.seed} ${x.stepsTo95 !== null ? num(x.stepsTo95) : `>${num(x.steps)}`}`),
    ...s.unfinished.map((u) => `s${u.seed} unfinished at ${num(u.step)}`),
  ].join(', ');

function settingOf(
  task: TunedTask,
  method: TunedMethod,
  g: GridPoint,
  rows: readonly RaceRow[],
  unfinished: readonly UnfinishedRun[],
): TunedSetting {
  const arm = tunedArm(task, method, g);
  const seeds: SeedResult[] = rows
    .filter((r) => r.task === task && r.arm === arm && (TUNED_SEEDS as readonly number[]).includes(r.seed))
    .map((r) => ({ seed: r.seed, stepsTo95: r.stepsTo95, steps: r.steps }));
  const cut: UnfinishedSeed[] = unfinished
    .filter((u) => u.task === task && u.arm === arm && !seeds.some((s) => s.seed === u.seed))
    .map((u) => ({ seed: u.seed, step: u.step, budget: u.budget, valAcc: u.valAcc }));
  const ran = seeds.length + cut.length;
  const range = ran ? medianRange(boundsOf(seeds, cut)) : null;
  const lo = range && Number.isFinite(range.lo) ? range.lo : null;
  const hi = range && Number.isFinite(range.hi) ? range.hi : null;
  const n = TUNED_SEEDS.length;
  const text = !ran
    ? 'not run yet'
    : seeds.length < n
      ? `partial (${seeds.length} of ${n} seeds): ${seedsText({ seeds, unfinished: cut })}`
      : `${medianText(lo, hi)} (${seedsText({ seeds, unfinished: cut })})`;
  const short = !ran ? 'not run yet' : `${medianText(lo, hi)}${seeds.length < n ? ` (${seeds.length} of ${n} seeds)` : ''}`;
  return { ...g, arm, paperPoint: isPaperPoint(method, g), seeds, unfinished: cut, medianLo: lo, medianHi: hi, text, short };
}

/** The index of the point the rule chooses among the run ones, and whether it is decided. */
export function choose(settings: readonly TunedSetting[]): { index: number | null; decided: boolean; open: number[] } {
  const run = settings.map((s, i) => ({ s, i })).filter(({ s }) => s.seeds.length + s.unfinished.length > 0);
  const candidates = run.filter(({ s }) => s.medianHi !== null);
  if (!candidates.length) return { index: null, decided: false, open: [] };
  const best = [...candidates].sort(
    (a, b) =>
      a.s.medianHi! - b.s.medianHi! ||
      a.s.medianLo! - b.s.medianLo! ||
      Number(b.s.paperPoint) - Number(a.s.paperPoint) ||
      a.s.lr - b.s.lr ||
      (a.s.weightDecay ?? 0) - (b.s.weightDecay ?? 0),
  )[0]!;
  const hi = best.s.medianHi!;
  // another point could still end below (or level with) the chosen median: its low end is there and it is not settled
  const rivals = run.filter(({ s, i }) => i !== best.i && s.medianLo! <= hi && s.medianHi !== s.medianLo);
  return {
    index: best.i,
    decided: !rivals.length,
    open: censorList(rivals.flatMap(({ s }) => boundsOf(s.seeds, s.unfinished)).filter((b) => b.lo <= hi)),
  };
}

function compare(cell: Omit<TunedCell, 'comparison' | 'comparisonKind'>): { comparison: string; comparisonKind: ComparisonKind } {
  if (cell.status === 'not-run') return { comparison: 'not run yet', comparisonKind: 'not-run' };
  const paper = cell.settings[cell.paperIndex]!;
  const partial = `partial (${cell.runs} of ${cell.expectedRuns} runs)`;
  if (cell.status === 'partial') return { comparison: partial, comparisonKind: 'partial' };
  if (cell.chosen === null) {
    const budget = Math.max(...cell.settings.flatMap((s) => s.seeds.map((x) => x.steps)));
    return {
      comparison: `no point of the grid reached 95 % on most seeds within its budget (up to ${num(budget)} steps)`,
      comparisonKind: 'none-reach',
    };
  }
  const best = cell.settings[cell.chosen]!;
  if (!cell.decided) return { comparison: `${openText(choose(cell.settings).open)}: the choice is not settled`, comparisonKind: 'open' };
  if (cell.chosen === cell.paperIndex) return { comparison: 'the paper’s lr is the grid’s best', comparisonKind: 'paper-best' };
  const t = best.medianHi!;
  if (paper.medianHi === null)
    return {
      comparison: `tuned (${pointText(best)}) reaches 95 % in ${num(t)} steps (median) where the paper’s lr does not within ${num(paper.medianLo!)} on most seeds`,
      comparisonKind: 'reaches',
    };
  const ratio = (t / paper.medianHi).toFixed(2);
  return t < (1 - TOLERANCE) * paper.medianLo!
    ? {
        comparison: `faster when tuned (${pointText(best)}): ${num(t)} against ${num(paper.medianHi)} at the paper’s lr (${ratio}×)`,
        comparisonKind: 'faster',
      }
    : {
        comparison: `within ±25 % of the paper’s lr (${pointText(best)}: ${num(t)} against ${num(paper.medianHi)}, ${ratio}×): tuning changes little`,
        comparisonKind: 'within',
      };
}

/**
 * The tuned table from rows of the Table 1 and tuned races (`race-paper-<task>.jsonl`,
 * `race-tuned-<task>.jsonl`) and the runs that started and did not finish. Rows of other
 * presets or `--set`s (their key says so) do not count.
 */
export function tunedTable(rows: readonly RaceRow[], unfinished: readonly UnfinishedRun[] = []): TunedCell[] {
  const paperRows = latestRows(rows.filter((r) => !r.key || (r.key.startsWith('paper|') && r.key.split('|')[3] === '')));
  return TUNED_TASKS.flatMap((task) =>
    TUNED_METHODS.map((method): TunedCell => {
      const settings = gridOf(method).map((g) => settingOf(task, method, g, paperRows, unfinished));
      const expectedRuns = settings.length * TUNED_SEEDS.length;
      const runs = settings.reduce((n, s) => n + s.seeds.length, 0);
      const started = settings.some((s) => s.seeds.length + s.unfinished.length > 0);
      const status: TunedStatus = !started ? 'not-run' : runs < expectedRuns ? 'partial' : 'complete';
      const { index, decided } = choose(settings);
      const chosen = index;
      const best = chosen === null ? null : settings[chosen]!;
      const bestText = best ? `${pointText(best)}: median ${best.text}` : '';
      const choice =
        status === 'not-run'
          ? 'not run yet'
          : status === 'partial'
            ? `partial (${runs} of ${expectedRuns} runs)${best ? `; so far ${bestText}` : '; no point has reached 95 % on most of its seeds so far'}`
            : best
              ? `${bestText}${decided ? '' : ` — ${openText(choose(settings).open)}`}`
              : 'none: no point reached 95 % on most seeds';
      const paperIndex = settings.findIndex((s) => s.paperPoint);
      const cell = {
        task,
        method,
        label: TUNED_METHOD_LABELS[method],
        settings,
        runs,
        expectedRuns,
        status,
        chosen,
        decided: status === 'complete' && decided,
        choice,
        paperIndex,
      };
      return { ...cell, ...compare(cell) };
    }),
  );
}

/** A tuned cell of (task, method); every table has all of them. */
export const tunedCellOf = (cells: readonly TunedCell[], task: TunedTask, method: TunedMethod): TunedCell =>
  cells.find((c) => c.task === task && c.method === method)!;

/**
 * What changes when every method is tuned, per task: the methods ranked by median at the paper's
 * lr and at their own best point, and each method against Standard both ways (Table 1's median
 * comparison, censoring-aware). Only complete grids are ranked; the rest are named as waiting.
 */
export function tunedChanges(cells: readonly TunedCell[], task: TunedTask): string[] {
  const own = cells.filter((c) => c.task === task);
  const waiting = own.filter((c) => c.status !== 'complete');
  const done = own.filter((c) => c.status === 'complete');
  const lines: string[] = [];
  const rank = (pick: (c: TunedCell) => TunedSetting | null) =>
    done
      .map((c) => ({ c, s: pick(c) }))
      .map(({ c, s }) => ({ label: c.label, lo: s?.medianLo ?? Infinity, hi: s?.medianHi ?? null }))
      .sort((a, b) => (a.hi ?? Infinity) - (b.hi ?? Infinity) || a.lo - b.lo)
      .map((x) => `${x.label} ${x.hi !== null ? num(x.hi) : Number.isFinite(x.lo) ? `> ${num(x.lo)}` : '–'}`)
      .join(' · ');
  if (done.length >= 2) {
    lines.push(`At the paper's lr, by median steps to 95 %: ${rank((c) => c.settings[c.paperIndex]!)}.`);
    lines.push(`Each at its own best point: ${rank((c) => (c.chosen === null ? null : c.settings[c.chosen]!))}.`);
    const std = done.find((c) => c.method === 'standard');
    if (std) {
      const against = (s: TunedSetting | null, t: TunedSetting | null) => {
        if (!s || !t) return 'no median';
        const r = compareArms({ seeds: s.seeds, unfinished: s.unfinished }, { seeds: t.seeds, unfinished: t.unfinished });
        const ratio = s.medianHi !== null && t.medianHi !== null ? ` (${(s.medianHi / t.medianHi).toFixed(2)}×)` : '';
        return `${r.result === 'a' ? 'faster' : r.result === 'b' ? 'slower' : r.result === 'tie' ? 'level' : r.text}${ratio}`;
      };
      for (const c of done.filter((x) => x.method !== 'standard'))
        lines.push(
          `${c.label} against Standard: at the paper's lr ${against(c.settings[c.paperIndex]!, std.settings[std.paperIndex]!)}; both tuned ${against(c.chosen === null ? null : c.settings[c.chosen]!, std.chosen === null ? null : std.settings[std.chosen]!)}.`,
        );
    }
  }
  if (waiting.length)
    lines.push(
      `Not ranked yet (their grids are not complete): ${waiting.map((c) => `${c.label} — ${c.status === 'not-run' ? 'not run yet' : `partial (${c.runs} of ${c.expectedRuns} runs)`}`).join('; ')}.`,
    );
  return lines;
}

/** The grid in words, for the report and the view. */
export function gridText(): string {
  return `lr ∈ {${LR_GRID.map(lrText).join(', ')}} (×3, ×1, ×0.3 the paper preset's ${lrText(PAPER_LR)}) for every method; AdamW also wd ∈ {${ADAMW_WD_GRID.join(', ')}} (decoupled). ${seedWord(TUNED_SEEDS.length)} each`;
}

/** The tuned section of docs/results.md (scripts/table1-report.ts writes it between its markers). */
export function tunedMarkdown(cells: readonly TunedCell[], changes: Record<string, string[]>, conditions: string): string[] {
  const TASK_NAMES: Record<TunedTask, string> = { add: 'a + b', sq_sub: 'a² − b' };
  const paperOf = (c: TunedCell) => c.settings[c.paperIndex]!;
  return [
    '## Each method at its own best learning rate (generated by `npx tsx scripts/table1-report.ts` from src/paper/tuned.ts)',
    '',
    `Issue 31, item 4: Table 1 compares every method at the paper preset's lr 1e-3. Here each method runs a small grid — ${gridText()} — on the paper's model and protocol otherwise (src/config/presets.ts \`paper\`: batch 512, β 0.9/0.98, warm-up 10; evaluation every 10 steps, stop at val ≥ 0.95; budget 3× the paper's figure, methods without one 3× Standard's: ${TUNED_TASKS.map((t) => `${num(tunedSteps(t))} on ${TASK_NAMES[t]}`).join(', ')}). What each method runs as: ${TUNED_METHODS.map((m) => `${TUNED_METHOD_LABELS[m]} — ${TUNED_METHOD_NOTES[m]}`).join('; ')}. The Table 1 methods' paper-lr points are Table 1's rows, not rerun. Command: \`npm run sweep -- run sweeps/tuned.ts --jobs 2\` (resumable; \`--dry-run\` lists what is left), then \`npm run sweep -- report sweeps/tuned.ts\`.`,
    '',
    `Rule (src/paper/tuned.ts): ${TUNED_RULE}`,
    '',
    `Rows: ${conditions}`,
    '',
    markdownTable(
      [
        'task',
        'method',
        'grid runs',
        'chosen point',
        'its median (per seed)',
        "at the paper's lr (per seed)",
        "tuned against the paper's lr",
      ],
      cells.map((c) => [
        TASK_NAMES[c.task],
        c.label,
        `${c.runs} of ${c.expectedRuns}`,
        c.status === 'complete' ? (c.chosen === null ? 'none' : pointText(c.settings[c.chosen]!) + (c.decided ? '' : ' (open)')) : c.choice,
        c.status === 'complete' && c.chosen !== null ? c.settings[c.chosen]!.text : '–',
        paperOf(c).text,
        c.comparison,
      ]),
    ),
    '',
    ...TUNED_TASKS.flatMap((t) => [
      `**What changes when every method is tuned, ${TASK_NAMES[t]}.** ${(changes[t] ?? []).join(' ') || 'Nothing to rank yet.'}`,
      '',
    ]),
    '<details><summary>Every point of the grid</summary>',
    '',
    markdownTable(
      ['task', 'method', 'point', 'arm', 'median steps to 95 % (per seed)'],
      cells.flatMap((c) =>
        c.settings.map((s) => [TASK_NAMES[c.task], c.label, pointText(s) + (s.paperPoint ? " (paper's)" : ''), '`' + s.arm + '`', s.text]),
      ),
    ),
    '',
    '</details>',
  ];
}
