/** Shared by the sweep tests: the sweep CLI as a child process, and a tiny classroom race. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Row } from '../src/sweep/race';
import type { RaceInput } from '../src/sweep/sweep-file';

/** 40–60 steps of a + b mod 11: seconds of training, a checkpoint every 5 steps. */
export const TINY: Omit<RaceInput, 'name' | 'arms' | 'seeds'> = {
  preset: 'classroom',
  set: 'p=11',
  tasks: ['add'],
  steps: 60,
  evalEvery: 5,
  checkpointEvery: 5,
};

export function writeSweep(dir: string, name: string, races: RaceInput[]): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ races }));
  return file;
}

export interface Sweeping {
  child: ChildProcess;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** What it wrote to stderr so far. */
  stderr: () => string;
}

/** `npm run sweep -- …`, as node runs it (no npx: one process, whose pid is the sweep's). */
export function sweep(args: string[], opts: { detached?: boolean } = {}): Sweeping {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/sweep/main.ts', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.detached ?? false,
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done, stderr: () => stderr };
}

export const rowsIn = (file: string): Row[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Row)
    : [];

export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 90_000, everyMs = 100): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
