/**
 * Auto backend choice by measurement, as a pure function: after the correctness self-test,
 * the worker times a few steps of the actual configuration on each verified backend and this
 * picks the fastest. A real GPU can lose to WASM on a tiny model (per-dispatch cost) and win
 * on the paper model, so no fixed order is right everywhere.
 */

import { mlpInputWidth, TASKS, taskTableSize } from './tasks';

/** Preference order, used to break near-ties (and as the order in which backends are tried). */
export const BACKEND_ORDER = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
/** The compute backends a worker can run on (the one list; config adds 'auto'). */
export type BackendName = (typeof BACKEND_ORDER)[number];

/** Timings within this fraction of the fastest count as a tie, broken by BACKEND_ORDER. */
export const TIE_FRACTION = 0.05;

export interface BackendTiming {
  backend: BackendName;
  /** Median ms per step of the actual config (evaluation included), or null when not timed. */
  msPerStep: number | null;
  /** Why it was not timed, when it was not. */
  note?: string;
}

/** The fastest timed backend (ties within TIE_FRACTION go to the earlier one in BACKEND_ORDER); null if none was timed. */
export function pickFastest(timings: readonly BackendTiming[]): BackendName | null {
  const timed = timings.filter((t): t is BackendTiming & { msPerStep: number } => t.msPerStep !== null && Number.isFinite(t.msPerStep));
  if (timed.length === 0) return null;
  const best = Math.min(...timed.map((t) => t.msPerStep));
  const near = timed.filter((t) => t.msPerStep <= best * (1 + TIE_FRACTION));
  near.sort((a, b) => BACKEND_ORDER.indexOf(a.backend) - BACKEND_ORDER.indexOf(b.backend));
  return near[0]!.backend;
}

/** One tooltip line per backend, e.g. "wasm: 48.2 ms/step ← fastest". */
export function describeTimings(timings: readonly BackendTiming[], chosen: BackendName): string[] {
  return timings.map(
    (t) =>
      `${t.backend}: ${t.msPerStep === null ? (t.note ?? 'not timed') : `${t.msPerStep.toFixed(1)} ms/step`}${t.backend === chosen ? ' ← fastest, chosen' : ''}`,
  );
}

/** Whether the CPU backend is worth timing: only when WASM could not be timed. */
export function shouldTimeCpu(timings: readonly BackendTiming[]): boolean {
  // tfjs's cpu backend is plain JavaScript: with a working WASM (SIMD) it was 20× slower even on
  // the tiny classroom model (1455 vs 69 ms/step), and timing it costs seconds at every reset.
  const wasm = timings.find((t) => t.backend === 'wasm');
  return !wasm || wasm.msPerStep === null;
}

/** The self-test's bound on the relative error against the CPU backend (per value). */
export const SELF_TEST_TOLERANCE = 1e-3;

/**
 * The self-test's worst relative error of a backend's values against the CPU's (a small
 * absolute floor, so values near zero do not dominate); NaN or a missing value is Infinity.
 */
export function selfTestError(got: readonly number[], reference: readonly number[]): number {
  if (got.length !== reference.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const e = Math.abs(got[i]! - reference[i]!) / (1e-3 + Math.abs(reference[i]!));
    worst = Number.isNaN(e) ? Infinity : Math.max(worst, e);
  }
  return worst;
}

/** What a WebGPU adapter reports about itself (GPUAdapterInfo's fields, all optional). */
export interface AdapterFacts {
  vendor?: string;
  architecture?: string;
  description?: string;
  device?: string;
  isFallbackAdapter?: boolean;
}

/**
 * A WebGPU adapter's display name and whether it is a software adapter (SwiftShader, llvmpipe,
 * lavapipe: a CPU pretending to be a GPU, correct but far slower than WASM). The fallback flag
 * moved from GPUAdapter to GPUAdapterInfo in the spec; either counts.
 */
export function describeAdapter(info: AdapterFacts, isFallbackAdapter?: boolean): { name: string; software: boolean } {
  const name = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'WebGPU adapter';
  const software = Boolean(isFallbackAdapter || info.isFallbackAdapter) || /swiftshader|llvmpipe|lavapipe|software/i.test(name);
  return { name, software };
}

/** The fields whose change makes a new measurement worth it (the step's shape and work). */
export const TIMING_FIELDS = [
  'task',
  'p',
  'model',
  'layers',
  'dModel',
  'heads',
  'batchSize',
  'trainFraction',
  'method',
  'ngHidden',
] as const;

export function timingKey(config: Record<string, unknown>): string {
  return JSON.stringify(TIMING_FIELDS.map((k) => config[k]));
}

/** The fields of a config that set the size of a training step. */
export interface StepShape {
  /** Absent: the transformer. */
  model?: 'transformer' | 'mlp';
  task: keyof typeof TASKS;
  p: number;
  trainFraction: number;
  batchSize: number;
  layers: number;
  dModel: number;
}

/**
 * Multiply-accumulates of one forward pass of a training step: the matmuls (query/key/value,
 * output projection, the 4×-wide MLP: 12·d² per token and layer) and the output head; for
 * the MLP model its three kinds of layer. The
 * measure of work that decides whether more WASM threads pay off.
 */
export function forwardMacsPerStep(s: StepShape): number {
  const spec = TASKS[s.task];
  const seqLen = spec.operands.length + spec.variants[0]!.length + 1; // operands, operators, '='
  const rows = Math.min(s.batchSize, Math.floor(taskTableSize(s.task, s.p) * s.trainFraction));
  // the MLP (src/engine/mlp.ts): operands one-hot → d, (layers − 1) × d → d, d → the p numbers
  if (s.model === 'mlp') return rows * (mlpInputWidth(s.task, s.p) * s.dModel + (s.layers - 1) * s.dModel * s.dModel + s.dModel * s.p);
  const tokens = rows * seqLen;
  return tokens * s.layers * 12 * s.dModel * s.dModel + rows * s.dModel * (s.p + 2);
}

/**
 * Work per step above which the WASM backend runs on every logical core (up to 8) instead of
 * one. Measured in headless Chromium on the 2-core machine (`npm run bench:browser -- --backends
 * wasm --threads 1,2`): the classroom step (≈ 23 M MACs) went from 26 to 54 ms with 2 threads —
 * tiny kernels pay the pool's hand-off — and the paper step (≈ 810 M MACs) from 251 to 154 ms.
 * The threshold lies between the two; it is a judgement, not a measured crossover.
 */
export const THREADED_MIN_MACS = 100e6;
export const MAX_WASM_THREADS = 8;

/** WASM threads for a config on a machine with `logicalCores` (navigator.hardwareConcurrency). */
export function wasmThreadsFor(s: StepShape, logicalCores: number): number {
  if (forwardMacsPerStep(s) < THREADED_MIN_MACS) return 1;
  return Math.max(1, Math.min(MAX_WASM_THREADS, Math.floor(logicalCores) || 1));
}
