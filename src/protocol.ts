/**
 * The typed messages between the UI and the training worker — the only thing that crosses.
 * Both sides import this module; the UI never holds tensors.
 */
import type { RunConfig, ValidConfig } from './config/schema';
import type { AmplifierJson } from './core/amplifier';
import type { InsideSnapshot, TableSliceSpec, TryItQuery, TryItResult } from './core/inside';
import type { StepRecord } from './core/metrics';
import type { Checkpoint } from './core/checkpoint';
import type { StopRule } from './core/stop-rule';

import type { BackendName } from './core/backend-choice';

export type { BackendName } from './core/backend-choice';

export type ToWorker =
  /**
   * (Re)build the run from a config: picks and verifies a backend first. `runId` names the new
   * run: every message the worker sends from then on carries it, so the page can drop what a
   * chunk of the previous run posted after the reset was sent. `stopWhen`: the run's stop rule,
   * checked by the worker's run loop (the run pauses there by itself; none: it runs to its budget).
   */
  | { type: 'reset'; runId: number; config: ValidConfig; resume?: Checkpoint; stopWhen?: StopRule | null }
  /** The run's stop rule from now on (a threshold it has already met does not fire again). */
  | { type: 'stopWhen'; rule: StopRule | null }
  /** After a divergence: back to the last good checkpoint, the learning rate scaled by `lrFactor`. */
  | { type: 'resumeFromCheckpoint'; lrFactor: number }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step'; count: number }
  /**
   * Live edits (and method switches) that apply at the next step. The worker answers with a
   * `config` carrying the same `editId`, or an `error` carrying it when the edit was refused.
   */
  | { type: 'update'; editId: number; changes: Partial<RunConfig> }
  /** Ask for the NeuralGrok amplifier's weights (answered with `amplifier` and the same id). */
  | { type: 'exportAmplifier'; id: number }
  /** Use these amplifier weights (e.g. from an exported run, with `ngFrozen` for transfer). */
  | { type: 'importAmplifier'; amplifier: AmplifierJson }
  /** The model's answer for one row (answered with `tryIt` and the same id). */
  | { type: 'tryIt'; id: number; query: TryItQuery }
  /** The answer table's slice for the next snapshots (poly5, mix). */
  | { type: 'insideSlice'; slice: TableSliceSpec };

export interface BackendInfo {
  backend: BackendName;
  /** e.g. the WebGPU adapter's description. */
  adapter: string | null;
  /** Backends that were tried before and why they were skipped. */
  skipped: { backend: BackendName; reason: string }[];
  /** What the badge shows, e.g. "WASM · 2 threads" or "WebGPU · <adapter>". */
  label?: string;
  /** Threads of the WASM backend (1 unless the page is cross-origin isolated). */
  threads?: number;
  /** Auto mode: the actual config's ms/step on each verified backend (the fastest was chosen). */
  timings?: { backend: BackendName; msPerStep: number | null; note?: string }[];
}

/** What a worker says, before it is stamped with the run it belongs to. */
export type FromWorkerBody =
  | { type: 'backend'; info: BackendInfo }
  /** The worker's current config, after every reset or update (`editId`: the edit it applied). */
  | { type: 'config'; config: RunConfig; editId?: number }
  | { type: 'metrics'; records: StepRecord[]; stepsPerSecond: number; stepCount: number }
  /** `stoppedAt`: the run's stop rule paused it at this evaluation (sent once, as it stops). */
  | { type: 'state'; running: boolean; stepCount: number; stoppedAt?: number }
  | { type: 'amplifier'; id: number; amplifier: AmplifierJson | null }
  /** "Inside the model" at an evaluation step (typed arrays, transferred). */
  | { type: 'inside'; snapshot: InsideSnapshot }
  | { type: 'tryIt'; id: number; result: TryItResult | null; error: string | null }
  /** A problem a student can read; `fatal` means training stopped; `editId`: the edit it refuses. */
  /** `resumableFrom`: a divergence; the last good checkpoint's step (Play continues from it). */
  | { type: 'error'; message: string; fatal: boolean; editId?: number; resumableFrom?: number }
  /** The steps after `step` will be computed again (a checkpoint was restored): drop them. */
  | { type: 'rewind'; step: number }
  /** The latest good checkpoint (at most every few seconds): the page keeps it for a restart or a reload. */
  | { type: 'checkpoint'; checkpoint: Checkpoint };

/** Every message from a worker names the run it belongs to (the `runId` of its reset; 0 before any). */
export type FromWorker = FromWorkerBody & { runId: number };
