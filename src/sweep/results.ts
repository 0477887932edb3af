/**
 * The results files a sweep writes: `race-<name>.jsonl` (one row per finished run, as the race
 * runner writes them, read by docs/results.md's report and the paper view) and
 * `race-<name>.partial.json` (the last progress line of each run in progress).
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { answers, type Row } from './race';
import { ruleOf, type JobSpec, type Sweep } from './sweep-file';

export const DEFAULT_RESULTS = 'bench/results';

export const resultsFileOf = (dir: string, race: string): string => join(dir, `race-${race}.jsonl`);
const partialFileOf = (dir: string, race: string): string => join(dir, `race-${race}.partial.json`);

/** A results file's rows; a line that does not parse (being appended right now) is skipped. */
export function readRows(file: string): Row[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Row];
      } catch {
        return [];
      }
    });
}

/** Whether the results already answer the job (its key, or a shorter budget that reached the stop accuracy). */
export function isFinished(sweep: Sweep, job: JobSpec, rows: readonly Row[]): boolean {
  const race = sweep.races.find((r) => r.name === job.race);
  return rows.some(
    (r) => r.job === job.id || r.key === job.key || (race !== undefined && answers(r, ruleOf(race), job.task, job.arm, job.seed)),
  );
}

/** Appends the row unless its job's row is there already: a job is never written twice. Returns whether it wrote. */
export function appendRow(dir: string, race: string, row: Row): boolean {
  const file = resultsFileOf(dir, race);
  if (readRows(file).some((r) => (row.job !== undefined && r.job === row.job) || r.key === row.key)) return false;
  mkdirSync(dir, { recursive: true });
  appendFileSync(file, JSON.stringify(row) + '\n');
  return true;
}

interface PartialLine {
  step: number;
  line: string;
  at: string;
}

/** Records (or with `line` null, removes) a run's progress in the race's partial file, as the race runner does. */
export function writePartial(dir: string, race: string, key: string, progress: { step: number; line: string } | null): void {
  const file = partialFileOf(dir, race);
  let partials: Record<string, PartialLine> = {};
  try {
    if (existsSync(file)) partials = JSON.parse(readFileSync(file, 'utf8')) as Record<string, PartialLine>;
  } catch {
    /* another writer mid-way: start from empty, as the race runner does */
  }
  if (progress) partials[key] = { step: progress.step, line: progress.line, at: new Date().toISOString() };
  else if (key in partials) delete partials[key];
  else return;
  mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(partials, null, 1));
  renameSync(tmp, file);
}
