/**
 * Run files (export / import, validated and bounded), CSV of the metrics, PNG of a chart, and
 * the recent runs kept in the browser. Pure functions over plain data, plus thin browser glue.
 */
import { z } from 'zod';
import { FIELDS } from '../config/fields';
import { DEFAULT_CONFIG, runConfigSchema, type RunConfig } from '../config/schema';
import type { AmplifierJson } from '../engine/methods/amplifier';
import { AMPLIFIER_KEYS, EVAL_KEYS, TRAIN_KEYS, emptySeries, type Series } from './store-series';

export const RUN_FILE_FORMAT = 'groklab-run';
/** Largest run file we read (100 000 steps of metrics is about 10 MB). */
export const MAX_RUN_FILE_BYTES = 25 * 1024 * 1024;

export interface RunFile {
  format: typeof RUN_FILE_FORMAT;
  version: 1;
  config: RunConfig;
  train: Series['train'];
  evals: Series['evals'];
  amplifier: AmplifierJson | null;
}

const num = z.number().nullable();
const column = z.array(num).max(10_000_000);
const amplifierSchema = z.object({
  format: z.literal('groklab-amplifier'),
  version: z.literal(1),
  hidden: z.array(z.number().int().min(1).max(FIELDS.ngHidden.max)).min(1).max(FIELDS.ngHidden.maxLength),
  layers: z.array(z.object({ weight: z.array(z.number()), bias: z.array(z.number()) })).max(5),
});
const runFileSchema = z
  .object({
    format: z.literal(RUN_FILE_FORMAT),
    version: z.literal(1),
    // Fields added since a file was written take their defaults (files stay readable).
    config: z.preprocess((c) => (c && typeof c === 'object' ? { ...DEFAULT_CONFIG, ...c } : c), runConfigSchema),
    train: z.object({ step: column, ...Object.fromEntries(TRAIN_KEYS.map((k) => [k, column])) }),
    evals: z.object({ step: column, ...Object.fromEntries(EVAL_KEYS.map((k) => [k, (AMPLIFIER_KEYS as readonly string[]).includes(k) ? column.optional() : column])) }),
    amplifier: amplifierSchema.nullable().optional(),
  })
  .superRefine((f, ctx) => {
    for (const [part, keys] of [['train', TRAIN_KEYS], ['evals', EVAL_KEYS]] as const) {
      const t = f[part] as Record<string, unknown[]>;
      for (const k of keys) if (t[k] && t[k].length !== t.step!.length) ctx.addIssue({ code: 'custom', path: [part, k], message: `has ${t[k]!.length} values for ${t.step!.length} steps` });
    }
  });

const toJsonColumn = (xs: number[]) => xs.map((x) => (Number.isFinite(x) ? x : null));
const fromJsonColumn = (xs: (number | null)[]) => xs.map((x) => (x === null ? NaN : x));

export function makeRunFile(config: RunConfig, series: Series, amplifier: AmplifierJson | null): string {
  const cols = <T extends Record<string, number[]>>(t: T) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, toJsonColumn(v)]));
  return JSON.stringify({ format: RUN_FILE_FORMAT, version: 1, config, train: cols(series.train), evals: cols(series.evals), amplifier });
}

/** Parses and validates a run file; throws an Error whose message a student can read. */
export function parseRunFile(text: string): RunFile {
  if (text.length > MAX_RUN_FILE_BYTES) throw new Error(`the file is too large (${(text.length / 2 ** 20).toFixed(1)} MB; the limit is ${MAX_RUN_FILE_BYTES / 2 ** 20} MB)`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('the file is not valid JSON (is it a GrokLab run file?)');
  }
  const r = runFileSchema.safeParse(json);
  if (!r.success) {
    const first = r.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new Error(`the file is not a valid GrokLab run: ${first.join('; ')}`);
  }
  const f = r.data;
  const series = emptySeries();
  series.train.step = fromJsonColumn(f.train.step as (number | null)[]);
  for (const k of TRAIN_KEYS) series.train[k] = fromJsonColumn((f.train as Record<string, (number | null)[]>)[k]!);
  series.evals.step = fromJsonColumn(f.evals.step as (number | null)[]);
  const evals = f.evals as Record<string, (number | null)[] | undefined>;
  for (const k of EVAL_KEYS) series.evals[k] = evals[k] ? fromJsonColumn(evals[k]) : series.evals.step.map(() => NaN);
  return { format: RUN_FILE_FORMAT, version: 1, config: f.config as RunConfig, train: series.train, evals: series.evals, amplifier: (f.amplifier ?? null) as AmplifierJson | null };
}

export const COMPARE_FILE_FORMAT = 'groklab-compare';

/** A compare set: each run's config and metric series, one file. */
export function makeCompareFile(runs: { label: string; config: RunConfig; series: Series }[]): string {
  return JSON.stringify({ format: COMPARE_FILE_FORMAT, version: 1, runs: runs.map((r) => ({ label: r.label, run: JSON.parse(makeRunFile(r.config, r.series, null)) })) });
}

export function parseCompareFile(text: string): { label: string; run: RunFile }[] {
  if (text.length > MAX_RUN_FILE_BYTES) throw new Error(`the file is too large (limit ${MAX_RUN_FILE_BYTES / 2 ** 20} MB)`);
  let json: { format?: unknown; version?: unknown; runs?: unknown };
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('the file is not valid JSON');
  }
  if (json?.format !== COMPARE_FILE_FORMAT || json.version !== 1 || !Array.isArray(json.runs) || json.runs.length < 1 || json.runs.length > 4) {
    throw new Error('not a GrokLab compare file (format, version, 1–4 runs)');
  }
  return json.runs.map((r: { label?: unknown; run?: unknown }, i: number) => {
    try {
      return { label: String(r?.label ?? `run ${i + 1}`).slice(0, 80), run: parseRunFile(JSON.stringify(r?.run)) };
    } catch (e) {
      throw new Error(`run ${i + 1}: ${(e as Error).message}`);
    }
  });
}

/** True when a file's text looks like a compare set rather than a single run. */
export const isCompareFile = (text: string): boolean => text.slice(0, 200).includes(`"${COMPARE_FILE_FORMAT}"`);

/** One row per step: training metrics, and the evaluation metrics where measured. */
export function metricsCsv(series: Series): string {
  const header = ['step', ...TRAIN_KEYS, ...EVAL_KEYS];
  const evalAt = new Map(series.evals.step.map((s, i) => [s, i]));
  const rows = series.train.step.map((step, i) => {
    const e = evalAt.get(step);
    const cell = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '' : String(x));
    return [String(step), ...TRAIN_KEYS.map((k) => cell(series.train[k][i])), ...EVAL_KEYS.map((k) => cell(e === undefined ? undefined : series.evals[k][e]))].join(',');
  });
  return [header.join(','), ...rows].join('\n') + '\n';
}

export function download(name: string, data: Blob | string, type = 'application/json'): void {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data;
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** Renders one chart's SVG onto a canvas at 2× and returns a PNG. */
export async function chartPng(svg: SVGSVGElement): Promise<Blob> {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const { width, height } = svg.viewBox.baseVal;
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(clone)], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('could not render the chart'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = width * 2;
    canvas.height = height * 2;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

// --- recent runs (localStorage) ---
const RECENT_KEY = 'groklab.recent.v1';
export const MAX_RECENT = 5;

export interface RecentRun {
  id: string;
  savedAt: string;
  title: string;
  file: string;
}

export function loadRecent(storage: Pick<Storage, 'getItem'>): RecentRun[] {
  try {
    const list = JSON.parse(storage.getItem(RECENT_KEY) ?? '[]');
    return Array.isArray(list) ? list.filter((r) => typeof r?.file === 'string' && typeof r?.title === 'string').slice(0, MAX_RECENT) : [];
  } catch {
    return [];
  }
}

/** Keeps the newest runs; drops the oldest when storage is full. */
export function saveRecent(storage: Pick<Storage, 'getItem' | 'setItem'>, run: Omit<RecentRun, 'savedAt'>): RecentRun[] {
  let list = [{ ...run, savedAt: new Date().toISOString() }, ...loadRecent(storage).filter((r) => r.id !== run.id)].slice(0, MAX_RECENT);
  while (list.length > 0) {
    try {
      storage.setItem(RECENT_KEY, JSON.stringify(list));
      return list;
    } catch {
      list = list.slice(0, -1); // quota exceeded: forget the oldest
    }
  }
  return list;
}
