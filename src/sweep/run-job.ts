/**
 * One sweep job on this machine: the same CLI run loop as `npm run grok` (src/cli/main.ts), in a
 * child process, with its checkpoint file (`--checkpoint`, or `--resume` when one is there); the
 * outcome is the job's row, a stop (SIGINT/SIGTERM: the CLI wrote its checkpoint and exited 130),
 * or a failure with the CLI's own message.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { engineCommit, rowOf, type CliSummary, type Row } from './race';
import type { JobSpec } from './sweep-file';

/** The repository root (the CLI and tsx are found from it). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const GUARD = fileURLToPath(new URL('./orphan-guard.ts', import.meta.url));

export interface JobProgress {
  step: number;
  totalSteps: number;
  /** Val accuracy at the last evaluation (null before the first). */
  valAcc: number | null;
  stepsPerSecond: number;
  /** The CLI's progress line. */
  line: string;
}

export type JobOutcome = { kind: 'done'; row: Row } | { kind: 'stopped' } | { kind: 'failed'; message: string };

export interface JobFiles {
  checkpoint: string;
  out: string;
}

export interface RunningJob {
  child: ChildProcess;
  outcome: Promise<JobOutcome>;
  /** Asks the run to stop after writing its checkpoint (the CLI's SIGTERM). */
  stop(): void;
}

/** Parses the CLI's progress line (`step 120/400 | train … | val loss 1.2 acc 0.310 | 14.2 steps/s | …`). */
export function parseProgress(line: string): JobProgress | null {
  const m = /^step\s+(\d+)\/(\d+)/.exec(line);
  if (!m) return null;
  const val = /val loss [^|]*acc\s+([\d.]+)/.exec(line)?.[1];
  return {
    step: Number(m[1]),
    totalSteps: Number(m[2]),
    valAcc: val === undefined ? null : Number(val),
    stepsPerSecond: Number(/([\d.]+) steps\/s/.exec(line)?.[1] ?? 0),
    line,
  };
}

export interface StartOptions {
  /** `--backend` for the CLI (wasm or cpu; default: the preset's). */
  backend?: string;
  /** A resumed job may continue a checkpoint written on another matmul, the change recorded in its row (CLI --allow-rounding-change). */
  allowRoundingChange?: boolean;
  onProgress?: (p: JobProgress) => void;
  /** Written into the row: who ran it. */
  worker?: string;
}

/** Starts the job's CLI run; resumes from `files.checkpoint` when it exists. */
export function startJob(job: JobSpec, files: JobFiles, opts: StartOptions = {}): RunningJob {
  const resume = existsSync(files.checkpoint);
  const args = [
    '--import',
    'tsx',
    '--import',
    GUARD,
    'src/cli/main.ts',
    ...job.args,
    ...(opts.backend ? ['--backend', opts.backend] : []),
    '--out',
    files.out,
    ...(resume
      ? ['--resume', files.checkpoint, ...(opts.allowRoundingChange ? ['--allow-rounding-change'] : [])]
      : ['--checkpoint', files.checkpoint]),
    '--checkpoint-every',
    String(job.checkpointEvery),
  ];
  const env = { ...process.env, ...(job.blas && { GROKLAB_BLAS: '1', GROKLAB_BLAS_THREADS: process.env.GROKLAB_BLAS_THREADS ?? '1' }) };
  const commit = engineCommit(REPO_ROOT); // the code the child loads now
  const startedAt = new Date().toISOString();
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  const errors: string[] = [];
  let tail = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d));
  child.stderr!.on('data', (d: Buffer) => {
    const text = tail + d.toString();
    const lines = text.split('\n');
    tail = lines.pop() ?? '';
    for (const line of lines) {
      const p = parseProgress(line.trim());
      if (p) opts.onProgress?.(p);
      else if (line.trim()) errors.push(line.trim());
      if (errors.length > 40) errors.shift();
    }
  });
  const outcome = new Promise<JobOutcome>((resolve) => {
    child.on('error', (e) => resolve({ kind: 'failed', message: `cannot start the CLI: ${e.message}` }));
    child.on('close', (code, signal) => {
      if (tail.trim()) errors.push(tail.trim());
      if (code === 130) return resolve({ kind: 'stopped' });
      // 3: the run diverged (NaN): a result like any other (its row says where), as in the race runner
      if (code !== 0 && code !== 3) {
        const said = errors.filter((l) => /error/i.test(l));
        return resolve({
          kind: 'failed',
          message: `${(said.length ? said : errors.slice(-3)).join(' / ') || 'no message'} (exit ${code ?? signal})`,
        });
      }
      try {
        const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as CliSummary & { backend?: string };
        const row = rowOf({ key: job.key, task: job.task, arm: job.arm, seed: job.seed, preset: job.preset, commit }, summary, files.out, {
          startedAt,
          machine: hostname(),
          backend: summary.backend,
          job: job.id,
          ...(opts.worker && { worker: opts.worker }),
        });
        if (job.keepRuns) {
          const dir = resolvePath(REPO_ROOT, job.keepRuns); // as the arms' file flags: from the repository root
          mkdirSync(dir, { recursive: true });
          copyFileSync(files.out, `${dir}/${job.task}_${job.arm.replace(/[^a-zA-Z0-9_.=-]+/g, '_')}_${job.seed}.json`);
        }
        rmSync(files.out, { force: true });
        resolve({ kind: 'done', row });
      } catch (e) {
        resolve({ kind: 'failed', message: `the run ended but its summary or run file is unreadable: ${(e as Error).message}` });
      }
    });
  });
  return { child, outcome, stop: () => child.exitCode === null && child.kill('SIGTERM') };
}
