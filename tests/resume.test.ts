/**
 * Runs that resume mid-way (issue 28): a run cut at step k, its checkpoint written to the
 * file format and read back, and resumed, equals the uninterrupted run bit for bit — losses,
 * accuracies, every evaluation column and the final weights — for every method, GrokFast-MA
 * with its window not yet full and NeuralGrok mid-way through its T-cycle. A damaged,
 * truncated or foreign checkpoint is refused with a message.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLASSROOM_CONFIG } from '../src/config/presets';
import { buildConfig, type RunConfig, type ValidConfig } from '../src/config/schema';
import { activateBackend } from '../src/engine/backend';
import { runTraining, type RunCheckpoint } from '../src/engine/runner';
import {
  CheckpointError,
  decodeCheckpoint,
  encodeCheckpoint,
  originHistory,
  readCheckpointFile,
  writeCheckpointFile,
} from '../src/cli/checkpoint-file';

const ORIGIN = { backend: 'wasm', matmul: 'xnnpack' };
const BASE = buildConfig(CLASSROOM_CONFIG, { p: 11, steps: 14, evalEvery: 3, seed: 3 });

const ARMS: [string, Partial<RunConfig>][] = [
  ['standard (coupled decay, warm-up crossing the cut)', { method: 'standard' }],
  ['AdamW', { method: 'adamw' }],
  ['GrokFast-EMA', { method: 'grokfast_ema' }],
  ['GrokFast-MA, window not yet full at the cut', { method: 'grokfast_ma', maWindow: 8 }],
  ['gradient normalization, matched', { method: 'gradnorm', normMatched: true }],
  ['NeuralGrok mid-T-cycle (T 3, cut at 4)', { method: 'neuralgrok', ngHidden: [8, 8], ngEvery: 3, ngMetaLr: 0.05, ngMetaWd: 0 }],
  ['⊥Grad (AdamW without decay)', { method: 'orthograd' }],
  ['StableMax loss (with ⊥Grad)', { method: 'orthograd', loss: 'stablemax' }],
  ['StableMax loss (AdamW)', { loss: 'stablemax' }],
  ['the MLP with ⊥Grad', { model: 'mlp', dModel: 24, method: 'orthograd' }],
];

async function finalWeights(config: ValidConfig, opts: Parameters<typeof runTraining>[1] = {}) {
  let weights: Record<string, Float32Array> = {};
  const result = await runTraining(config, {
    ...opts,
    beforeDispose: async (t) => {
      weights = await t.exportParameters();
    },
  });
  return { result, weights };
}

describe('a resumed run', () => {
  beforeAll(() => activateBackend('wasm'));

  for (const [label, fields] of ARMS) {
    it(`equals the uninterrupted one bit for bit: ${label}`, async () => {
      const config = buildConfig(BASE, fields);
      const whole = await finalWeights(config);
      // Cut after step 4 (a checkpoint boundary): the run stops there as on a signal.
      let saved: RunCheckpoint | null = null;
      let cut = false;
      const first = await runTraining(config, {
        checkpoint: { every: 4, save: (c) => void (saved = c) },
        onProgress: (p) => void (cut ||= p.step >= 4),
        shouldStop: () => cut,
      });
      expect(first.summary.interrupted).toBe(true);
      expect(saved!.checkpoint.step).toBe(4);
      // through the file format, as the CLI reads it (a Node Buffer at an offset in a larger pool)
      const { run } = decodeCheckpoint(Buffer.concat([Buffer.alloc(8), Buffer.from(encodeCheckpoint(saved!, ORIGIN))]).subarray(8));
      const resumed = await finalWeights(config, { resume: run });
      expect(resumed.result.summary.resumedFrom).toEqual([4]);
      expect(resumed.result.series).toEqual(whole.result.series);
      expect(resumed.weights).toEqual(whole.weights);
      expect(resumed.result.summary.finalValAcc).toBe(whole.result.summary.finalValAcc);
    });
  }

  it('without the method state and batch position it would differ (the test can fail)', async () => {
    const config = buildConfig(BASE, { method: 'grokfast_ema' });
    const whole = await finalWeights(config);
    let saved: RunCheckpoint | null = null;
    let cut = false;
    await runTraining(config, {
      checkpoint: { every: 4, save: (c) => void (saved = c) },
      onProgress: (p) => void (cut ||= p.step >= 4),
      shouldStop: () => cut,
    });
    const { checkpoint } = saved!;
    const noMethod = await finalWeights(config, { resume: { ...saved!, checkpoint: { ...checkpoint, method: null } } });
    expect(noMethod.weights).not.toEqual(whole.weights);
    const noSampler = await finalWeights(config, { resume: { ...saved!, checkpoint: { ...checkpoint, sampler: undefined } } });
    expect(noSampler.weights).not.toEqual(whole.weights);
  });
});

describe('checkpoint files', () => {
  let file = '';
  let config: ValidConfig;
  beforeAll(async () => {
    await activateBackend('wasm');
    config = buildConfig(BASE, { method: 'grokfast_ma', maWindow: 4, steps: 6 });
    file = join(mkdtempSync(join(tmpdir(), 'groklab-ckpt-')), 'run.ckpt');
    await runTraining(config, { checkpoint: { every: 6, save: (c) => writeCheckpointFile(file, c, ORIGIN) } });
  });

  it('are read back whole, with the window and its sum', () => {
    const run = readCheckpointFile(file, config, ORIGIN);
    expect(run.checkpoint.step).toBe(6);
    expect(run.checkpoint.method?.scalars.filled).toBe(4);
    expect(Object.keys(run.checkpoint.method!.arrays).sort()).toEqual(['sum', 'window.0', 'window.1', 'window.2', 'window.3']);
    expect(run.series.train.step).toEqual([1, 2, 3, 4, 5, 6]);
    expect(existsSync(`${file}.${process.pid}.tmp`)).toBe(false); // written atomically
  });

  it('refuse a truncated file', () => {
    const bytes = readFileSync(file);
    writeFileSync(`${file}.cut`, bytes.subarray(0, bytes.length - 100));
    expect(() => readCheckpointFile(`${file}.cut`, config, ORIGIN)).toThrow(/truncated/);
    writeFileSync(`${file}.cut`, bytes.subarray(0, 30));
    expect(() => readCheckpointFile(`${file}.cut`, config, ORIGIN)).toThrow(CheckpointError);
  });

  it('refuse a damaged one', () => {
    const bytes = Uint8Array.from(readFileSync(file));
    bytes[bytes.length - 200]! ^= 1;
    writeFileSync(`${file}.bad`, bytes);
    expect(() => readCheckpointFile(`${file}.bad`, config, ORIGIN)).toThrow(/checksum/);
    expect(() => readCheckpointFile(join(tmpdir(), 'no-such-groklab.ckpt'), config, ORIGIN)).toThrow(/cannot read/);
    writeFileSync(`${file}.txt`, 'hello');
    expect(() => readCheckpointFile(`${file}.txt`, config, ORIGIN)).toThrow(/not a GrokLab checkpoint/);
  });

  it('refuse another run’s config, naming the fields, but allow a longer budget', () => {
    expect(() => readCheckpointFile(file, { ...config, lr: 0.003 }, ORIGIN)).toThrow(/lr 0\.01 there, 0\.003 here/);
    expect(() => readCheckpointFile(file, { ...config, seed: 4 }, ORIGIN)).toThrow(/seed 3 there, 4 here/);
    expect(readCheckpointFile(file, { ...config, steps: 600 }, ORIGIN).config.steps).toBe(600);
  });

  it('read a config written before a field existed with that field’s default', () => {
    const run = readCheckpointFile(file, config, ORIGIN);
    const { loss: _loss, ...older } = run.config as RunConfig & { loss?: string };
    const oldFile = `${file}.old`;
    writeCheckpointFile(oldFile, { ...run, config: older as RunConfig }, ORIGIN);
    expect(readCheckpointFile(oldFile, config, ORIGIN).checkpoint.step).toBe(6);
    expect(() => readCheckpointFile(oldFile, { ...config, loss: 'stablemax' }, ORIGIN)).toThrow(/loss "softmax" there, "stablemax" here/);
  });

  it('refuse another matmul (it would round differently)', () => {
    expect(() => readCheckpointFile(file, config, { backend: 'wasm', matmul: 'openblas Haswell ×1' })).toThrow(/round differently/);
  });

  it('go on on another matmul only when asked, recording where the rounding changed, across later resumes', () => {
    const skx = { backend: 'wasm', matmul: 'openblas SkylakeX ×1' };
    const moved = readCheckpointFile(file, config, skx, true);
    expect(moved.roundingChanged).toBe(true);
    expect(moved.checkpoint.step).toBe(6);
    expect(moved.origin).toEqual({ ...skx, earlier: ['backend wasm (matmul xnnpack) to step 6'] });
    expect(originHistory(moved.origin)).toBe('backend wasm (matmul xnnpack) to step 6; then backend wasm (matmul openblas SkylakeX ×1)');
    // written on by the moved run, then resumed on the same matmul: no new change, the history kept
    const later = `${file}.moved`;
    writeCheckpointFile(later, moved, moved.origin);
    const again = readCheckpointFile(later, config, skx);
    expect(again.roundingChanged).toBe(false);
    expect(again.origin.earlier).toEqual(['backend wasm (matmul xnnpack) to step 6']);
    // the file it came from still refuses the change when not asked
    expect(() => readCheckpointFile(later, config, ORIGIN)).toThrow(/--allow-rounding-change/);
    expect(readCheckpointFile(file, config, ORIGIN).origin).toEqual(ORIGIN);
  });
});

const exec = promisify(execFile);
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec('node_modules/.bin/tsx', ['src/cli/main.ts', ...args], { timeout: 100_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('the CLI’s --checkpoint and --resume', () => {
  const FLAGS = ['--preset', 'classroom', '--p', '11', '--method', 'grokfast_ma', '--ma-window', '8', '--eval-every', '5', '--quiet'];
  it('a run of 20 steps continued to 30 equals a run of 30', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'groklab-cli-ckpt-'));
    const ckpt = join(dir, 'run.ckpt');
    const whole = await cli([...FLAGS, '--steps', '30', '--out', join(dir, 'whole.json')]);
    expect(whole.code).toBe(0);
    expect((await cli([...FLAGS, '--steps', '20', '--checkpoint', ckpt, '--checkpoint-every', '10'])).code).toBe(0);
    // a second start on the same file is refused: it would overwrite the progress
    const again = await cli([...FLAGS, '--steps', '20', '--checkpoint', ckpt]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--resume/);
    const resumed = await cli([...FLAGS, '--steps', '30', '--resume', ckpt, '--out', join(dir, 'resumed.json')]);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/resuming from step 20/);
    const a = JSON.parse(readFileSync(join(dir, 'whole.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(dir, 'resumed.json'), 'utf8'));
    expect(b.evals).toEqual(a.evals);
    expect(b.train).toEqual(a.train);
    expect(JSON.parse(resumed.stdout.trim().split('\n').at(-1)!).resumedFrom).toEqual([20]);
    // another seed is another run
    const other = await cli([...FLAGS, '--steps', '30', '--seed', '1', '--resume', ckpt]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/another run: seed 0 there, 1 here; nothing was changed/);
  });
});
