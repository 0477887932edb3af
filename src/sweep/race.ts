/**
 * A race, as bench/grok-race.ts and the sweeps (src/sweep) both run it: its step budget rule
 * (`--budget-x` × the paper's figure), the key its rows carry in `bench/results/race-<name>.jsonl`
 * (`preset|task|arm|set|seed|budget|eval|stop`), which stored row answers a run, the CLI
 * arguments of one run, and the row a finished run becomes.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AMPLIFIER_KEYS, type AmplifierKey } from '../core/metrics';
import { GROKFAST_README, PAPER_TABLE1, type PaperMethod, type PaperTask } from '../paper/table1';
import { armArgs } from './arms';

/** The softmax-collapse series a row keeps when its run measured them. */
const COLLAPSE_KEYS = ['collapseFraction', 'nlmCosine'] as const;

/** What decides a race's runs (the race runner's flags, a sweep file's race). */
export interface RaceRule {
  preset: string;
  /** The `--set` text as written (`p=7;layers=4`): it is part of the key. */
  set: string;
  /** Steps of an arm without a reported figure (or every arm when budgetX is 0). */
  steps: number;
  /** Each arm with a reported figure gets budgetX × it as its step budget (0: `steps` for all). */
  budgetX: number;
  evalEvery: number;
  /** Stop at the first evaluation with val ≥ this ('' : stop once grokked). */
  stopAt: string;
  /** Every run goes its whole budget (no early stop). */
  full: boolean;
}

/** One line of a race results file. Rows before a field existed lack it. */
export interface Row {
  key: string;
  task: string;
  arm: string;
  seed: number;
  stepsTo95: number | null;
  stepsTo99: number | null;
  steps: number;
  seconds: number;
  finalValAcc: number | null;
  finalWeightNorm: number | null;
  amplifierDiagnostics: Record<string, number | null> | null;
  /** Per evaluation: val and full-train accuracy and, for NeuralGrok, the amplifier diagnostics (AMPLIFIER_KEYS). */
  curve: { step: number[]; valAcc: (number | null)[]; trainAcc: (number | null)[] } & {
    [K in AmplifierKey | (typeof COLLAPSE_KEYS)[number] | 'ageApplied' | 'ageRaw' | 'weightNorm']?: (number | null)[];
  };
  /** The run's whole resolved config, as the CLI wrote it (rows before this field: see `key`). */
  config?: Record<string, unknown>;
  preset?: string;
  finishedAt: string;
  /** The commit checked out when the run started (rows before this field existed ran on 6b23d53: docs/results.md). */
  commit?: string;
  /** The wasm backend's matmul: "xnnpack" (tfjs's own), or "openblas <core> ×<threads>" under GROKLAB_BLAS=1 (rows without the field: xnnpack). */
  matmul?: string;
  /**
   * Where it ran before a resume that changed the rounding (CLI --allow-rounding-change), oldest first,
   * e.g. "backend wasm (matmul openblas Cooperlake ×1) to step 6250"; `matmul` is where it ended.
   * Absent: every part ran on `matmul`, bit for bit.
   */
  roundingEarlier?: string[];
  /** The steps the run was resumed from, bit for bit, after a cut (absent or empty: it ran in one go). */
  resumedFrom?: number[];
  /** When the run (its last part, if resumed) started (rows of a sweep; older rows: only finishedAt). */
  startedAt?: string;
  /** The host that ran it (its last part, if resumed). */
  machine?: string;
  /** The engine's backend in Node: wasm, cpu or webgpu. */
  backend?: string;
  /** On WebGPU: the adapter, and whether it is a software one (SwiftShader). */
  adapter?: string;
  softwareAdapter?: boolean;
  /** The sweep job (src/sweep): its id, a hash of the run's full arguments. */
  job?: string;
  /** The sweep worker that finished it (`host/pid`). */
  worker?: string;
}

/** The reported steps to val ≥ 0.95 of (task, arm) under the paper preset, with their sources (as bench/grok-race.ts). */
export function referencesOf(preset: string, task: string, arm: string): { steps: number; source: string }[] {
  const [method, ...flags] = arm.split('+');
  const refs: { steps: number; source: string }[] = [];
  if (preset !== 'paper') return refs;
  const wd = flags.find((f) => f.startsWith('weight-decay='))?.split('=')[1];
  const figure = PAPER_TABLE1[task as PaperTask]?.[method as PaperMethod];
  // Standard and GrokFast-EMA "fail" on poly5 in the paper: no figure, so they run `steps`
  if (wd === undefined && figure && 'steps' in figure) refs.push({ steps: figure.steps, source: 'NeuralGrok Table 1' });
  for (const g of GROKFAST_README)
    if (g.task === task && g.method === method && g.weightDecay === wd) refs.push({ steps: g.steps, source: 'GrokFast README' });
  return refs;
}

/** The step budget of one arm: `budgetX` × its reported figure where it has one. */
export function budgetOf(rule: RaceRule, task: string, arm: string): number {
  // The matched-normalization ablation gets NeuralGrok's budget (the paper has no figure for it).
  const ref =
    rule.budgetX > 0 ? referencesOf(rule.preset, task, arm.startsWith('gradnorm+norm-matched') ? 'neuralgrok' : arm)[0] : undefined;
  return ref ? Math.round(rule.budgetX * ref.steps) : rule.steps;
}

/** The key of a run's row: `preset|task|arm|set|seed|budget|eval|stop`. */
export const raceKey = (rule: RaceRule, task: string, arm: string, seed: number): string =>
  [rule.preset, task, arm, rule.set, seed, budgetOf(rule, task, arm), rule.evalEvery, rule.full ? 'full' : rule.stopAt].join('|');

/**
 * Whether a stored row answers (task, arm, seed) under the rule: the same key, or one that
 * differs only in its step budget and reached the stop accuracy within the current budget (a
 * longer budget would not change it). Matched-normalization rows from before the arm held out
 * the outer split (no `config` recorded) do not count.
 */
export function answers(r: Pick<Row, 'key' | 'config' | 'stepsTo95'>, rule: RaceRule, task: string, arm: string, seed: number): boolean {
  const key = raceKey(rule, task, arm, seed);
  if (r.key === key) return true;
  if (arm.includes('norm-matched') && !r.config) return false;
  const withoutBudget = (k: string) =>
    k
      .split('|')
      .filter((_, i) => i !== 5)
      .join('|');
  return (
    rule.stopAt !== '' && withoutBudget(r.key) === withoutBudget(key) && r.stepsTo95 !== null && r.stepsTo95 <= budgetOf(rule, task, arm)
  );
}

/** `--set` text → CLI flags for every arm. */
export const setArgs = (set: string): string[] => (set ? set.split(';').flatMap((f) => armArgs(`x+${f}`).slice(2)) : []);

/** The CLI arguments of one run, but its files (`--out`, `--checkpoint`, `--resume`). */
export function runArgs(rule: RaceRule, task: string, arm: string, seed: number): string[] {
  const args = [
    '--preset',
    rule.preset,
    '--task',
    task,
    ...armArgs(arm, seed),
    ...setArgs(rule.set),
    '--seed',
    String(seed),
    '--steps',
    String(budgetOf(rule, task, arm)),
    '--eval-every',
    String(rule.evalEvery),
  ];
  if (!rule.full) args.push(...(rule.stopAt ? ['--stop-at', rule.stopAt] : ['--stop-when-grokked', '--stop-patience', '0']));
  return args;
}

/** The file name a run's key becomes (its checkpoint and run file in `runs/race/`). */
export const keyFileName = (key: string): string => key.replace(/[^a-zA-Z0-9_.=-]+/g, '_');

/**
 * Checkpoints parked in the repository: a long run cut by the end of a working stretch, its
 * checkpoint committed here (runs/ is not kept by a new checkout) so the next stretch continues
 * it instead of starting again (docs/decisions.md says which are parked and why).
 */
export const PARKED_CHECKPOINTS = 'bench/checkpoints';

/** The parked copy of a run's checkpoint (under `root`, the repository). */
export const parkedCheckpointOf = (key: string, root = '.'): string => join(root, PARKED_CHECKPOINTS, `${keyFileName(key)}.ckpt`);

/** Copies a parked checkpoint to where the run looks for its own, when only the parked one exists; true if it did. */
export function adoptParkedCheckpoint(checkpointFile: string, key: string, root = '.'): boolean {
  const parked = parkedCheckpointOf(key, root);
  if (existsSync(checkpointFile) || !existsSync(parked)) return false;
  mkdirSync(dirname(checkpointFile), { recursive: true });
  copyFileSync(parked, checkpointFile);
  return true;
}

/** A finished run's parked checkpoint is spent: removed (the next commit records it). */
export const dropParkedCheckpoint = (key: string, root = '.'): void => rmSync(parkedCheckpointOf(key, root), { force: true });

/** The checked-out commit, with "+dirty" when code (not the results files) has uncommitted changes. */
export function engineCommit(cwd?: string): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', cwd }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', '.', ':!bench/results'], {
      encoding: 'utf8',
      cwd,
    }).trim();
    return dirty ? `${head}+dirty` : head;
  } catch {
    return 'unknown';
  }
}

/** The CLI's JSON summary (the last line of its stdout): the fields a row takes from it, by the row's own types. */
export type CliSummary = Pick<Row, 'stepsTo95' | 'stepsTo99' | 'steps' | 'seconds' | 'finalValAcc' | 'finalWeightNorm'> &
  Partial<Pick<Row, 'amplifierDiagnostics' | 'resumedFrom' | 'matmul' | 'backend' | 'roundingEarlier'>>;

/** The row of a finished run: its summary and its run file (`--out`). */
export function rowOf(
  run: { key: string; task: string; arm: string; seed: number; preset: string; commit: string },
  summary: CliSummary,
  outFile: string,
  extra: Partial<Row> = {},
): Row {
  const file = JSON.parse(readFileSync(outFile, 'utf8')) as { config: Record<string, unknown>; evals: Record<string, (number | null)[]> };
  const evals = file.evals;
  return {
    key: run.key,
    task: run.task,
    arm: run.arm,
    seed: run.seed,
    stepsTo95: summary.stepsTo95,
    stepsTo99: summary.stepsTo99,
    steps: summary.steps,
    seconds: summary.seconds,
    finalValAcc: summary.finalValAcc,
    finalWeightNorm: summary.finalWeightNorm,
    amplifierDiagnostics: summary.amplifierDiagnostics ?? null,
    curve: {
      step: evals.step as number[],
      valAcc: evals.valAcc!,
      trainAcc: evals.trainFullAcc!,
      // complexity over the run (the paper's AGE claim, slingshots in the weight norm)
      ageApplied: evals.ageApplied,
      ageRaw: evals.ageRaw,
      weightNorm: evals.weightNorm,
      // NeuralGrok's diagnostics, and softmax collapse (issue 31) where measured
      ...Object.fromEntries(
        [...AMPLIFIER_KEYS, ...COLLAPSE_KEYS].filter((k) => evals[k]?.some((v) => v !== null)).map((k) => [k, evals[k]]),
      ),
    },
    config: file.config,
    preset: run.preset,
    finishedAt: new Date().toISOString(),
    commit: run.commit,
    matmul: summary.matmul,
    ...(summary.resumedFrom?.length && { resumedFrom: summary.resumedFrom }),
    ...(summary.roundingEarlier?.length && { roundingEarlier: summary.roundingEarlier }),
    ...extra,
  };
}
