/**
 * A CLI run's checkpoint on disk: everything `runTraining` needs to continue it bit for bit
 * (weights, Adam's moments, the method's state, the batch position, the series so far).
 *
 * Layout: the magic line, the header's byte length (uint32 LE), the header (JSON: config,
 * step, series, the names and lengths of the arrays), zero padding to a multiple of 4, the
 * arrays' bytes in the header's order, then the SHA-256 of everything before it. Written to a
 * temporary file, synced and renamed, so a reader sees the old checkpoint or the new one, never
 * half of one; a file cut or changed anyway fails its length or checksum and is refused.
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { parseStoredConfig, type RunConfig } from '../config/schema';
import type { AmplifierState, Checkpoint, MethodState, OptimizerState } from '../core/checkpoint';
import { EVAL_KEYS, fromJsonColumn, toJsonColumn, TRAIN_KEYS, type RunSeries } from '../core/metrics';
import type { RunCheckpoint } from '../engine/runner';

const MAGIC = 'GROKLAB-CHECKPOINT 1\n';
const DIGEST_BYTES = 32;

/** Where the run ran: a resume elsewhere would round differently, so it is refused. */
export interface CheckpointOrigin {
  backend: string;
  matmul: string;
  /** WebGPU's adapter (absent on WASM and CPU): another GPU rounds differently too. */
  adapter?: string;
  /**
   * Where the run ran before a resume that changed the rounding (--allow-rounding-change), oldest
   * first: "backend wasm (matmul openblas Cooperlake ×1) to step 6250". Absent: it never changed.
   */
  earlier?: string[];
}

/** "backend wasm (matmul …, adapter …)": what a run's rounding depends on. */
export const originLabel = (o: CheckpointOrigin): string =>
  `backend ${o.backend} (matmul ${o.matmul}${o.adapter ? `, adapter ${o.adapter}` : ''})`;

/** The whole history in one line, for a row or a summary: the origin alone when it never changed. */
export const originHistory = (o: CheckpointOrigin): string =>
  o.earlier?.length ? `${o.earlier.join('; ')}; then ${originLabel(o)}` : originLabel(o);

type Blob = { name: string; dtype: 'float32' | 'int32'; length: number };
type OptimizerHeader = Omit<OptimizerState, 'm' | 'v'>;

interface Header {
  origin: CheckpointOrigin;
  config: RunConfig;
  step: number;
  elapsedSeconds: number;
  resumedFrom: number[];
  writtenAt: string;
  series: { train: Record<string, (number | null)[]>; evals: Record<string, (number | null)[]> };
  optimizer: OptimizerHeader | null;
  method: {
    id: string;
    scalars: Record<string, number>;
    arrays: string[];
    amplifier?: { weights: AmplifierState['weights']; optimizer: OptimizerHeader | null };
  } | null;
  sampler: { rngState: number; position: number } | null;
  blobs: Blob[];
}

export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

/** The bytes of a checkpoint file. */
export function encodeCheckpoint(run: RunCheckpoint, origin: CheckpointOrigin): Uint8Array {
  const c = run.checkpoint;
  const arrays: [string, Float32Array | Int32Array][] = Object.entries(c.params).map(([n, v]) => [`params.${n}`, v]);
  const optimizerHeader = (o: OptimizerState | null | undefined, prefix: string): OptimizerHeader | null => {
    if (!o) return null;
    arrays.push([`${prefix}.m`, o.m], [`${prefix}.v`, o.v]);
    return { t: o.t, names: o.names, sizes: o.sizes };
  };
  const optimizer = optimizerHeader(c.optimizer, 'optimizer');
  const m = c.method;
  let method: Header['method'] = null;
  if (m) {
    for (const [n, v] of Object.entries(m.arrays)) arrays.push([`method.${n}`, v]);
    method = {
      id: m.id,
      scalars: m.scalars,
      arrays: Object.keys(m.arrays),
      ...(m.amplifier && { amplifier: { weights: m.amplifier.weights, optimizer: optimizerHeader(m.amplifier.optimizer, 'amplifier') } }),
    };
  }
  if (c.sampler) arrays.push(['sampler.order', c.sampler.order]);
  const header: Header = {
    origin,
    config: run.config,
    step: c.step,
    elapsedSeconds: run.elapsedSeconds,
    resumedFrom: run.resumedFrom,
    writtenAt: new Date().toISOString(),
    series: {
      train: Object.fromEntries(Object.entries(run.series.train).map(([k, v]) => [k, toJsonColumn(v)])),
      evals: Object.fromEntries(Object.entries(run.series.evals).map(([k, v]) => [k, toJsonColumn(v)])),
    },
    optimizer,
    method,
    sampler: c.sampler ? { rngState: c.sampler.rngState, position: c.sampler.position } : null,
    blobs: arrays.map(([name, v]) => ({ name, dtype: v instanceof Int32Array ? 'int32' : 'float32', length: v.length })),
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const magic = new TextEncoder().encode(MAGIC);
  const headerEnd = magic.length + 4 + headerBytes.length;
  const dataStart = Math.ceil(headerEnd / 4) * 4;
  const dataBytes = arrays.reduce((n, [, v]) => n + v.byteLength, 0);
  const out = new Uint8Array(dataStart + dataBytes + DIGEST_BYTES);
  out.set(magic, 0);
  new DataView(out.buffer).setUint32(magic.length, headerBytes.length, true);
  out.set(headerBytes, magic.length + 4);
  let offset = dataStart;
  for (const [, v] of arrays) {
    out.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), offset);
    offset += v.byteLength;
  }
  out.set(digest(out.subarray(0, offset)), offset);
  return out;
}

/** Reads a checkpoint file's bytes; throws a CheckpointError saying what is wrong. */
export function decodeCheckpoint(bytes: Uint8Array): { run: RunCheckpoint; origin: CheckpointOrigin } {
  const magic = new TextEncoder().encode(MAGIC);
  if (bytes.length < magic.length + 4 || new TextDecoder().decode(bytes.subarray(0, magic.length)) !== MAGIC)
    throw new CheckpointError('it is not a GrokLab checkpoint (its first line is not "GROKLAB-CHECKPOINT 1")');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(magic.length, true);
  const headerEnd = magic.length + 4 + headerLength;
  if (headerEnd > bytes.length) throw new CheckpointError(`it is truncated (${bytes.length} bytes): it was cut while being written`);
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(magic.length + 4, headerEnd))) as Header;
  } catch {
    throw new CheckpointError('its header is not valid JSON: the file is damaged');
  }
  const dataStart = Math.ceil(headerEnd / 4) * 4;
  const dataBytes = header.blobs.reduce((n, b) => n + b.length * 4, 0);
  const expected = dataStart + dataBytes + DIGEST_BYTES;
  if (bytes.length !== expected)
    throw new CheckpointError(
      `it is ${bytes.length < expected ? 'truncated' : 'longer than its header says'} (${bytes.length} of ${expected} bytes): it was cut or changed after it was written`,
    );
  const end = dataStart + dataBytes;
  const stored = bytes.subarray(end, end + DIGEST_BYTES);
  if (!digest(bytes.subarray(0, end)).every((b, i) => b === stored[i]))
    throw new CheckpointError('its checksum does not match its contents: the file is damaged');
  // copy into a buffer of its own, aligned (a Node Buffer's slice() would be a view into a larger one)
  const data = new Uint8Array(dataBytes);
  data.set(bytes.subarray(dataStart, end));
  const arrays = new Map<string, Float32Array | Int32Array>();
  let offset = 0;
  for (const b of header.blobs) {
    arrays.set(
      b.name,
      b.dtype === 'int32' ? new Int32Array(data.buffer, offset, b.length) : new Float32Array(data.buffer, offset, b.length),
    );
    offset += b.length * 4;
  }
  const f32 = (name: string) => {
    const a = arrays.get(name);
    if (!(a instanceof Float32Array)) throw new CheckpointError(`it lacks the array ${name}`);
    return a;
  };
  const optimizer = (h: OptimizerHeader | null | undefined, prefix: string): OptimizerState | null =>
    h ? { ...h, m: f32(`${prefix}.m`), v: f32(`${prefix}.v`) } : null;
  const h = header.method;
  const method: MethodState | null = h
    ? {
        id: h.id,
        scalars: h.scalars,
        arrays: Object.fromEntries(h.arrays.map((n) => [n, f32(`method.${n}`)])),
        ...(h.amplifier && { amplifier: { weights: h.amplifier.weights, optimizer: optimizer(h.amplifier.optimizer, 'amplifier') } }),
      }
    : null;
  const order = arrays.get('sampler.order');
  const checkpoint: Checkpoint = {
    step: header.step,
    params: Object.fromEntries(
      header.blobs.filter((b) => b.name.startsWith('params.')).map((b) => [b.name.slice('params.'.length), f32(b.name)]),
    ),
    optimizer: optimizer(header.optimizer, 'optimizer'),
    method,
    ...(header.sampler && order instanceof Int32Array && { sampler: { ...header.sampler, order } }),
  };
  const series: RunSeries = {
    train: columnsOf(header.series.train, TRAIN_KEYS) as RunSeries['train'],
    evals: columnsOf(header.series.evals, EVAL_KEYS) as RunSeries['evals'],
  };
  return {
    run: { config: header.config, checkpoint, series, elapsedSeconds: header.elapsedSeconds, resumedFrom: header.resumedFrom },
    origin: header.origin,
  };
}

function columnsOf(json: Record<string, (number | null)[]>, keys: readonly string[]): Record<string, number[]> {
  const step = json.step ?? [];
  return Object.fromEntries(['step', ...keys].map((k) => [k, json[k] ? fromJsonColumn(json[k]) : step.map(() => NaN)]));
}

const digest = (bytes: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(bytes).digest());

/** Writes atomically: a temporary file beside it, synced, then renamed over it. */
export function writeCheckpointFile(file: string, run: RunCheckpoint, origin: CheckpointOrigin): void {
  const bytes = encodeCheckpoint(run, origin);
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    for (let offset = 0; offset < bytes.length;) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/**
 * Reads a checkpoint to continue `config` on `origin`: refused, with what differs, when it is
 * of another run (any config field but the step budget) or was written on another backend or
 * matmul (a resume there would not be bit-identical), unless `allowRoundingChange`: then the
 * run goes on and `origin` (what later checkpoints record) carries where it ran before.
 * A machine can lose the kernel a run was parked on (OpenBLAS names a CPU it does not know
 * "Prescott"; one whose VM hides AVX-512 BF16 gets SkylakeX for Cooperlake), and restarting
 * hours of training from step 0 would cost more than a recorded change of rounding.
 */
export function readCheckpointFile(
  file: string,
  config: RunConfig,
  origin: CheckpointOrigin,
  allowRoundingChange = false,
): RunCheckpoint & { origin: CheckpointOrigin; roundingChanged: boolean } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new CheckpointError(`cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const { run, origin: was } = decodeCheckpoint(bytes);
  // fields added since the checkpoint was written take their defaults (a new loss field is softmax, as it was)
  let stored: RunConfig;
  try {
    stored = parseStoredConfig(run.config as unknown as Record<string, unknown>);
  } catch (e) {
    throw new CheckpointError(`its config is not valid any more (${(e as Error).message})`);
  }
  const differs = configDifferences(stored, config);
  if (differs.length > 0) throw new CheckpointError(`it is of another run: ${differs.join('; ')}`);
  const { earlier: _ignored, ...here } = origin;
  if (originLabel(was) !== originLabel(here)) {
    if (!allowRoundingChange)
      throw new CheckpointError(
        `it was written on ${originLabel(was)}, this run is on ${originLabel(here)}: ` +
          'the resumed run would round differently (set GROKLAB_BLAS as when it was written, GROKLAB_BLAS_CORE=<core> to pin ' +
          "OpenBLAS's core, or pass --allow-rounding-change to go on with the change recorded)",
      );
    const earlier = [...(was.earlier ?? []), `${originLabel(was)} to step ${run.checkpoint.step}`];
    return { ...run, config, origin: { ...here, earlier }, roundingChanged: true };
  }
  return { ...run, config, origin: { ...here, ...(was.earlier?.length && { earlier: was.earlier }) }, roundingChanged: false };
}

/** "field: A there, B here" for every config field that differs, but the step budget (a longer run continues the same one). */
export function configDifferences(was: RunConfig, now: RunConfig): string[] {
  const keys = [...new Set([...Object.keys(was), ...Object.keys(now)])] as (keyof RunConfig)[];
  return keys
    .filter((k) => k !== 'steps' && JSON.stringify(was[k]) !== JSON.stringify(now[k]))
    .map((k) => `${k} ${JSON.stringify(was[k])} there, ${JSON.stringify(now[k])} here`);
}
