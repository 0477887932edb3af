import { describe, expect, it } from 'vitest';
import { FIELDS, FIELD_KEYS, type FieldSpec } from '../src/config/fields';
import { buildConfig, validateConfig, type RunConfig } from '../src/config/schema';
import { CLASSROOM_CONFIG, presetById } from '../src/config/presets';
import { decodeConfigQuery, decodeLink, encodeConfigQuery, encodeLink, forcedThreadsFromHash } from '../src/config/url';
import { lessonFromLink } from '../src/ui/lesson/chapters';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../src/engine/rng';

const BASE = buildConfig(CLASSROOM_CONFIG);

/** A valid value different from the base for every field. */
function otherValue(k: (typeof FIELD_KEYS)[number], rng: Rng): unknown {
  const spec: FieldSpec = FIELDS[k];
  switch (spec.kind) {
    case 'enum':
      return spec.choices.find((c) => c !== BASE[k])!;
    case 'boolean':
      return !BASE[k];
    case 'intList':
      return [3, 7];
    case 'number': {
      if (k === 'p') return 13;
      if (k === 'heads') return 2;
      if (k === 'dModel') return 48;
      const v = spec.integer
        ? spec.min + 1 + rng.int(Math.min(1000, spec.max - spec.min - 1))
        : spec.min + (spec.max - spec.min) * (0.1 + 0.8 * rng.next());
      return v === BASE[k] ? spec.max : v;
    }
  }
}

describe('config URLs', () => {
  it('round-trips every field exactly and writes only non-default values', () => {
    expect(encodeConfigQuery(BASE, BASE)).toBe('v=3');
    const rng = new Rng(1);
    for (const k of FIELD_KEYS) {
      const config = validateConfig({ ...BASE, [k]: otherValue(k, rng), ...(k === 'task' ? { task: 'sub' } : {}) });
      const query = encodeConfigQuery(config, BASE);
      expect(query.split('&')).toHaveLength(2);
      const back = decodeConfigQuery(query, BASE);
      expect(back.messages, `${k}: ${query}`).toEqual([]);
      expect(back.config).toEqual(config);
    }
  });

  it('a v1 link keeps the NeuralGrok c of its day (1) where it states none; a stated c and v2 links read as written', () => {
    expect(BASE.ngC).toBe(0.2); // the reference code's default
    expect(decodeConfigQuery('v=1&method=neuralgrok', BASE).config.ngC).toBe(1);
    expect(decodeConfigQuery('v=1&p=11&cmp=neuralgrok,adamw', BASE).config.ngC).toBe(1);
    expect(decodeConfigQuery('v=1&method=neuralgrok&ngc=0.5', BASE).config.ngC).toBe(0.5);
    expect(decodeConfigQuery('v=2&method=neuralgrok', BASE).config.ngC).toBe(0.2);
    expect(decodeConfigQuery('v=1&method=adamw', BASE).config.ngC).toBe(0.2); // no NeuralGrok: nothing to keep
    expect(decodeConfigQuery('v=1&method=neuralgrok', BASE).messages).toEqual([]);
  });

  it('a v1 or v2 link keeps the classroom demo’s lr of its day (0.01) where it states none; v3 and a stated lr read as written', () => {
    const page = buildConfig(presetById('classroom')!.config); // the page's base: the classroom demo
    expect(page.lr).toBe(0.015);
    expect(decodeConfigQuery('v=2&wd=0', page).config.lr).toBe(0.01);
    expect(decodeConfigQuery('v=1&p=11', page).config.lr).toBe(0.01);
    expect(decodeConfigQuery('v=2&lr=0.003', page).config.lr).toBe(0.003);
    expect(decodeConfigQuery('v=3&wd=0', page).config.lr).toBe(0.015);
    expect(decodeConfigQuery('v=2&wd=0', page).messages).toEqual([]);
    // another base (a test's, the CLI's) is not the classroom demo: nothing to keep
    expect(decodeConfigQuery('v=2&wd=0', BASE).config.lr).toBe(BASE.lr);
  });

  it('reads a hand-written link with short keys', () => {
    const r = decodeConfigQuery('?v=1&task=sq_sub&p=97&method=neuralgrok&lr=0.001&seed=3&ngh=64-128-64&hide=model,method', BASE);
    expect(r.messages).toEqual([]);
    expect(r.config).toMatchObject({ task: 'sq_sub', p: 97, method: 'neuralgrok', lr: 0.001, seed: 3, ngHidden: [64, 128, 64] });
    expect(r.hidden).toEqual(['model', 'method']);
  });

  it('keeps the good fields and names each bad one', () => {
    const r = decodeConfigQuery('v=9&lr=abc&p=91&task=pow&seed=7&bogus=1&d=30&h=4&wdall=maybe', BASE);
    expect(r.config.seed).toBe(7);
    expect(r.config.lr).toBe(BASE.lr);
    expect(r.config.p).toBe(BASE.p);
    expect(r.config.task).toBe(BASE.task);
    expect(r.config.dModel).toBe(BASE.dModel);
    const fields = r.messages.map((m) => m.field).sort();
    expect(fields).toEqual(['bogus', 'd', 'lr', 'p', 'task', 'v', 'wdall'].sort()); // d = 30 is not divisible by 4 heads
    expect(r.messages.find((m) => m.field === 'p')!.message).toMatch(/not prime/);
  });

  it('fuzz: thousands of random and malformed query strings never throw and always give a valid config', () => {
    const rng = new Rng(42);
    const keys = [...FIELD_KEYS.map((k) => FIELDS[k].short), 'v', 'hide', 'x', '', '__proto__', 'constructor'];
    const junk = [
      '',
      '1e400',
      'NaN',
      '-1',
      '0x10',
      '1/0',
      '%',
      '%%41',
      '<script>alert(1)</script>',
      '${1}',
      '1e-9',
      '3.5',
      'true',
      '[]',
      '{}',
      '😀',
      'a'.repeat(50),
      '97',
      '0.5',
      '16-16',
      '-',
      ',,',
    ];
    for (let i = 0; i < 3000; i++) {
      const parts: string[] = [];
      for (let j = rng.int(8); j > 0; j--) {
        const key = keys[rng.int(keys.length)]!;
        const value = rng.next() < 0.5 ? junk[rng.int(junk.length)]! : String(rng.next() * 10 ** (rng.int(8) - 3));
        parts.push(rng.next() < 0.1 ? key : `${encodeURIComponent(key)}=${rng.next() < 0.2 ? value : encodeURIComponent(value)}`);
      }
      const query = (rng.next() < 0.5 ? '?' : '') + parts.join(rng.next() < 0.9 ? '&' : '&&');
      const r = decodeConfigQuery(query, BASE);
      expect(() => validateConfig(r.config), query).not.toThrow();
      // every key that was not applied as given is named in a message
      for (const [k, v] of new URLSearchParams(query.replace(/^\?/, ''))) {
        const field = FIELD_KEYS.find((f) => FIELDS[f].short === k);
        if (!field || k === 'v' || k === 'hide') continue;
        const applied =
          JSON.stringify(r.config[field]) ===
          JSON.stringify(
            field === 'ngHidden'
              ? v.split(/[-,]/).map(Number)
              : FIELDS[field].kind === 'number'
                ? Number(v)
                : FIELDS[field].kind === 'boolean'
                  ? v === '1' || v === 'true'
                  : v,
          );
        if (!applied)
          expect(
            r.messages.some((m) => m.field === k || m.field === 'task' || m.field === '(link)'),
            `${query} → ${k}`,
          ).toBe(true);
      }
    }
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('ignores an over-long link with a message', () => {
    const r = decodeConfigQuery('seed=1&' + 'x'.repeat(5000), BASE);
    expect(r.config).toEqual(BASE as RunConfig);
    expect(r.messages[0]!.message).toMatch(/too long/);
  });
});

describe('the one reader of the address (issue 30)', () => {
  it('reads the lesson, its chapter and the paper view apart from the config, and writes them back', () => {
    const config = validateConfig({ ...BASE, lr: 0.003 });
    const query = encodeLink(config, BASE, { hidden: ['model'], lesson: { id: 'grokking', chapter: 2 }, view: 'paper' });
    expect(query).toBe('v=3&lr=0.003&hide=model&lesson=grokking&chapter=3&view=paper');
    const back = decodeLink(`?${query}`, BASE);
    expect(back.config).toEqual(config);
    expect(back.hidden).toEqual(['model']);
    expect(back.page).toEqual({ lesson: 'grokking', chapter: '3', view: 'paper' });
    expect(back.messages).toEqual([]); // the page keys are not "unknown settings"
    expect(back.statesConfig).toBe(true);
    expect(lessonFromLink(back.page)).toEqual({ id: 'grokking', chapter: 2 });
  });

  it('a link with only page keys states no config; the first of a repeated page key is used', () => {
    const r = decodeLink('?lesson=grokking&chapter=2&chapter=5', BASE);
    expect(r.statesConfig).toBe(false);
    expect(r.config).toEqual(BASE as RunConfig);
    expect(r.page).toEqual({ lesson: 'grokking', chapter: '2', view: null });
    expect(decodeLink('', BASE)).toMatchObject({ statesConfig: false, page: { lesson: null, chapter: null, view: null } });
    expect(decodeLink('?view=other', BASE).page.view).toBe('other');
  });

  it('a malformed escape in a page key is read leniently, never thrown (decodeURIComponent threw before)', () => {
    const r = decodeLink('?lesson=%&chapter=%', BASE);
    expect(r.page).toMatchObject({ lesson: '%', chapter: '%' });
    expect(lessonFromLink(r.page)).toEqual({ error: 'lesson: unknown lesson "%" (known: grokking)' });
    expect(decodeLink('?lesson=%E0%A4%A', BASE).page.lesson).toBe('\ufffd%A');
    expect(lessonFromLink({ lesson: 'grokking', chapter: '%' })).toMatchObject({ chapter: 0, note: expect.stringMatching(/chapter "%"/) });
  });

  it('reads the benchmarks’ #threads=N from the hash only', () => {
    expect(forcedThreadsFromHash('#threads=4')).toBe(4);
    expect(forcedThreadsFromHash('#x=1&threads=12')).toBe(12);
    expect(forcedThreadsFromHash('#threads=123')).toBeNull();
    expect(forcedThreadsFromHash('')).toBeNull();
  });

  it('no other module under src/ parses a query string or reads the address', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name));
        else if (/\.tsx?$/.test(e.name)) files.push(join(dir, e.name));
      }
    };
    walk('src');
    const readers = files.filter((f) =>
      /URLSearchParams|searchParams|location\.(search|hash)|[?&](lesson|chapter|view|v)=\(/.test(readFileSync(f, 'utf8')),
    );
    // startup hands location.search and location.hash to config/url.ts, and reads nothing itself
    expect(readers.sort()).toEqual(['src/config/url.ts', 'src/ui/startup.ts']);
    const startup = readFileSync('src/ui/startup.ts', 'utf8');
    expect(startup.match(/location\.(search|hash)/g)).toHaveLength(2);
    expect(startup).toMatch(/loadFromQuery\(location\.search\)/);
    expect(startup).toMatch(/forcedThreadsFromHash\(window\.location\.hash\)/);
    expect(startup).not.toMatch(/\.exec\(|\.split\('&'\)/);
  });
});
