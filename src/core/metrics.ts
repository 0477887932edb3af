/**
 * Metric records and series: the contract between the engine (which measures), the worker
 * (which batches), the CLI and run files (which store) and the UI (which draws).
 *
 * "Not measured" has one meaning and three spellings, each at its own boundary and converted
 * only here: a key **absent** from a StepRecord, **NaN** in an in-memory series column, **null**
 * in JSON (which has no NaN).
 */

/** One step's metrics. Validation and the complexity measures are present on evaluation steps only. */
export type StepRecord = { step: number } & { [K in MetricKey]?: number };

/** Every step's training metrics. */
export const TRAIN_KEYS = ['trainLoss', 'trainAcc', 'lr', 'metaOuterLoss'] as const;
/** NeuralGrok's "is the amplifier doing anything?" columns: absent for other methods and in older files. */
export const AMPLIFIER_KEYS = ['ampWeightMin', 'ampWeightMax', 'ampWeightStd', 'cosToNorm', 'metaGradRms', 'metaDecayRms'] as const;
/**
 * Softmax collapse (Prieto et al., 2025): the fraction of training rows whose loss gradient
 * with respect to the logits is exactly 0 in float32, and the cosine between the evaluation
 * step's update Δθ and θ (the naïve-loss-minimization direction). Absent in older files.
 */
export const COLLAPSE_KEYS = ['collapseFraction', 'nlmCosine'] as const;
/** Evaluation steps' metrics. */
export const EVAL_KEYS = [
  'valLoss',
  'valAcc',
  'trainFullLoss',
  'trainFullAcc',
  'weightNorm',
  'weightEntropy',
  'ageRaw',
  'ageApplied',
  ...AMPLIFIER_KEYS,
  // last, so that older CSV columns keep their places
  ...COLLAPSE_KEYS,
] as const;
/** Columns of a packed step record, in the order the engine packs them: training, then evaluation. */
export const METRIC_KEYS = [...TRAIN_KEYS, ...EVAL_KEYS] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];
export type TrainKey = (typeof TRAIN_KEYS)[number];
export type EvalKey = (typeof EVAL_KEYS)[number];
export type AmplifierKey = (typeof AMPLIFIER_KEYS)[number];

/** Columns over steps; NaN where a value was not measured. */
export type Columns<K extends string> = { step: number[] } & Record<K, number[]>;

/** A run's metrics: every step's training columns, and the evaluation steps' columns. */
export interface RunSeries {
  train: Columns<TrainKey>;
  evals: Columns<EvalKey>;
}

function emptyColumns<K extends string>(keys: readonly K[]): Columns<K> {
  return Object.fromEntries([['step', []], ...keys.map((k) => [k, []])]) as unknown as Columns<K>;
}

export const emptySeries = (): RunSeries => ({ train: emptyColumns(TRAIN_KEYS), evals: emptyColumns(EVAL_KEYS) });

/** A record has an evaluation when its validation accuracy was measured. */
export const isEvaluation = (r: StepRecord): boolean => r.valAcc !== undefined;

/** Appends records in place: every step to `train`, evaluation steps to `evals`. */
export function appendRecords(series: RunSeries, records: readonly StepRecord[]): void {
  for (const r of records) {
    series.train.step.push(r.step);
    for (const k of TRAIN_KEYS) series.train[k].push(r[k] ?? NaN);
    if (isEvaluation(r)) appendEvaluation(series, r);
  }
}

/** Appends one evaluation record's columns (not its training ones). */
export function appendEvaluation(series: RunSeries, r: StepRecord): void {
  series.evals.step.push(r.step);
  for (const k of EVAL_KEYS) series.evals[k].push(r[k] ?? NaN);
}

/** Unpacks the engine's packed [n × METRIC_KEYS] readback into records (NaN → absent). */
export function unpackRecords(data: ArrayLike<number>, firstStep: number, n: number): StepRecord[] {
  const K = METRIC_KEYS.length;
  const records: StepRecord[] = [];
  for (let i = 0; i < n; i++) {
    const r: StepRecord = { step: firstStep + i };
    METRIC_KEYS.forEach((k, j) => {
      const v = data[i * K + j]!;
      // the training loss is kept even when NaN: that is how a diverged run is detected
      if (!Number.isNaN(v) || k === 'trainLoss') r[k] = v;
    });
    records.push(r);
  }
  return records;
}

/** The last measured value of a column (NaN if none). */
export function lastMeasured(column: readonly number[]): number {
  for (let i = column.length - 1; i >= 0; i--) if (!Number.isNaN(column[i]!)) return column[i]!;
  return NaN;
}

export const toJsonColumn = (xs: readonly number[]): (number | null)[] => xs.map((x) => (Number.isFinite(x) ? x : null));
export const fromJsonColumn = (xs: readonly (number | null)[]): number[] => xs.map((x) => (x === null ? NaN : x));
