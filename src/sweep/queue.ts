/**
 * A sweep across machines on BullMQ (Redis): `submit` enqueues its jobs (id = the job's hash, so
 * a job already queued, running or done is not added again), `work` runs them on any number of
 * machines, `status` counts them, `collect` appends the finished rows to the results files.
 *
 * A job's checkpoint travels in Redis (one key per job, the checkpoint file's bytes, uploaded
 * each time the CLI writes it): when a worker dies its job's lock expires, BullMQ's stalled-job
 * check puts the job back, and the next worker resumes it from there, not from step 0. Workers
 * reconnect after a Redis restart (run Redis with `appendonly yes` so a restart loses nothing);
 * on SIGTERM a worker's runs write their checkpoints, which are uploaded, and the jobs go back
 * to the queue for another worker.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DelayedError, Queue, UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { decodeCheckpoint } from '../cli/checkpoint-file';
import type { Row } from './race';
import { appendRow, isFinished, readRows, resultsFileOf, writePartial } from './results';
import { startJob, type JobProgress, type RunningJob } from './run-job';
import { jobsOf, type JobSpec, type Sweep } from './sweep-file';

export const DEFAULT_QUEUE = 'groklab-sweep';

export interface QueueOptions {
  redis: string;
  queue: string;
}

/** What a running job shows in `status`. */
export interface JobStatusProgress {
  worker: string;
  step: number;
  totalSteps: number;
  valAcc: number | null;
  /** The step of the checkpoint in Redis (0: none yet). */
  checkpointStep: number;
}

export const checkpointKey = (queue: string, id: string): string => `groklab-sweep:${queue}:checkpoint:${id}`;

function connect(url: string, log?: (s: string) => void): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(200 * times, 2000) });
  let down = false;
  redis.on('error', (e: Error) => {
    if (!down) log?.(`redis: ${e.message} (reconnecting)`);
    down = true;
  });
  redis.on('ready', () => {
    if (down) log?.('redis: connected again');
    down = false;
  });
  return redis;
}

const jobName = (j: JobSpec) => `${j.race} ${j.task} ${j.arm} s${j.seed}`;

/** Enqueues the sweep's jobs that the results (`resultsDir`) do not already answer. */
export async function submit(sweep: Sweep, opts: QueueOptions & { results: string; retryFailed?: boolean; log: (s: string) => void }) {
  const redis = connect(opts.redis);
  const queue = new Queue<JobSpec, Row>(opts.queue, { connection: redis });
  try {
    const rowsByRace = new Map<string, Row[]>();
    const rowsOf = (race: string) => rowsByRace.get(race) ?? rowsByRace.set(race, readRows(resultsFileOf(opts.results, race))).get(race)!;
    const jobs = jobsOf(sweep);
    const todo = jobs.filter((j) => !isFinished(sweep, j, rowsOf(j.race)));
    let added = 0;
    let retried = 0;
    const states: Record<string, number> = {};
    for (const j of todo) {
      const existing = await queue.getJob(j.id);
      if (existing) {
        const state = await existing.getState();
        if (state === 'failed' && opts.retryFailed) {
          await existing.retry('failed');
          retried++;
        } else states[state] = (states[state] ?? 0) + 1;
        continue;
      }
      await queue.add(jobName(j), j, { jobId: j.id, priority: j.priority, attempts: 1, removeOnComplete: false, removeOnFail: false });
      added++;
    }
    const already = Object.entries(states)
      .map(([s, n]) => `${n} ${s}`)
      .join(', ');
    opts.log(
      `${jobs.length} jobs: ${jobs.length - todo.length} finished in ${opts.results}, ${added} added` +
        `${retried ? `, ${retried} failed ones retried` : ''}${already ? `, already in the queue: ${already}` : ''}`,
    );
    return { jobs: jobs.length, finished: jobs.length - todo.length, added, retried };
  } finally {
    await queue.close();
    redis.disconnect();
  }
}

export interface WorkOptions extends QueueOptions {
  jobs: number;
  backend?: string;
  /** Resumed jobs may continue checkpoints written on another matmul (recorded in the row): `--allow-rounding-change`. */
  allowRoundingChange?: boolean;
  /** How long a job's lock lives without renewal (ms): a dead worker's job is taken up about this long after. */
  lockMs?: number;
  /** How often workers look for stalled jobs (ms). */
  stalledMs?: number;
  log: (s: string) => void;
}

/** Takes jobs until SIGTERM/SIGINT; resolves when the worker has stopped cleanly. */
export async function work(opts: WorkOptions): Promise<void> {
  const me = `${hostname()}/${process.pid}`;
  const redis = connect(opts.redis, opts.log);
  const queue = new Queue<JobSpec, Row>(opts.queue, { connection: redis });
  queue.on('error', () => undefined); // the connection's own listener reports it
  const running = new Set<RunningJob>();
  /** Jobs whose lock was lost (Redis was away longer than the lock lives): the stalled check hands them on. */
  const lost = new Map<string, RunningJob>();
  const lockLost = new Set<string>();
  let stopping = false;

  const processor = async (job: Job<JobSpec, Row>, token?: string): Promise<Row> => {
    const spec = job.data;
    for (const id of spec.needs) {
      const dep = await queue.getJob(id);
      const state = dep ? await dep.getState() : 'completed';
      if (state === 'failed') throw new UnrecoverableError(`it needs job ${id} (${dep!.name}), which failed`);
      if (state !== 'completed') {
        await job.moveToDelayed(Date.now() + 10_000, token);
        throw new DelayedError(`waits for ${dep!.name}`);
      }
    }
    const dir = mkdtempSync(join(tmpdir(), 'groklab-sweep-'));
    const files = { checkpoint: join(dir, 'run.ckpt'), out: join(dir, 'run.json') };
    const key = checkpointKey(opts.queue, spec.id);
    try {
      const saved = await redis.getBuffer(key);
      if (saved) writeFileSync(files.checkpoint, saved);
      let checkpointStep = 0;
      if (saved) checkpointStep = decodeCheckpoint(saved).run.checkpoint.step;
      opts.log(`${job.name} [${spec.id}]: ${saved ? `resuming from step ${checkpointStep}` : 'starting'}`);
      let progress: JobProgress | null = null;
      let lastLog = 0;
      const run = startJob(spec, files, {
        backend: opts.backend,
        allowRoundingChange: opts.allowRoundingChange,
        worker: me,
        onProgress: (p) => {
          progress = p;
          if (Date.now() - lastLog > 10_000) {
            lastLog = Date.now();
            opts.log(`${job.name}: step ${p.step}/${p.totalSteps} val ${p.valAcc ?? '-'} (${p.stepsPerSecond} steps/s)`);
          }
        },
      });
      running.add(run);
      lost.set(spec.id, run);
      // Upload each new checkpoint (the CLI renames a complete file into place) and the progress.
      let uploaded = '';
      let busy = false;
      const sync = async (): Promise<boolean> => {
        if (busy) return false;
        busy = true;
        try {
          let stamp = '';
          try {
            const st = statSync(files.checkpoint);
            stamp = `${st.ino}:${st.mtimeMs}:${st.size}`;
          } catch {
            /* none written yet */
          }
          if (stamp && stamp !== uploaded) {
            const bytes = readFileSync(files.checkpoint);
            const step = decodeCheckpoint(bytes).run.checkpoint.step; // never upload a damaged one
            await redis.set(key, bytes);
            uploaded = stamp;
            checkpointStep = step;
          }
          const p = progress as JobProgress | null;
          const shown: JobStatusProgress = {
            worker: me,
            step: p?.step ?? checkpointStep,
            totalSteps: p?.totalSteps ?? spec.budget,
            valAcc: p?.valAcc ?? null,
            checkpointStep,
          };
          await job.updateProgress(shown as unknown as object);
          return true;
        } catch {
          return false; // Redis away: the next tick tries again
        } finally {
          busy = false;
        }
      };
      const timer = setInterval(() => void sync(), 500);
      const outcome = await run.outcome;
      clearInterval(timer);
      running.delete(run);
      lost.delete(spec.id);
      if (lockLost.delete(spec.id)) {
        // another worker may have taken the job up already: hand over the last checkpoint, if newer, and let go
        const there = await redis.getBuffer(key).catch(() => null);
        const thereStep = there ? decodeCheckpoint(there).run.checkpoint.step : -1;
        if (
          outcome.kind !== 'failed' &&
          existsSync(files.checkpoint) &&
          decodeCheckpoint(readFileSync(files.checkpoint)).run.checkpoint.step > thereStep
        )
          await sync();
        throw new Error(`${job.name}: its lock was lost (Redis away too long); the stalled-job check gives it to the next worker`);
      }
      if (outcome.kind === 'failed') throw new UnrecoverableError(outcome.message);
      if (outcome.kind === 'stopped') {
        // the CLI wrote its checkpoint at the stop: it must reach Redis before the job goes back
        for (let i = 0; i < 120 && !(await sync()); i++) await new Promise((r) => setTimeout(r, 500));
        opts.log(`${job.name}: stopped at its checkpoint (step ${checkpointStep}); back in the queue`);
        await job.moveToWait(token);
        throw new WaitingError();
      }
      opts.log(
        `${job.name}: done, val ≥ 0.95 at ${outcome.row.stepsTo95 ?? `not within ${outcome.row.steps}`}` +
          `${outcome.row.resumedFrom?.length ? ` (resumed from step ${outcome.row.resumedFrom.join(', ')})` : ''}`,
      );
      return outcome.row;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  const worker = new Worker<JobSpec, Row>(opts.queue, processor, {
    connection: redis,
    concurrency: Math.max(1, opts.jobs),
    lockDuration: opts.lockMs ?? 30_000,
    stalledInterval: opts.stalledMs ?? 30_000,
    // a job may be cut by many dead workers: each time it resumes from its checkpoint
    maxStalledCount: 1000,
    runRetryDelay: 1000,
    name: me,
  });
  worker.on('error', (e) => opts.log(`worker: ${e.message}`));
  worker.on('lockRenewalFailed', (ids: string[]) => {
    for (const id of ids) {
      const run = lost.get(id);
      if (!run || lockLost.has(id)) continue;
      lockLost.add(id);
      opts.log(`job ${id}: its lock is gone; stopping its run at a checkpoint`);
      run.stop();
    }
  });
  worker.on('completed', (job) => void redis.del(checkpointKey(opts.queue, job.id!)).catch(() => undefined));
  worker.on('failed', (job, e) => job && e.name !== 'WaitingError' && opts.log(`${job.name}: failed: ${e.message}`));
  opts.log(`worker ${me}: ${opts.jobs} job(s) at a time from queue "${opts.queue}" on ${opts.redis}`);

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      opts.log(`${signal}: the runs write their checkpoints, their jobs go back to the queue…`);
      for (const r of running) r.stop();
      void worker
        .close()
        .catch((e: Error) => opts.log(`closing: ${e.message}`))
        .then(() => queue.close())
        .finally(() => {
          redis.disconnect();
          resolve();
        });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

export interface StatusCounts {
  waiting: number;
  running: number;
  done: number;
  failed: number;
}

export interface Status extends StatusCounts {
  active: {
    id: string;
    name: string;
    worker: string | null;
    step: number | null;
    totalSteps: number | null;
    checkpointStep: number | null;
  }[];
  failures: { id: string; name: string; reason: string }[];
}

export async function status(opts: QueueOptions): Promise<Status> {
  const redis = connect(opts.redis);
  const queue = new Queue<JobSpec, Row>(opts.queue, { connection: redis });
  try {
    const c = await queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed');
    const active = await queue.getActive();
    const failed = await queue.getFailed();
    return {
      waiting: (c.waiting ?? 0) + (c.prioritized ?? 0) + (c.delayed ?? 0),
      running: c.active ?? 0,
      done: c.completed ?? 0,
      failed: c.failed ?? 0,
      active: active.map((j) => {
        const p = (typeof j.progress === 'object' ? j.progress : null) as JobStatusProgress | null;
        return {
          id: j.id!,
          name: j.name,
          worker: p?.worker ?? null,
          step: p?.step ?? null,
          totalSteps: p?.totalSteps ?? null,
          checkpointStep: p?.checkpointStep ?? null,
        };
      }),
      failures: failed.map((j) => ({ id: j.id!, name: j.name, reason: j.failedReason })),
    };
  } finally {
    await queue.close();
    redis.disconnect();
  }
}

/** Appends every finished job's row to its race's results file, once; records running jobs' progress in the partial files. */
export async function collect(opts: QueueOptions & { results: string; log: (s: string) => void }) {
  const redis = connect(opts.redis);
  const queue = new Queue<JobSpec, Row>(opts.queue, { connection: redis });
  try {
    let written = 0;
    let seen = 0;
    for (let start = 0; ; start += 100) {
      const jobs = await queue.getCompleted(start, start + 99);
      if (!jobs.length) break;
      for (const j of jobs) {
        seen++;
        if (j.returnvalue && appendRow(opts.results, j.data.race, j.returnvalue)) written++;
        writePartial(opts.results, j.data.race, j.data.key, null);
      }
    }
    for (const j of await queue.getActive()) {
      const p = (typeof j.progress === 'object' ? j.progress : null) as JobStatusProgress | null;
      if (p)
        writePartial(opts.results, j.data.race, j.data.key, {
          step: p.step,
          line: `step ${p.step}/${p.totalSteps} | val loss - acc ${p.valAcc ?? '-'}`,
        });
    }
    opts.log(`${seen} finished jobs in the queue: ${written} rows written to ${opts.results}, ${seen - written} there already`);
    return { seen, written };
  } finally {
    await queue.close();
    redis.disconnect();
  }
}
