/** The columnar metric series the UI keeps (NaN where a value was not measured). */
import type { StepRecord } from '../engine/trainer';

export const TRAIN_KEYS = ['trainLoss', 'trainAcc'] as const;
export const EVAL_KEYS = ['valLoss', 'valAcc', 'trainFullLoss', 'trainFullAcc', 'weightNorm', 'ageRaw', 'ageApplied'] as const;

export interface Series {
  train: { step: number[] } & Record<(typeof TRAIN_KEYS)[number], number[]>;
  evals: { step: number[] } & Record<(typeof EVAL_KEYS)[number], number[]>;
}

export const emptySeries = (): Series => ({
  train: { step: [], trainLoss: [], trainAcc: [] },
  evals: { step: [], valLoss: [], valAcc: [], trainFullLoss: [], trainFullAcc: [], weightNorm: [], ageRaw: [], ageApplied: [] },
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
