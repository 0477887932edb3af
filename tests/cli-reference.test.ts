/** docs/cli.md is generated from the flags: it fails when a flag changed and the page was not regenerated. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliReferenceMarkdown } from '../src/cli/reference';

describe('docs/cli.md', () => {
  it('is the CLI’s current --help (npx tsx scripts/cli-reference.ts regenerates it)', () => {
    expect(readFileSync('docs/cli.md', 'utf8')).toBe(cliReferenceMarkdown());
  });
});
