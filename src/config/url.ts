/**
 * The one reader and writer of the page's address. Run configs as share-URL query strings: short
 * typed keys from the field table, a version key, and only the values that differ from a base
 * config; beside them the page's own keys (the guided lesson and its chapter, the paper view)
 * and the benchmarks' `#threads=N`. Decoding never throws and never evaluates anything: each bad
 * field falls back to the base value with a message naming it.
 */
import { METHODS, fieldTable, parseFieldText, type FieldKey, type FieldSpec, type MethodCatalog } from './fields';
import { crossFieldIssues as crossIssues, isValidConfig, validateConfig, type RunConfig, type ValidConfig } from './schema';

export const URL_VERSION = 3;
/**
 * Defaults a link of an older version was written against, where they have changed since: a
 * link states only the values that differ from the defaults of its day, so an unstated value
 * keeps its old meaning. v1 → v2: NeuralGrok's c became the reference's 0.2 (was 1). v2 → v3:
 * the classroom demo (the page's default run, the links' base) learns at lr 0.015 (was 0.01).
 * An old value replaces an unstated one only where the base still has the value that replaced it.
 */
const OLD_DEFAULTS: Record<string, { [K in FieldKey]?: { was: RunConfig[K]; now: RunConfig[K] } }> = {
  '1': { ngC: { was: 1, now: 0.2 }, lr: { was: 0.01, now: 0.015 } },
  '2': { lr: { was: 0.01, now: 0.015 } },
};
/** Keys that are not config fields. */
const VERSION_KEY = 'v';
const HIDE_KEY = 'hide';
/** A compare set: methods (optionally @seed) run side by side over this config. */
const COMPARE_KEY = 'cmp';
/** The seeds each compare method runs over (`seeds=0,1,2`): a multi-seed comparison. */
const SEEDS_KEY = 'seeds';
/** The page's keys beside the config: the guided lesson, its chapter (from 1), `view=paper`. */
const PAGE_KEYS = ['lesson', 'chapter', 'view'] as const;
/** Longest query string we read; anything longer is ignored with a message. */
export const MAX_QUERY_LENGTH = 4000;

export interface UrlMessage {
  field: string;
  message: string;
}

export interface DecodedUrl {
  /** Validated here, where the link's config is made: the page runs it as it is. */
  config: ValidConfig;
  /** Control groups or field keys a teacher chose to hide. */
  hidden: string[];
  /** The raw compare list (`cmp=`), parsed by the compare module; null when absent. */
  compare: string | null;
  /** The raw seed list (`seeds=`), read with the compare list; null when absent. */
  seeds: string | null;
  messages: UrlMessage[];
}

/** A link's page keys, raw (the first of each; null when absent): the lesson module reads lesson and chapter. */
export type PageKeys = Record<(typeof PAGE_KEYS)[number], string | null>;

export interface DecodedLink extends DecodedUrl {
  page: PageKeys;
  /** Whether the link states anything besides the page keys (a bare link opens the default preset). */
  statesConfig: boolean;
}

/** What a page's address holds besides its config. */
export interface LinkExtras {
  hidden?: string[];
  compare?: string | null;
  seeds?: string | null;
  lesson?: { id: string; chapter: number } | null;
  view?: 'paper' | null;
}

const isPageKeyPair = (kv: string) => PAGE_KEYS.some((k) => kv.startsWith(`${k}=`));

/** The query split into the page's keys and the config's part (kept as text, "?" and all: its length is checked). */
function splitPageKeys(query: string): { page: PageKeys; configQuery: string } {
  const pairs = query
    .replace(/^\?/, '')
    .split('&')
    .filter((kv) => kv !== '');
  // URLSearchParams decodes leniently: a malformed escape stays as typed, it never throws
  const pageParams = new URLSearchParams(pairs.filter(isPageKeyPair).join('&'));
  const page = Object.fromEntries(PAGE_KEYS.map((k) => [k, pageParams.get(k)])) as PageKeys;
  const rest = pairs.filter((kv) => !isPageKeyPair(kv));
  return { page, configQuery: rest.length ? `?${rest.join('&')}` : '' };
}

/** `#threads=N` (benchmarks fix the workers' WASM threads; not part of the share link), or null. */
export function forcedThreadsFromHash(hash: string): number | null {
  const n = /(?:^#|&)threads=(\d{1,2})(?:&|$)/.exec(hash)?.[1];
  return n === undefined ? null : Number(n);
}

function encodeValue(spec: FieldSpec, value: unknown): string {
  if (spec.kind === 'boolean') return value ? '1' : '0';
  if (spec.kind === 'intList') return (value as number[]).join('-');
  return String(value);
}

/** The URL codec of a method catalog: its fields' short keys, its methods, its validation. */
export function createUrlCodec(catalog: MethodCatalog) {
  const FIELDS = fieldTable(catalog) as Record<FieldKey, FieldSpec>;
  const FIELD_KEYS = Object.keys(FIELDS) as FieldKey[];
  const KEY_TO_FIELD = new Map<string, FieldKey>(FIELD_KEYS.map((k) => [FIELDS[k].short, k]));
  const crossFieldIssues = (c: RunConfig) => crossIssues(c, catalog);

  /** The query string (without "?") for a config: version plus every field that differs from base. */
  function encodeConfigQuery(
    config: RunConfig,
    base: RunConfig,
    hidden: string[] = [],
    compare: string | null = null,
    seeds: string | null = null,
  ): string {
    const params = new URLSearchParams();
    params.set(VERSION_KEY, String(URL_VERSION));
    for (const k of FIELD_KEYS) {
      if (JSON.stringify(config[k]) !== JSON.stringify(base[k])) params.set(FIELDS[k].short, encodeValue(FIELDS[k], config[k]));
    }
    if (hidden.length) params.set(HIDE_KEY, hidden.join(','));
    if (compare) params.set(COMPARE_KEY, compare);
    if (compare && seeds) params.set(SEEDS_KEY, seeds);
    return params.toString();
  }

  function decodeConfigQuery(query: string, base: RunConfig): DecodedUrl {
    const messages: UrlMessage[] = [];
    /** The base config when the link gives none that fits (validated unless it is already). */
    const fallback = (): ValidConfig => (isValidConfig(base) ? base : validateConfig(base, catalog));
    if (query.length > MAX_QUERY_LENGTH) {
      return {
        config: fallback(),
        hidden: [],
        compare: null,
        seeds: null,
        messages: [{ field: '(link)', message: `the link is too long (${query.length} characters) and was ignored` }],
      };
    }
    let params: URLSearchParams;
    try {
      params = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query);
    } catch {
      return {
        config: fallback(),
        hidden: [],
        compare: null,
        seeds: null,
        messages: [{ field: '(link)', message: 'the link could not be read and was ignored' }],
      };
    }
    const candidate: Record<string, unknown> = { ...base };
    let hidden: string[] = [];
    let compare: string | null = null;
    let seeds: string | null = null;
    const seen = new Set<string>();
    let oldDefaults: (typeof OLD_DEFAULTS)[string] = {};
    for (const [key, raw] of params) {
      if (seen.has(key)) {
        messages.push({ field: key, message: `"${key}" appears more than once; the first value is used` });
        continue;
      }
      seen.add(key);
      if (key === VERSION_KEY) {
        if (OLD_DEFAULTS[raw]) oldDefaults = OLD_DEFAULTS[raw]!;
        else if (raw !== String(URL_VERSION))
          messages.push({ field: 'v', message: `unknown link version "${raw}"; read as version ${URL_VERSION}` });
        continue;
      }
      if (key === COMPARE_KEY) {
        compare = raw.slice(0, 200);
        continue;
      }
      if (key === SEEDS_KEY) {
        seeds = raw.slice(0, 200);
        continue;
      }
      if (key === HIDE_KEY) {
        hidden = raw
          .split(',')
          .map((s) => s.trim())
          .filter((s) => /^[A-Za-z]{1,20}$/.test(s));
        continue;
      }
      const field = KEY_TO_FIELD.get(key);
      if (!field) {
        messages.push({ field: key, message: `unknown setting "${key}" was ignored` });
        continue;
      }
      const parsed = parseFieldText(FIELDS[field], raw);
      if ('error' in parsed)
        messages.push({ field: key, message: `${key}: ${parsed.error}; using ${encodeValue(FIELDS[field], base[field])}` });
      else candidate[field] = parsed.value;
    }
    // An older link's unstated method values keep the defaults of its day (only where their method runs).
    for (const [field, change] of Object.entries(oldDefaults)) {
      const owner = FIELDS[field as FieldKey].method;
      const runs = owner === undefined || candidate.method === owner || compare?.split(',').some((m) => m.split('@')[0] === owner);
      if (runs && base[field as FieldKey] === change.now && !params.has(FIELDS[field as FieldKey].short)) candidate[field] = change.was;
    }
    // Cross-field rules (prime p, divisible width, table size): reset the field they name.
    for (const issue of crossFieldIssues(candidate as RunConfig)) {
      // A width not divisible by the heads: blame the width if the link set it.
      const field: FieldKey = issue.field === 'heads' && candidate.dModel !== base.dModel ? 'dModel' : issue.field;
      messages.push({
        field: FIELDS[field].short,
        message: `${FIELDS[field].short}: ${issue.message}; using ${encodeValue(FIELDS[field], base[field])}`,
      });
      candidate[field] = base[field];
      if (field === 'heads' && crossFieldIssues(candidate as RunConfig).some((i) => i.field === 'heads')) candidate.dModel = base.dModel;
    }
    // Still inconsistent (e.g. poly5 with the base p is too large a table): fall back to the base task too.
    if (crossFieldIssues(candidate as RunConfig).length > 0) {
      messages.push({ field: 'task', message: `task ${String(candidate.task)} does not fit the other settings; using ${base.task}` });
      candidate.task = base.task;
      candidate.p = base.p;
    }
    let config: ValidConfig;
    try {
      config = validateConfig(candidate, catalog);
    } catch {
      messages.push({ field: '(link)', message: 'the settings in the link do not fit together; the defaults are used' });
      config = fallback();
    }
    return { config, hidden, compare, seeds, messages };
  }

  /** A whole address's query (`location.search`): the page's keys read apart, the rest as a config. */
  function decodeLink(query: string, base: RunConfig): DecodedLink {
    const { page, configQuery } = splitPageKeys(query);
    return { ...decodeConfigQuery(configQuery, base), page, statesConfig: configQuery !== '' };
  }

  /** The query (without "?") the address bar shows: the config's link, then the lesson's and the view's keys. */
  function encodeLink(config: RunConfig, base: RunConfig, extras: LinkExtras = {}): string {
    const query = encodeConfigQuery(config, base, extras.hidden, extras.compare ?? null, extras.seeds ?? null);
    const lesson = extras.lesson ? `&lesson=${extras.lesson.id}&chapter=${extras.lesson.chapter + 1}` : '';
    const view = extras.view === 'paper' ? '&view=paper' : '';
    return `${query}${lesson}${view}`;
  }

  return { encodeConfigQuery, decodeConfigQuery, decodeLink, encodeLink };
}

export const { encodeConfigQuery, decodeConfigQuery, decodeLink, encodeLink } = createUrlCodec(METHODS);
