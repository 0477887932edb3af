/** The columnar metric series the UI keeps (NaN where a value was not measured). */
import type { StepRecord } from '../engine/trainer';

export const TRAIN_KEYS = ['trainLoss', 'trainAcc'] as const;
/** NeuralGrok's "is the amplifier doing anything?" columns: absent (NaN) for other methods and in older files. */
export const AMPLIFIER_KEYS = ['ampWeightMin', 'ampWeightMax', 'ampWeightStd', 'cosToNorm', 'metaGradRms', 'metaDecayRms'] as const;
export const EVAL_KEYS = ['valLoss', 'valAcc', 'trainFullLoss', 'trainFullAcc', 'weightNorm', 'ageRaw', 'ageApplied', ...AMPLIFIER_KEYS] as const;

export interface Series {
  train: { step: number[] } & Record<(typeof TRAIN_KEYS)[number], number[]>;
  evals: { step: number[] } & Record<(typeof EVAL_KEYS)[number], number[]>;
}

export const emptySeries = (): Series => ({
  train: { step: [], trainLoss: [], trainAcc: [] },
  evals: { step: [], ...(Object.fromEntries(EVAL_KEYS.map((k) => [k, [] as number[]])) as unknown as Record<(typeof EVAL_KEYS)[number], number[]>) },
});


export function appendRecords(series: Series, records: StepRecord[]): void {
  for (const r of records) {
    series.train.step.push(r.step);
    for (const k of TRAIN_KEYS) series.train[k].push(r[k] ?? NaN);
    if (r.valAcc !== undefined) {
      series.evals.step.push(r.step);
      for (const k of EVAL_KEYS) series.evals[k].push(r[k] ?? NaN);
    }
  }
}
