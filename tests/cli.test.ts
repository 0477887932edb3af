import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseArgs, helpText } from '../src/cli/args';
import { FIELD_KEYS } from '../src/config/fields';

const run = promisify(execFile);
const CLI = ['node_modules/.bin/tsx', 'src/cli/main.ts'];

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(CLI[0]!, [CLI[1]!, ...args], { timeout: 100_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('CLI flags', () => {
  it('has a flag for every config field, listed in --help with its default', () => {
    const help = helpText();
    for (const k of FIELD_KEYS) expect(help).toContain('--' + k.replace(/[A-Z]/g, (m) => '-' + m.toLowerCase()));
    expect(help).toContain('Default 0.001');
  });

  it('parses presets, values and lists; the method brings its reference weight decay', () => {
    const o = parseArgs([
      '--preset',
      'classroom',
      '--task',
      'sq_sub',
      '--method',
      'standard',
      '--lr=0.002',
      '--ng-hidden',
      '8,8',
      '--stop-when-grokked',
    ]);
    expect(o.config).toMatchObject({
      task: 'sq_sub',
      method: 'standard',
      lr: 0.002,
      ngHidden: [8, 8],
      weightDecay: 1e-3,
      weightDecayMode: 'coupled',
      p: 31,
    });
    expect(parseArgs(['--method', 'standard', '--weight-decay', '0']).config.weightDecay).toBe(0); // plain Adam, one flag away
    expect(o.stopWhenGrokked).toBe(true);
    expect(parseArgs(['--method', 'adamw']).config).toMatchObject({ weightDecay: 1, weightDecayMode: 'decoupled', p: 97, dModel: 128 });
    expect(parseArgs(['--method', 'adamw', '--weight-decay', '0.3']).config.weightDecay).toBe(0.3);
  });

  it('names the flag and the allowed range on bad input', () => {
    expect(() => parseArgs(['--bogus', '1'])).toThrow(/unknown flag --bogus/);
    expect(() => parseArgs(['--lr', '5'])).toThrow('--lr: 5 is out of range: must be ≤ 1 (allowed: 0.000001 … 1)');
    expect(() => parseArgs(['--lr', 'fast'])).toThrow(/--lr: "fast" is not a number/);
    expect(() => parseArgs(['--task', 'pow'])).toThrow(/--task.*add \| sub/);
    expect(() => parseArgs(['--p', '91'])).toThrow(/--p: p = 91 is not prime/);
    expect(() => parseArgs(['--d-model', '30', '--heads', '4'])).toThrow(/--heads: width 30 is not divisible/);
    expect(() => parseArgs(['--task', 'poly5', '--p', '97'])).toThrow(/--p:.*limit/);
  });

  it('reads what util.parseArgs tokenizes as the hand-written reader did: switches, values, the first bad flag', () => {
    // a boolean field alone is on; given the next argument (not a flag) it reads that as its value
    expect(parseArgs(['--ng-frozen']).config.ngFrozen).toBe(true);
    expect(parseArgs(['--ng-frozen', '--quiet'])).toMatchObject({ quiet: true, config: { ngFrozen: true } });
    expect(parseArgs(['--ng-frozen', '0', '--quiet'])).toMatchObject({ quiet: true, config: { ngFrozen: false } });
    expect(parseArgs(['--ng-frozen=0']).config.ngFrozen).toBe(false);
    expect(() => parseArgs(['--ng-frozen', '-h'])).toThrow(/^--ng-frozen: /);
    // a value may start with a dash; the last of a repeated flag wins
    expect(() => parseArgs(['--seed', '-1'])).toThrow(/^--seed: -1 is out of range/);
    expect(() => parseArgs(['--lr', '--steps'])).toThrow('--lr: "--steps" is not a number');
    expect(parseArgs(['--lr', '0.1', '--lr=0.2']).config.lr).toBe(0.2);
    expect(parseArgs(['-h', '--quiet=1'])).toMatchObject({ help: true, quiet: true });
    // each bad argument named as typed, the first one first
    expect(() => parseArgs(['--lr'])).toThrow('--lr needs a value');
    expect(() => parseArgs(['--preset'])).toThrow('--preset needs a value');
    expect(() => parseArgs(['--lr=', '--bogus'])).toThrow(/^--lr: /);
    expect(() => parseArgs(['--bogus=1', '--lr', '5'])).toThrow('unknown flag --bogus (run with --help for the list)');
    expect(() => parseArgs(['steps=5'])).toThrow('unknown flag steps (run with --help for the list)');
    expect(() => parseArgs(['-xh'])).toThrow('unknown flag -xh (run with --help for the list)');
    expect(() => parseArgs(['--', '--lr', '1'])).toThrow('unknown flag -- (run with --help for the list)');
    expect(() => parseArgs(['--quiet', 'extra'])).toThrow('unknown flag extra (run with --help for the list)');
    expect(() => parseArgs(['--preset', 'bogus', '--lr', '5'])).toThrow(/^--preset: unknown preset "bogus"/);
  });
});

describe('CLI process', () => {
  it('runs, writes the run file and ends stdout with one JSON summary', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'groklab-')), 'run.json');
    const r = await cli(['--preset', 'classroom', '--p', '11', '--steps', '25', '--eval-every', '10', '--seed', '2', '--out', out]);
    expect(r.code).toBe(0);
    const last = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    for (const k of ['stepsTo95', 'stepsTo99', 'finalTrainAcc', 'finalValAcc', 'steps', 'seconds']) expect(last).toHaveProperty(k);
    expect(last.steps).toBe(25);
    expect(r.stderr).toMatch(/step\s+25\/25/);
    expect(r.stderr).toMatch(/steps to grok/);
    const file = JSON.parse(readFileSync(out, 'utf8'));
    expect(file.config).toMatchObject({ p: 11, seed: 2, steps: 25 });
    expect(file.train.step).toHaveLength(25);
    expect(file.evals.step).toEqual([1, 10, 20, 25]);
    expect(file.summary.finalValAcc).toBe(last.finalValAcc);
  });

  it('transfers an amplifier: --amplifier with --ng-frozen applies it unchanged on another task', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'groklab-'));
    const base = ['--preset', 'classroom', '--p', '11', '--method', 'neuralgrok', '--eval-every', '5', '--quiet'];
    expect((await cli([...base, '--task', 'add', '--steps', '6', '--out', join(dir, 'a.json')])).code).toBe(0);
    const trained = JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8')).amplifier;
    expect(trained.format).toBe('groklab-amplifier');
    const frozen = await cli([
      ...base,
      '--task',
      'mul',
      '--steps',
      '4',
      '--ng-frozen',
      '--amplifier',
      join(dir, 'a.json'),
      '--out',
      join(dir, 'b.json'),
    ]);
    expect(frozen.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8')).amplifier).toEqual(trained);
    const bad = await cli([...base, '--steps', '2', '--ng-hidden', '4', '--amplifier', join(dir, 'a.json')]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/amplifier widths 128,128 do not match 4/);
  });

  it('exits non-zero with a message for an unknown flag or an out-of-range value', async () => {
    const a = await cli(['--learning-rate', '0.1']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/unknown flag --learning-rate/);
    const b = await cli(['--train-fraction', '1.5']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('--train-fraction: 1.5 is out of range: must be ≤ 0.95 (allowed: 0.05 … 0.95)');
  });
});
