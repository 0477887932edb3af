/**
 * A sweep is data: a file under `sweeps/` (TypeScript with a default export, or JSON) naming its
 * races, checked here with zod; and the jobs it expands to, one per (race, seed, task, arm), in
 * the order they run (priority, then the file's order, seed-major within a race as the race
 * runner does). A job's id is a hash of the run's whole CLI arguments: config, seed, budget,
 * evaluation cadence and stop rule.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { METHOD_IDS } from '../config/fields';
import { PRESET_IDS } from '../config/presets';
import { TASK_IDS } from '../core/tasks';
import { budgetOf, raceKey, runArgs, type RaceRule } from './race';

const nameText = z.string().regex(/^[a-zA-Z0-9_.-]+$/, 'letters, digits, _ . - only (it names the results file race-<name>.jsonl)');

export const raceSchema = z.strictObject({
  /** The results file is `race-<name>.jsonl`: rows of a race already run keep their file and keys. */
  name: nameText,
  preset: z.enum(PRESET_IDS as [string, ...string[]]),
  tasks: z.array(z.enum(TASK_IDS as unknown as [string, ...string[]])).min(1),
  /** `method+flag=value+flag`, as the race runner's --arms; `{seed}` becomes the run's seed. */
  arms: z
    .array(
      z.string().refine((a) => (METHOD_IDS as readonly string[]).includes(a.split('+')[0]!), {
        message: `an arm starts with a method: ${METHOD_IDS.join(' | ')}`,
      }),
    )
    .min(1),
  /** Flags for every arm, `field=value;field=value` (part of the rows' key, as written). */
  set: z.string().default(''),
  seeds: z.array(z.int().min(0)).min(1),
  /** Steps of an arm without a reported figure (every arm when budgetX is 0). */
  steps: z.int().min(1),
  /** The budget rule: budgetX × the paper's figure for arms that have one (0: `steps` for all). */
  budgetX: z.number().min(0).default(0),
  evalEvery: z.int().min(1).default(10),
  /** Stop at the first evaluation with val ≥ this; absent: stop once grokked (val ≥ 0.99). */
  stopAt: z.number().gt(0).max(1).optional(),
  /** Every run goes its whole budget, no early stop. */
  full: z.boolean().default(false),
  /** Lower runs first (1 … 1000). */
  priority: z.int().min(1).max(1000).default(10),
  checkpointEvery: z.int().min(1).default(500),
  /** Keep each run's file (config, series, amplifier) in this directory (the transfer claim's amplifiers). */
  keepRuns: z.string().optional(),
  /** This race's seed-s jobs wait until that race's seed-s jobs of the same sweep are done. */
  after: nameText.optional(),
  /** OpenBLAS's matmul, one thread a run (GROKLAB_BLAS=1; native/README.md). */
  blas: z.boolean().default(false),
  /** Whether `sweep report` rewrites this race's section of docs/results.md. */
  report: z.boolean().default(true),
});

export const sweepSchema = z.strictObject({
  description: z.string().optional(),
  races: z.array(raceSchema).min(1),
});

export type RaceInput = z.input<typeof raceSchema>;
export type Race = z.output<typeof raceSchema>;
/** What a sweep file exports (defaults may be left out). */
export type SweepInput = z.input<typeof sweepSchema>;
export type Sweep = z.output<typeof sweepSchema>;

export class SweepFileError extends Error {
  override name = 'SweepFileError';
}

/** The path of an issue as a reader finds it: `races[2].seeds[0]`. */
const pathText = (path: readonly PropertyKey[]): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('') || '(the sweep)';

/** Checks a sweep's data; the error names every bad field. */
export function parseSweep(data: unknown, source = 'the sweep'): Sweep {
  const r = sweepSchema.safeParse(data);
  if (!r.success) throw new SweepFileError(`${source}: ${r.error.issues.map((i) => `${pathText(i.path)}: ${i.message}`).join('; ')}`);
  r.data.races.forEach((race, i) => {
    if (race.after && !r.data.races.some((o) => o.name === race.after))
      throw new SweepFileError(`${source}: races[${i}].after: no race "${race.after}" in this sweep`);
    // a race may be declared again as a later stage of itself: the same rule and arms, other seeds (its own priority)
    const stageOf = (o: Race) => JSON.stringify([ruleOf(o), o.tasks, o.arms, o.report]);
    for (const o of r.data.races.slice(0, i).filter((o) => o.name === race.name && o.preset === race.preset && o.set === race.set))
      if (stageOf(o) !== stageOf(race) || o.seeds.some((s) => race.seeds.includes(s)))
        throw new SweepFileError(
          `${source}: races[${i}].name: race "${race.name}" is declared twice (again only as a stage: the same rule, tasks and arms, other seeds)`,
        );
  });
  return r.data;
}

/**
 * The part of a sweep whose race names match `pattern`: names separated by commas, `*` for any
 * text (`eos-mlp-*`). A race that runs after another needs that one selected too.
 */
export function selectRaces(sweep: Sweep, pattern: string): Sweep {
  const globs = pattern
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean)
    .map((g) => new RegExp(`^${g.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`));
  const races = sweep.races.filter((r) => globs.some((g) => g.test(r.name)));
  const names = [...new Set(sweep.races.map((r) => r.name))].join(', ');
  if (!races.length) throw new SweepFileError(`--races ${pattern}: no race of this sweep has that name (it has: ${names})`);
  for (const r of races)
    if (r.after && !races.some((o) => o.name === r.after))
      throw new SweepFileError(`--races ${pattern}: race "${r.name}" runs after "${r.after}"; select that one too`);
  return { ...sweep, races };
}

/** Reads a sweep file: `.json`, or a module (`.ts`) whose default export is the sweep. */
export async function loadSweep(file: string): Promise<Sweep> {
  const path = resolve(file);
  let data: unknown;
  try {
    data = file.endsWith('.json')
      ? JSON.parse(readFileSync(path, 'utf8'))
      : ((await import(pathToFileURL(path).href)) as { default?: unknown }).default;
  } catch (e) {
    throw new SweepFileError(`${file}: cannot read it (${(e as Error).message})`);
  }
  return parseSweep(data, file);
}

export const ruleOf = (race: Race): RaceRule => ({
  preset: race.preset,
  set: race.set,
  steps: race.steps,
  budgetX: race.budgetX,
  evalEvery: race.evalEvery,
  stopAt: race.stopAt === undefined ? '' : String(race.stopAt),
  full: race.full,
});

/** One run of a sweep, as a worker needs it (JSON: it travels in the queue). */
export interface JobSpec {
  id: string;
  race: string;
  task: string;
  arm: string;
  seed: number;
  preset: string;
  /** The row key (`preset|task|arm|set|seed|budget|eval|stop`). */
  key: string;
  budget: number;
  priority: number;
  /** The CLI arguments but its files. */
  args: string[];
  checkpointEvery: number;
  keepRuns?: string;
  blas: boolean;
  /** Ids of the jobs that must be done first. */
  needs: string[];
}

export const jobIdOf = (args: readonly string[]): string => 'j' + createHash('sha256').update(args.join('\0')).digest('hex').slice(0, 24);

/** A sweep's jobs in the order they run; the same run declared twice is one job. */
export function jobsOf(sweep: Sweep): JobSpec[] {
  const jobs: (JobSpec & { order: number })[] = [];
  const seen = new Set<string>();
  sweep.races.forEach((race, raceIndex) => {
    const rule = ruleOf(race);
    for (const seed of race.seeds)
      for (const task of race.tasks)
        for (const arm of race.arms) {
          const args = runArgs(rule, task, arm, seed);
          const id = jobIdOf(args);
          if (seen.has(id)) continue;
          seen.add(id);
          jobs.push({
            id,
            race: race.name,
            task,
            arm,
            seed,
            preset: race.preset,
            key: raceKey(rule, task, arm, seed),
            budget: budgetOf(rule, task, arm),
            priority: race.priority,
            args,
            checkpointEvery: race.checkpointEvery,
            ...(race.keepRuns && { keepRuns: race.keepRuns }),
            blas: race.blas,
            needs: [],
            order: raceIndex,
          });
        }
  });
  for (const [i, race] of sweep.races.entries())
    if (race.after)
      for (const j of jobs.filter((x) => x.order === i))
        j.needs = jobs.filter((x) => x.race === race.after && x.seed === j.seed).map((x) => x.id);
  return jobs
    .map((j, index) => ({ j, index }))
    .sort((a, b) => a.j.priority - b.j.priority || a.index - b.index)
    .map(({ j }) => {
      const { order: _order, ...spec } = j;
      return spec;
    });
}

/** The rule of a race, found by a job (for `answers`). */
export function raceOf(sweep: Sweep, job: JobSpec): Race {
  return sweep.races.find((r) => r.name === job.race && raceKey(ruleOf(r), job.task, job.arm, job.seed) === job.key)!;
}
