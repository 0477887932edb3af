/**
 * The embedded default: a sweep on this machine, no server. N CLI runs at a time (default: the
 * cores), in priority order; jobs the results files already answer are skipped, and a job cut
 * before (a stop, a lost session) resumes from its checkpoint in `runs/race/` (the race runner's
 * place, so either continues the other's runs). A progress line per job, with the sweep's ETA.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatDuration } from '../cli/progress';
import { adoptParkedCheckpoint, dropParkedCheckpoint, keyFileName, parkedCheckpointOf } from './race';
import { appendRow, isFinished, readRows, resultsFileOf, writePartial } from './results';
import { REPO_ROOT, startJob, type JobProgress, type RunningJob } from './run-job';
import { jobsOf, type JobSpec, type Sweep } from './sweep-file';

export interface RunOptions {
  jobs: number;
  results: string;
  /** Where checkpoints of cut runs wait (default runs/race, as the race runner). */
  runsDir?: string;
  backend?: string;
  /** Resumed jobs may continue checkpoints written on another matmul (recorded in the row): `--allow-rounding-change`. */
  allowRoundingChange?: boolean;
  /** Seconds between a job's progress lines (default 30). */
  progressEvery?: number;
  dryRun?: boolean;
  log: (s: string) => void;
}

export interface RunReport {
  jobs: number;
  finishedBefore: number;
  done: string[];
  failed: { id: string; name: string; message: string }[];
  stopped: boolean;
}

const nameOf = (j: JobSpec) => `${j.race} ${j.task} ${j.arm} s${j.seed}`;

export async function runSweep(sweep: Sweep, opts: RunOptions): Promise<RunReport> {
  const runsDir = resolve(REPO_ROOT, opts.runsDir ?? 'runs/race');
  const all = jobsOf(sweep);
  const rows = new Map<string, ReturnType<typeof readRows>>();
  const rowsOf = (race: string) => rows.get(race) ?? rows.set(race, readRows(resultsFileOf(opts.results, race))).get(race)!;
  const todo = all.filter((j) => !isFinished(sweep, j, rowsOf(j.race)));
  const report: RunReport = { jobs: all.length, finishedBefore: all.length - todo.length, done: [], failed: [], stopped: false };
  const filesOf = (j: JobSpec) => {
    const base = join(runsDir, keyFileName(j.key));
    return { checkpoint: `${base}.ckpt`, out: `${base}.json` };
  };
  // a run parked in the repository at the end of a working stretch continues from there
  if (!opts.dryRun) for (const j of todo) adoptParkedCheckpoint(filesOf(j).checkpoint, j.key, REPO_ROOT);
  const cut = todo.filter((j) => existsSync(filesOf(j).checkpoint) || existsSync(parkedCheckpointOf(j.key, REPO_ROOT))).length;
  opts.log(
    `${all.length} jobs: ${report.finishedBefore} finished in ${opts.results}, ${todo.length} to run` +
      `${cut ? ` (${cut} resume from their checkpoints)` : ''}, ${opts.jobs} at a time`,
  );
  if (opts.dryRun) {
    for (const j of todo)
      opts.log(
        `  ${nameOf(j)}: ${j.budget} steps, priority ${j.priority}${existsSync(filesOf(j).checkpoint) || existsSync(parkedCheckpointOf(j.key, REPO_ROOT)) ? ', cut: resumes' : ''}`,
      );
    return report;
  }
  if (!todo.length) return report;
  mkdirSync(runsDir, { recursive: true });

  // within a priority, cut runs first: their progress is already paid for (a stable sort keeps the file's order otherwise)
  const isCut = (j: JobSpec) => existsSync(filesOf(j).checkpoint);
  const pending = [...todo].sort((a, b) => a.priority - b.priority || Number(isCut(b)) - Number(isCut(a)));
  const open = new Set(todo.map((j) => j.id)); // not finished yet (pending or running)
  const running = new Map<string, { job: JobSpec; run: RunningJob; progress: JobProgress | null }>();
  const started = Date.now();
  const eta = (): string => {
    // an upper bound: every job at its whole budget (a run stopping at its stop accuracy ends sooner)
    let left = 0;
    let rate = 0;
    for (const j of pending) left += j.budget;
    for (const r of running.values()) {
      left += r.job.budget - (r.progress?.step ?? 0);
      rate += r.progress?.stepsPerSecond ?? 0;
    }
    return rate > 0 ? `sweep ETA ≤ ${formatDuration(left / rate)}` : 'sweep ETA ?';
  };
  const counts = () =>
    `[${report.done.length + report.failed.length}/${todo.length} done${report.failed.length ? `, ${report.failed.length} failed` : ''}]`;
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    report.stopped = true;
    opts.log(`${signal}: the runs write their checkpoints and stop; the next \`run\` resumes them`);
    for (const r of running.values()) r.run.stop();
  };
  const sigterm = () => onSignal('SIGTERM');
  const sigint = () => onSignal('SIGINT');
  process.on('SIGTERM', sigterm);
  process.on('SIGINT', sigint);

  await new Promise<void>((resolveAll) => {
    const next = () => {
      if (!stopping)
        while (running.size < opts.jobs) {
          const i = pending.findIndex((j) => j.needs.every((id) => !open.has(id)));
          if (i < 0) break;
          const [job] = pending.splice(i, 1);
          launch(job!);
        }
      if (running.size === 0) resolveAll();
    };
    const launch = (job: JobSpec) => {
      const files = filesOf(job);
      const resuming = existsSync(files.checkpoint);
      let lastLine = 0;
      const entry: { job: JobSpec; run: RunningJob; progress: JobProgress | null } = {
        job,
        progress: null,
        run: startJob(job, files, {
          backend: opts.backend,
          allowRoundingChange: opts.allowRoundingChange,
          onProgress: (p) => {
            entry.progress = p;
            if (Date.now() - lastLine >= (opts.progressEvery ?? 30) * 1000) {
              lastLine = Date.now();
              opts.log(
                `${counts()} ${nameOf(job)}: step ${p.step}/${p.totalSteps}, val ${p.valAcc ?? '-'}, ${p.stepsPerSecond} steps/s · ${eta()}`,
              );
              writePartial(opts.results, job.race, job.key, p);
            }
          },
        }),
      };
      running.set(job.id, entry);
      opts.log(`${counts()} ${nameOf(job)}: ${resuming ? 'resuming from its checkpoint' : 'starting'} (${job.budget} steps)`);
      void entry.run.outcome.then((outcome) => {
        running.delete(job.id);
        if (outcome.kind === 'done') {
          open.delete(job.id);
          report.done.push(job.id);
          appendRow(opts.results, job.race, outcome.row);
          writePartial(opts.results, job.race, job.key, null);
          rmSync(files.checkpoint, { force: true });
          dropParkedCheckpoint(job.key, REPO_ROOT);
          const r = outcome.row;
          opts.log(
            `${counts()} ${nameOf(job)}: done, val ≥ 0.95 at ${r.stepsTo95 ?? `not within ${r.steps}`} in ${formatDuration(r.seconds)}` +
              `${r.resumedFrom?.length ? ` (resumed from step ${r.resumedFrom.join(', ')})` : ''} · ${eta()}`,
          );
        } else if (outcome.kind === 'failed') {
          open.delete(job.id);
          report.failed.push({ id: job.id, name: nameOf(job), message: outcome.message });
          opts.log(`${counts()} ${nameOf(job)}: FAILED: ${outcome.message}`);
        } else opts.log(`${nameOf(job)}: stopped at its checkpoint ${files.checkpoint}`);
        next();
      });
    };
    next();
  });
  process.off('SIGTERM', sigterm);
  process.off('SIGINT', sigint);
  const took = formatDuration((Date.now() - started) / 1000);
  opts.log(`${report.done.length} done, ${report.failed.length} failed${report.stopped ? ', stopped' : ''}` + ` in ${took}`);
  for (const f of report.failed) opts.log(`  failed: ${f.name} [${f.id}]: ${f.message}`);
  return report;
}
