/**
 * No library function changes the process environment (issue 30, item 5): only a program's
 * entry point does (the CLI's main clears OpenBLAS's kernel pinning for its own process); a
 * library that must hand a native library a variable does it through withEnvironment, which
 * puts it back. The OpenBLAS matmul's own functions are checked in blas-matmul.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withEnvironment } from '../src/cli/process-env';
import { blasFromEnvironment } from '../src/cli/blas-matmul';

/** The programs under src/: they own their process's environment. */
const ENTRY_POINTS = ['src/cli/main.ts', 'src/sweep/main.ts'];
const HELPER = 'src/cli/process-env.ts';

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** Writes to process.env: an assignment, a delete, Object.assign onto it. */
const WRITES_ENV = /delete\s+process\.env\b|process\.env(?:\.\w+|\[[^\]]+\])\s*(?:=(?!=)|\?\?=|\|\|=)|Object\.assign\(\s*process\.env/;

describe('the process environment', () => {
  it('recognizes the ways a module writes it', () => {
    for (const code of [
      'delete process.env[v];',
      'process.env.VK_ICD_FILENAMES = icd;',
      "process.env['A'] = '1'",
      'Object.assign(process.env, vars)',
    ])
      expect(WRITES_ENV.test(code), code).toBe(true);
    for (const code of ['if (process.env.A === "1")', 'const x = process.env.A ?? 1', 'env.GROKLAB_BLAS = 1'])
      expect(WRITES_ENV.test(code), code).toBe(false);
  });

  it('only entry points under src/ write it (and withEnvironment, which puts it back)', () => {
    const writers = tsFiles('src').filter((f) => WRITES_ENV.test(readFileSync(f, 'utf8')));
    expect(writers.filter((f) => !ENTRY_POINTS.includes(f) && f !== HELPER)).toEqual([]);
  });

  it('withEnvironment sets variables for the call and puts back what was there, thrown or not', async () => {
    process.env.GROKLAB_TEST_KEPT = 'before';
    delete process.env.GROKLAB_TEST_NEW;
    const seen = await withEnvironment({ GROKLAB_TEST_KEPT: 'during', GROKLAB_TEST_NEW: 'x' }, async () => [
      process.env.GROKLAB_TEST_KEPT,
      process.env.GROKLAB_TEST_NEW,
    ]);
    expect(seen).toEqual(['during', 'x']);
    expect(process.env.GROKLAB_TEST_KEPT).toBe('before');
    expect('GROKLAB_TEST_NEW' in process.env).toBe(false);
    await expect(
      withEnvironment({ GROKLAB_TEST_KEPT: 'during' }, async () => {
        throw new Error('failed');
      }),
    ).rejects.toThrow('failed');
    expect(process.env.GROKLAB_TEST_KEPT).toBe('before');
    delete process.env.GROKLAB_TEST_KEPT;
  });

  it('the OpenBLAS switch off reads its argument, not the process', () => {
    const before = { ...process.env };
    expect(blasFromEnvironment({})).toBeNull();
    expect(blasFromEnvironment({ GROKLAB_BLAS: '0' })).toBeNull();
    expect({ ...process.env }).toEqual(before);
  });
});
