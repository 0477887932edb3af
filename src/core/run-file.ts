/**
 * Run files: one format (`groklab-run` v1), one writer and one reader, used by the CLI
 * (`--out`) and the playground (export / import), plus compare sets (`groklab-compare`).
 * Series columns hold null in JSON where the in-memory series holds NaN (see metrics.ts).
 * The reader is bounded and validates everything; the config is checked by the caller's
 * parser (config/ owns the config schema; this layer imports nothing of ours).
 */
import { z } from 'zod';
import { amplifierSchema, type AmplifierJson } from './amplifier';
import { AMPLIFIER_KEYS, COLLAPSE_KEYS, EVAL_KEYS, TRAIN_KEYS, emptySeries, fromJsonColumn, toJsonColumn, type RunSeries } from './metrics';

export const RUN_FILE_FORMAT = 'groklab-run';
export const COMPARE_FILE_FORMAT = 'groklab-compare';
/** Largest run or compare file read (100 000 steps of metrics is about 10 MB). */
export const MAX_RUN_FILE_BYTES = 25 * 1024 * 1024;

export interface RunFile<Config = unknown> {
  config: Config;
  series: RunSeries;
  amplifier: AmplifierJson | null;
  /** Where it ran and what it reached (the CLI writes both; optional for the reader). */
  backend?: string;
  summary?: Record<string, unknown>;
  /** "Inside the model" scalars at the evaluations that had a snapshot (the playground writes them). */
  inside?: InsideColumns;
}

/** The inside view's per-snapshot scalars, as columns (NaN where not measured). */
export interface InsideColumns {
  step: number[];
  sparsity: number[];
  restrictedLoss: number[];
  excludedLoss: number[];
  loss: number[];
}
const INSIDE_KEYS = ['sparsity', 'restrictedLoss', 'excludedLoss', 'loss'] as const;

const column = z.array(z.number().nullable()).max(10_000_000);
const optionalKeys: readonly string[] = [...AMPLIFIER_KEYS, ...COLLAPSE_KEYS, 'lr', 'metaOuterLoss', 'weightEntropy'];
const columns = (keys: readonly string[]) =>
  z.object({ step: column, ...Object.fromEntries(keys.map((k) => [k, optionalKeys.includes(k) ? column.optional() : column])) });

const runFileSchema = z
  .object({
    format: z.literal(RUN_FILE_FORMAT),
    version: z.literal(1),
    config: z.record(z.string(), z.unknown()),
    backend: z.string().max(100).optional(),
    train: columns(TRAIN_KEYS),
    evals: columns(EVAL_KEYS),
    summary: z.record(z.string(), z.unknown()).optional(),
    amplifier: amplifierSchema.nullable().optional(),
    inside: z.object({ step: column, ...Object.fromEntries(INSIDE_KEYS.map((k) => [k, column])) }).optional(),
  })
  .superRefine((f, ctx) => {
    for (const part of ['train', 'evals', 'inside'] as const) {
      const t = f[part] as Record<string, unknown[] | undefined> | undefined;
      if (!t) continue;
      for (const [k, col] of Object.entries(t)) {
        if (col && col.length !== t.step!.length)
          ctx.addIssue({ code: 'custom', path: [part, k], message: `has ${col.length} values for ${t.step!.length} steps` });
      }
    }
  });

function toJsonColumns(c: Record<string, number[]>): Record<string, (number | null)[]> {
  return Object.fromEntries(Object.entries(c).map(([k, v]) => [k, toJsonColumn(v)]));
}

/** Serializes a run: config, every metric column, the amplifier (and the CLI's backend and summary). */
export function writeRunFile(run: RunFile): string {
  const { series, inside, ...rest } = run;
  return JSON.stringify({
    format: RUN_FILE_FORMAT,
    version: 1,
    ...rest,
    train: toJsonColumns(series.train),
    evals: toJsonColumns(series.evals),
    amplifier: run.amplifier ?? null,
    ...(inside ? { inside: toJsonColumns(inside as unknown as Record<string, number[]>) } : {}),
  });
}

function parseJson(text: string): unknown {
  if (text.length > MAX_RUN_FILE_BYTES)
    throw new Error(`the file is too large (${(text.length / 2 ** 20).toFixed(1)} MB; the limit is ${MAX_RUN_FILE_BYTES / 2 ** 20} MB)`);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error('the file is not valid JSON (is it a GrokLab run file?)');
  }
}

function readRunObject<Config>(json: unknown, parseConfig: (raw: Record<string, unknown>) => Config): RunFile<Config> {
  // a JSON file of another kind gets a sentence, not the schema's list of what it lacks
  const o = json as Record<string, unknown> | null;
  if (typeof o !== 'object' || o === null || Array.isArray(o) || (o.format !== RUN_FILE_FORMAT && !('config' in o && 'train' in o)))
    throw new Error('this JSON file is not a GrokLab run (Files › Export run writes one; compare sets are read too)');
  const r = runFileSchema.safeParse(json);
  if (!r.success) {
    const first = r.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new Error(`the file is not a valid GrokLab run: ${first.join('; ')}`);
  }
  const f = r.data;
  let config: Config;
  try {
    config = parseConfig(f.config);
  } catch (e) {
    throw new Error(`the file is not a valid GrokLab run: config: ${(e as Error).message}`);
  }
  const series = emptySeries();
  const fill = (target: Record<string, number[]>, source: Record<string, (number | null)[] | undefined>) => {
    const n = source.step!.length;
    for (const k of Object.keys(target)) target[k] = source[k] ? fromJsonColumn(source[k]) : new Array<number>(n).fill(NaN);
  };
  fill(series.train as unknown as Record<string, number[]>, f.train);
  fill(series.evals as unknown as Record<string, number[]>, f.evals);
  const inside = f.inside
    ? (Object.fromEntries(
        Object.entries(f.inside).map(([k, v]) => [k, fromJsonColumn(v as (number | null)[])]),
      ) as unknown as InsideColumns)
    : undefined;
  return { config, series, amplifier: (f.amplifier ?? null) as AmplifierJson | null, backend: f.backend, summary: f.summary, inside };
}

/** Parses and validates a run file; throws an Error whose message a student can read. */
export function readRunFile<Config>(text: string, parseConfig: (raw: Record<string, unknown>) => Config): RunFile<Config> {
  return readRunObject(parseJson(text), parseConfig);
}

/** A compare set: each run's label, config and metric series, one file. */
export function writeCompareFile(runs: { label: string; config: unknown; series: RunSeries }[]): string {
  const entries = runs.map((r) => ({
    label: r.label,
    run: JSON.parse(writeRunFile({ config: r.config, series: r.series, amplifier: null })),
  }));
  return JSON.stringify({ format: COMPARE_FILE_FORMAT, version: 1, runs: entries });
}

export function readCompareFile<Config>(
  text: string,
  parseConfig: (raw: Record<string, unknown>) => Config,
): { label: string; run: RunFile<Config> }[] {
  const json = parseJson(text) as { format?: unknown; version?: unknown; runs?: unknown };
  if (
    json?.format !== COMPARE_FILE_FORMAT ||
    json.version !== 1 ||
    !Array.isArray(json.runs) ||
    json.runs.length < 1 ||
    json.runs.length > 4
  ) {
    throw new Error('not a GrokLab compare file (format, version, 1–4 runs)');
  }
  return json.runs.map((r: { label?: unknown; run?: unknown }, i: number) => {
    try {
      return { label: String(r?.label ?? `run ${i + 1}`).slice(0, 80), run: readRunObject(r?.run, parseConfig) };
    } catch (e) {
      throw new Error(`run ${i + 1}: ${(e as Error).message}`);
    }
  });
}

/** True when a file's text looks like a compare set rather than a single run. */
export const isCompareFile = (text: string): boolean => text.slice(0, 200).includes(`"${COMPARE_FILE_FORMAT}"`);

/** One CSV row per step: training metrics, and the evaluation metrics where measured. */
export function metricsCsv(series: RunSeries): string {
  const header = ['step', ...TRAIN_KEYS, ...EVAL_KEYS];
  const evalAt = new Map(series.evals.step.map((s, i) => [s, i]));
  const cell = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '' : String(x));
  const rows = series.train.step.map((step, i) => {
    const e = evalAt.get(step);
    return [
      String(step),
      ...TRAIN_KEYS.map((k) => cell(series.train[k][i])),
      ...EVAL_KEYS.map((k) => cell(e === undefined ? undefined : series.evals[k][e])),
    ].join(',');
  });
  return [header.join(','), ...rows].join('\n') + '\n';
}
