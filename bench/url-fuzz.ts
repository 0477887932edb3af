/**
 * URL fuzz as a benchmark: N random and malformed share-link queries through the page's one reader
 * (config/url.ts's decodeLink, then the lesson's reading of its keys; CI's unit test runs
 * 3 000 of the same kind, and checks there that every key not applied is named in a message).
 * Each must decode without throwing to a config the schema accepts; the bench counts the
 * failures (0 is the only pass; exit status 1 otherwise) and times the decoder.
 *
 *   npx tsx bench/url-fuzz.ts [--count 10000] [--seed 7]
 *
 * One JSON line last: {"count":…,"failures":…,"messages":…,"msPerQuery":…}
 */
import { parseArgs } from 'node:util';
import { FIELDS, FIELD_KEYS } from '../src/config/fields';
import { CLASSROOM_CONFIG } from '../src/config/presets';
import { buildConfig, validateConfig } from '../src/config/schema';
import { decodeLink } from '../src/config/url';
import { lessonFromLink } from '../src/ui/lesson/chapters';
import { Rng } from '../src/engine/rng';

const { values: args } = parseArgs({ options: { count: { type: 'string', default: '10000' }, seed: { type: 'string', default: '7' } } });
const count = Number(args.count);
const rng = new Rng(Number(args.seed), 'url-fuzz');
const BASE = buildConfig(CLASSROOM_CONFIG);
const keys = [
  ...FIELD_KEYS.map((k) => FIELDS[k].short),
  'v',
  'hide',
  'cmp',
  'seeds',
  'lesson',
  'chapter',
  'view',
  'x',
  '',
  '__proto__',
  'constructor',
  'toString',
];
const junk = [
  '',
  '1e400',
  'NaN',
  '-1',
  '0x10',
  '1/0',
  '%',
  '%%41',
  '%E0%A4%A',
  '<script>alert(1)</script>',
  '${1}',
  '1e-9',
  '3.5',
  'true',
  '[]',
  '{}',
  '😀',
  'a'.repeat(5000),
  '97',
  '0.5',
  '16-16',
  '-',
  ',,',
  'neuralgrok,adamw@x',
  '2',
  '+1',
  ' 1 ',
  '\u0000',
];
const randomText = () => String.fromCharCode(...Array.from({ length: rng.int(12) }, () => rng.int(0x3000)));

let failures = 0;
let messages = 0;
const examples: string[] = [];
const start = performance.now();
for (let i = 0; i < count; i++) {
  const parts: string[] = [];
  for (let j = rng.int(10); j > 0; j--) {
    const key = keys[rng.int(keys.length)]!;
    const r = rng.next();
    const value = r < 0.4 ? junk[rng.int(junk.length)]! : r < 0.8 ? String(rng.next() * 10 ** (rng.int(10) - 4)) : randomText();
    parts.push(rng.next() < 0.1 ? key : `${encodeURIComponent(key)}=${rng.next() < 0.3 ? value : encodeURIComponent(value)}`);
  }
  const query = (rng.next() < 0.5 ? '?' : '') + parts.join(rng.next() < 0.9 ? '&' : '&&');
  try {
    const decoded = decodeLink(query, BASE);
    validateConfig(decoded.config);
    lessonFromLink(decoded.page);
    messages += decoded.messages.length;
  } catch (e) {
    failures++;
    if (examples.length < 5) examples.push(`${query.slice(0, 200)} → ${(e as Error).message}`);
  }
}
const ms = performance.now() - start;
for (const e of examples) process.stderr.write(`failure: ${e}\n`);
console.log(
  JSON.stringify({ count, failures, messages, msPerQuery: Math.round((1000 * ms) / count) / 1000, seconds: Math.round(ms) / 1000 }),
);
process.exitCode = failures === 0 ? 0 : 1;
