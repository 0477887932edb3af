/**
 * Which top-level folder may import which (issue 30, "small homes"): the app's code imports only
 * itself; the page driver in tools/ imports only the app; benchmarks never import tests, scripts
 * never import benchmarks or tests. Every relative import (static, dynamic, re-export) of every
 * TypeScript file is resolved to the folder it lands in. `npm run lint` says the same for bench/,
 * scripts/ and tools/ (.oxlintrc.json); this test also sees dynamic imports. Inside src/, the two
 * lowest floors: src/core imports only itself, src/paper only src/core and itself.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

const ALLOWED: Record<string, string[]> = {
  src: ['src'],
  tools: ['src', 'tools'],
  bench: ['src', 'bench', 'tools'],
  scripts: ['src', 'scripts', 'tools'],
  sweeps: ['src', 'sweeps'],
  tests: ['src', 'tests', 'tools', 'bench', 'scripts', 'sweeps'],
};

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? e.name === 'node_modules'
        ? []
        : tsFiles(join(dir, e.name))
      : /\.(ts|tsx|mts)$/.test(e.name)
        ? [join(dir, e.name)]
        : [],
  );
}

/** Every module specifier of a file: `from '…'`, `import '…'`, `import('…')`. */
function importSpecifiers(source: string): string[] {
  return [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

/** The top-level folder a relative import lands in, or null for a package. */
function landsIn(file: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  return normalize(join(dirname(file), specifier)).split('/')[0]!;
}

describe('import homes', () => {
  it('reads the specifiers of static, dynamic and re-exporting imports', () => {
    const src = `import a from './a';\nimport type { B } from "../tests/b";\nexport { c } from '../bench/c';\nconst d = await import('../scripts/d');\nimport 'fake-indexeddb/auto';`;
    expect(importSpecifiers(src)).toEqual(['./a', '../tests/b', '../bench/c', '../scripts/d', 'fake-indexeddb/auto']);
    expect(landsIn('bench/browser.ts', '../tests/e2e/harness')).toBe('tests');
    expect(landsIn('tests/e2e/harness.ts', '../../tools/browser')).toBe('tools');
    expect(landsIn('scripts/x.ts', 'vitest')).toBeNull();
  });

  it('no folder imports one above it: bench never imports tests, scripts never import bench', () => {
    const wrong: string[] = [];
    for (const [folder, allowed] of Object.entries(ALLOWED))
      for (const file of tsFiles(folder))
        for (const spec of importSpecifiers(readFileSync(file, 'utf8'))) {
          const target = landsIn(file, spec);
          if (target !== null && !allowed.includes(target)) wrong.push(`${file} imports ${spec}`);
        }
    expect(wrong).toEqual([]);
  });

  it('inside src/: core imports only itself, the paper module only core and itself (core never imports the paper)', () => {
    const floors: Record<string, string[]> = { 'src/core': ['src/core'], 'src/paper': ['src/core', 'src/paper'] };
    const wrong: string[] = [];
    for (const [folder, allowed] of Object.entries(floors))
      for (const file of tsFiles(folder))
        for (const spec of importSpecifiers(readFileSync(file, 'utf8'))) {
          if (!spec.startsWith('.')) continue;
          const target = normalize(join(dirname(file), spec))
            .split('/')
            .slice(0, 2)
            .join('/');
          if (!allowed.includes(target)) wrong.push(`${file} imports ${spec}`);
        }
    expect(wrong).toEqual([]);
  });

  it('the page driver in tools/ imports no test runner (a benchmark or a script can load it)', () => {
    for (const file of tsFiles('tools')) expect(importSpecifiers(readFileSync(file, 'utf8')), file).not.toContain('vitest');
  });
});
