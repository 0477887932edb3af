/**
 * docs/cli.md, generated from the CLI's own --help (itself generated from the config field
 * table and the method catalog), so the reference never lags the flags.
 *
 *   npx tsx scripts/cli-reference.ts          # rewrite docs/cli.md
 *   npx tsx scripts/cli-reference.ts --check  # exit 1 when docs/cli.md is stale (tests/cli-reference.test.ts)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cliReferenceMarkdown } from '../src/cli/reference';

const file = 'docs/cli.md';
const text = cliReferenceMarkdown();
if (process.argv.includes('--check')) {
  const current = readFileSync(file, 'utf8');
  if (current !== text) {
    console.error(`${file} is stale: run npx tsx scripts/cli-reference.ts`);
    process.exit(1);
  }
} else {
  writeFileSync(file, text);
  console.error(`wrote ${file}`);
}
