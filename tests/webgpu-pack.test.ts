/**
 * `npm run pack:gpu`: dist-gpu/ under 60 MB, copied to a temporary folder, runs the CLI for a
 * few steps with no node_modules beside it and no Node on PATH (only sh and the file tools the
 * entry script uses). SLOW (strips and compresses Node, then unpacks it): runs when
 * GROKLAB_PACK_TEST=1, which `npm test` sets; skipped, saying so, otherwise.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const run = process.env.GROKLAB_PACK_TEST === '1';
const dir = mkdtempSync(join(tmpdir(), 'groklab-pack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const size = (p: string): number =>
  statSync(p).isDirectory() ? readdirSync(p).reduce((n, f) => n + size(join(p, f)), 0) : statSync(p).size;

describe.skipIf(!run)('dist-gpu (slow: GROKLAB_PACK_TEST=1)', () => {
  it('packs under 60 MB and runs the CLI from a copy with no node_modules and no Node on PATH', () => {
    execFileSync('npm', ['run', 'pack:gpu'], { stdio: 'ignore' });
    expect(size('dist-gpu')).toBeLessThan(60 * 1024 * 1024);
    cpSync('dist-gpu', join(dir, 'dist-gpu'), { recursive: true });
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    for (const tool of ['sh', 'gzip', 'cp', 'mkdir', 'cat', 'dirname', 'rm', 'mv', 'chmod']) {
      const path = execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
      symlinkSync(path, join(bin, tool));
    }
    const env = { PATH: bin, HOME: dir };
    expect(() => execFileSync(join(bin, 'sh'), ['-c', 'command -v node'], { env, cwd: dir })).toThrow();
    expect(existsSync(join(dir, 'node_modules'))).toBe(false);
    const out = execFileSync(join(bin, 'sh'), ['-c', './dist-gpu/groklab grok --preset classroom --steps 4 --eval-every 2 --quiet'], {
      env,
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const summary = JSON.parse(out.trim().split('\n').at(-1)!) as { steps: number; backend: string; finalTrainAcc: number };
    expect(summary.steps).toBe(4);
    expect(summary.backend).toBe('wasm');
    expect(Number.isFinite(summary.finalTrainAcc)).toBe(true);
  }, 600_000);
});
