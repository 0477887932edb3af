/**
 * A sweep across machines on BullMQ (issue 29), against a real redis-server started here on a
 * free loopback port: 4 tiny jobs and 2 that fail, two workers; one worker is SIGKILLed
 * mid-job (with its run, as when its machine dies) and Redis is restarted mid-sweep. All 4
 * finish; the killed job resumes from its checkpoint on the other worker (its row says so) with
 * a series equal to an uninterrupted run; the failed jobs carry their messages and blocked
 * nothing; `collect` writes exactly 4 rows, twice in a row.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { CLASSROOM_DEMO_LR } from '../src/config/presets';
import type { Row } from '../src/sweep/race';
import type { JobStatusProgress } from '../src/sweep/queue';
import { rowsIn, sweep, TINY, until, writeSweep, type Sweeping } from './sweep-helpers';

const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedis) console.log('sweep-redis tests skipped: redis-server is not installed (scripts/ensure-redis.sh installs it)');

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

describe.skipIf(!hasRedis)('a sweep on BullMQ', () => {
  const dir = mkdtempSync(join(tmpdir(), 'groklab-sweep-redis-'));
  let server: ChildProcess | null = null;
  const workers: Sweeping[] = [];
  let port = 0;

  const startRedis = async () => {
    server = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''],
      {
        stdio: 'ignore',
      },
    );
    await until('redis-server to answer', async () => {
      const c = new Redis(port, '127.0.0.1', { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      c.on('error', () => undefined);
      try {
        await c.connect();
        return (await c.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        c.disconnect();
      }
    });
  };
  const stopRedis = async () => {
    const s = server!;
    const exited = new Promise((r) => s.once('exit', r));
    s.kill('SIGTERM'); // redis-server writes its data and exits
    await exited;
    server = null;
  };

  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    if (server) await stopRedis();
    rmSync(dir, { recursive: true, force: true });
  });

  it('survives a killed worker and a Redis restart; collect writes each row once', { timeout: 180_000 }, async () => {
    port = await freePort();
    await startRedis();
    const url = `redis://127.0.0.1:${port}`;
    const results = join(dir, 'results');
    const file = writeSweep(dir, 'q', [
      // twins: the classroom's lr stated again, so each run has an uninterrupted twin under another key
      { ...TINY, name: 'q', arms: ['adamw', `adamw+lr=${CLASSROOM_DEMO_LR}`], seeds: [0, 1] },
      // first in line, and failing: they must not block the others
      { ...TINY, name: 'bad', arms: ['adamw+lr=NaN', 'adamw+no-such-flag=1'], seeds: [0], priority: 1 },
    ]);
    const submitted = await sweep(['submit', file, '--redis', url, '--results', results]).done;
    expect(submitted.code, submitted.stderr).toBe(0);
    expect(submitted.stderr).toContain('6 added');
    const again = await sweep(['submit', file, '--redis', url, '--results', results]).done;
    expect(again.stderr).toContain('0 added');

    const fast = ['--lock-ms', '4000', '--stalled-ms', '1000'];
    // each worker in a process group of its own: SIGKILL to the group is a machine that dies
    const a = sweep(['work', '--redis', url, '--jobs', '1', ...fast], { detached: true });
    const b = sweep(['work', '--redis', url, '--jobs', '1', ...fast], { detached: true });
    workers.push(a, b);
    const nameA = `${hostname()}/${a.child.pid}`;
    const nameB = `${hostname()}/${b.child.pid}`;

    const probe = new Redis(url, { maxRetriesPerRequest: null });
    probe.on('error', () => undefined);
    const queue = new Queue('groklab-sweep', { connection: probe });
    // wait until worker A has a good job with a checkpoint in Redis, then kill it with its run
    let killed: { id: string; step: number } | null = null;
    await until(
      "a checkpoint of worker A's job",
      async () => {
        for (const j of await queue.getActive()) {
          const p = j.progress as JobStatusProgress | number;
          if (typeof p === 'object' && p.worker === nameA && p.checkpointStep > 0 && p.checkpointStep < 40) {
            killed = { id: j.id!, step: p.checkpointStep };
            return true;
          }
        }
        return false;
      },
      90_000,
      50,
    );
    process.kill(-a.child.pid!, 'SIGKILL');
    await a.done;

    // Redis restarted mid-sweep (B is running or about to take the killed job)
    await stopRedis();
    await startRedis();

    await until(
      'every job done or failed',
      async () => {
        const c = await queue.getJobCounts('completed', 'failed');
        return c.completed === 4 && c.failed === 2;
      },
      120_000,
      250,
    ).catch((e: Error) => {
      throw new Error(`${e.message}\nworker A:\n${a.stderr()}\nworker B:\n${b.stderr()}`);
    });
    const job = await queue.getJob(killed!.id);
    const row = job!.returnvalue as Row;
    expect(row.worker).toBe(nameB);
    expect(row.resumedFrom).toHaveLength(1);
    expect(row.resumedFrom![0]).toBeGreaterThanOrEqual(killed!.step);
    expect(row.resumedFrom![0]).toBeLessThan(60);
    // contiguous: one evaluation every 5 steps from the first to the last
    const steps = row.curve.step;
    expect(steps.at(-1)).toBe(60);
    for (let i = 1; i < steps.length; i++) expect(steps[i]! - steps[i - 1]!).toBe(i === 1 ? steps[1]! - steps[0]! : 5);

    const status = await sweep(['status', '--redis', url, '--json']).done;
    const counts = JSON.parse(status.stdout.trim()) as {
      waiting: number;
      running: number;
      done: number;
      failed: number;
      failures: { name: string; reason: string }[];
    };
    expect({ waiting: counts.waiting, running: counts.running, done: counts.done, failed: counts.failed }).toEqual({
      waiting: 0,
      running: 0,
      done: 4,
      failed: 2,
    });
    const reasons = counts.failures.map((f) => f.reason).join('\n');
    expect(reasons).toMatch(/--lr/);
    expect(reasons).toMatch(/unknown flag --no-such-flag/);

    for (const _ of [1, 2]) {
      const c = await sweep(['collect', '--redis', url, '--results', results]).done;
      expect(c.code, c.stderr).toBe(0);
      expect(rowsIn(join(results, 'race-q.jsonl'))).toHaveLength(4);
      expect(rowsIn(join(results, 'race-bad.jsonl'))).toHaveLength(0);
    }
    // a worker stops cleanly on SIGTERM
    b.child.kill('SIGTERM');
    expect((await b.done).code).toBe(0);

    // its twin ran uninterrupted: the resumed series equals it
    const twin = (await queue.getCompleted()).map((j) => j.returnvalue as Row).find((r) => r.seed === row.seed && r.arm !== row.arm)!;
    expect(twin.resumedFrom).toBeUndefined();
    expect(row.curve).toEqual(twin.curve);
    expect(row.finalValAcc).toBe(twin.finalValAcc);
    await queue.close();
    probe.disconnect();
  });
});
