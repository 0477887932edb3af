/**
 * A whole headless run over the run loop (run-loop.ts, the one the worker runs too): chunks up
 * to the next evaluation or checkpoint, the run's stop rule, checkpoints, and the run's metric
 * series. Used by the CLI, the benchmarks and the tests alike.
 */
import type { RunConfig, ValidConfig } from '../config/schema';
import type { Checkpoint } from '../core/checkpoint';
import { softmaxCollapseStep } from '../core/collapse';
import {
  AMPLIFIER_KEYS,
  appendEvaluation,
  appendRecords,
  emptySeries,
  isEvaluation,
  lastMeasured,
  type MetricKey,
  type RunSeries,
  type StepRecord,
} from '../core/metrics';
import type { StopRule } from '../core/stop-rule';
import { RunLoop } from './run-loop';
import { Trainer } from './trainer';

export interface RunProgress {
  step: number;
  totalSteps: number;
  last: StepRecord;
  lastEval: StepRecord | null;
  stepsPerSecond: number;
  elapsedSeconds: number;
  stepsTo95: number | null;
  stepsTo99: number | null;
}

export interface RunSummary {
  stepsTo95: number | null;
  stepsTo99: number | null;
  finalTrainAcc: number | null;
  finalValAcc: number | null;
  finalAgeApplied: number | null;
  finalWeightNorm: number | null;
  /** Softmax collapse at the last evaluation: the fraction of training rows with a zero loss gradient, and cos(Δθ, θ). */
  finalCollapseFraction: number | null;
  finalNlmCosine: number | null;
  /** First evaluation with collapse fraction ≥ SOFTMAX_COLLAPSE_THRESHOLD (src/core/collapse.ts), or null. */
  softmaxCollapseAt: number | null;
  steps: number;
  seconds: number;
  stepsPerSecond: number;
  stoppedEarly: boolean;
  divergedAt: number | null;
  /** NeuralGrok's "is the amplifier doing anything?" figures at the last evaluation (null for other methods). */
  amplifierDiagnostics: AmplifierDiagnostics | null;
  /** The steps this run was resumed from, in order (empty: it ran in one go). */
  resumedFrom: number[];
  /** Stopped on request (a signal) after writing a checkpoint: not finished, to be resumed. */
  interrupted: boolean;
}

export type AmplifierDiagnostics = Record<(typeof AMPLIFIER_KEYS)[number], number | null>;

/** The last measured value of each diagnostic (null: never measured, i.e. not a NeuralGrok run). */
export function lastAmplifierDiagnostics(evals: RunSeries['evals']): AmplifierDiagnostics | null {
  const out = Object.fromEntries(AMPLIFIER_KEYS.map((k) => [k, finiteOrNull(lastMeasured(evals[k]))])) as AmplifierDiagnostics;
  return Object.values(out).some((x) => x !== null) ? out : null;
}

const finiteOrNull = (x: number | undefined): number | null => (x === undefined || Number.isNaN(x) ? null : x);

export interface RunResult {
  config: RunConfig;
  /** Every step's training metrics, and the evaluation steps' (validation, full-train, weight norm, AGE…). */
  series: RunSeries;
  summary: RunSummary;
}

/** What a checkpointed run saves: the trainer's full state and the run's own record so far. */
export interface RunCheckpoint {
  config: RunConfig;
  checkpoint: Checkpoint;
  series: RunSeries;
  /** Seconds of training so far, over every stretch. */
  elapsedSeconds: number;
  resumedFrom: number[];
}

export interface RunOptions {
  /** Continue a checkpointed run (its config must be this run's, but for the step budget). */
  resume?: RunCheckpoint;
  /** Hand a full checkpoint to `save` every `every` steps, at the end, and when `shouldStop` asks. */
  checkpoint?: { every: number; save: (c: RunCheckpoint) => void | Promise<void> };
  /** Asked between chunks: true stops the run after its checkpoint (a signal): `interrupted` in the summary. */
  shouldStop?: () => boolean;
  /** The run's stop rule (core/stop-rule.ts), checked by the run loop. */
  stopWhen?: StopRule | null;
  onProgress?: (p: RunProgress) => void;
  /** Called with the new trainer before the first step (e.g. to import an amplifier). */
  beforeStart?: (t: Trainer) => void;
  /** Called with the trainer before it is disposed (e.g. to export the amplifier). */
  beforeDispose?: (t: Trainer) => void | Promise<void>;
}

export async function runTraining(config: ValidConfig, opts: RunOptions = {}): Promise<RunResult> {
  const trainer = new Trainer(config);
  const loop = new RunLoop(trainer, opts.stopWhen ?? null);
  const resume = opts.resume;
  const series = resume ? structuredClone(resume.series) : emptySeries();
  const resumedFrom = resume ? [...resume.resumedFrom, resume.checkpoint.step] : [];
  const start = performance.now() - (resume?.elapsedSeconds ?? 0) * 1000;
  let lastEval: StepRecord | null = null;
  let last: StepRecord | null = null;
  let stoppedEarly = false;
  let interrupted = false;
  let divergedAt: number | null = null;
  const every = opts.checkpoint?.every ?? Infinity;
  const save = async () => {
    if (!opts.checkpoint) return;
    const elapsedSeconds = (performance.now() - start) / 1000;
    await opts.checkpoint.save({ config, checkpoint: await trainer.exportCheckpoint(), series, elapsedSeconds, resumedFrom });
  };
  try {
    opts.beforeStart?.(trainer);
    if (resume) {
      if (resume.checkpoint.step > config.steps)
        throw new Error(`the checkpoint is at step ${resume.checkpoint.step}, past this run's ${config.steps} steps`);
      trainer.restoreCheckpoint(resume.checkpoint);
      // the tracker and the last records as the uninterrupted run had them
      for (let i = 0; i < series.evals.step.length; i++) {
        lastEval = recordAt(series.evals, i);
        loop.replay(lastEval);
      }
      if (series.train.step.length > 0) last = { ...recordAt(series.train, series.train.step.length - 1), ...lastEval };
    }
    while (!loop.finished) {
      if (opts.shouldStop?.()) {
        interrupted = true;
        break;
      }
      const result = await loop.advance(loop.nextChunk(every - (trainer.stepCount % every)));
      appendRecords(series, result.records);
      for (const r of result.records) {
        if (isEvaluation(r)) lastEval = r;
        last = r;
      }
      const elapsed = (performance.now() - start) / 1000;
      opts.onProgress?.({
        step: trainer.stepCount,
        totalSteps: config.steps,
        last: last!,
        lastEval,
        stepsPerSecond: trainer.stepCount / elapsed,
        elapsedSeconds: elapsed,
        stepsTo95: loop.tracker.stepsTo95,
        stepsTo99: loop.tracker.stepsTo99,
      });
      if (result.divergedAt !== null) {
        divergedAt = result.divergedAt;
        break;
      }
      if (result.stoppedAt !== null) {
        stoppedEarly = trainer.stepCount < config.steps;
        break;
      }
      if (trainer.stepCount % every === 0 && trainer.stepCount < config.steps) await save();
    }
    // a checkpoint at the end too: an interrupted run resumes from here, a finished one can be extended
    if (divergedAt === null) await save();
    if (lastEval?.step !== trainer.stepCount && divergedAt === null && !interrupted) {
      // Make the final figures refer to the final weights.
      const finalEval = await readEvaluation(trainer);
      lastEval = { ...last!, ...finalEval };
      appendEvaluation(series, lastEval);
    }
    await opts.beforeDispose?.(trainer);
  } finally {
    trainer.dispose();
  }
  const seconds = (performance.now() - start) / 1000;
  const steps = series.train.step.length;
  return {
    config,
    series,
    summary: {
      stepsTo95: loop.tracker.stepsTo95,
      stepsTo99: loop.tracker.stepsTo99,
      finalTrainAcc: lastEval?.trainFullAcc ?? null,
      finalValAcc: lastEval?.valAcc ?? null,
      finalAgeApplied: lastEval?.ageApplied ?? null,
      finalWeightNorm: lastEval?.weightNorm ?? null,
      finalCollapseFraction: lastEval?.collapseFraction ?? null,
      finalNlmCosine: lastEval?.nlmCosine ?? null,
      softmaxCollapseAt: softmaxCollapseStep(series.evals),
      steps,
      seconds,
      stepsPerSecond: steps / seconds,
      stoppedEarly,
      divergedAt,
      amplifierDiagnostics: lastAmplifierDiagnostics(series.evals),
      resumedFrom,
      interrupted,
    },
  };
}

/** Row i of a series' columns as a record (absent where not measured). */
function recordAt(columns: { step: number[] } & Record<string, number[]>, i: number): StepRecord {
  const r: StepRecord = { step: columns.step[i]! };
  for (const [k, column] of Object.entries(columns)) {
    const v = column[i]!;
    if (k !== 'step' && !Number.isNaN(v)) (r as Record<string, number>)[k] = v;
  }
  return r;
}

async function readEvaluation(trainer: Trainer): Promise<Partial<StepRecord>> {
  const tensors = trainer.evaluateTensors();
  const out: Partial<StepRecord> = {};
  for (const [k, t] of Object.entries(tensors)) {
    out[k as MetricKey] = (await t.data())[0]!;
    t.dispose();
  }
  return out;
}
