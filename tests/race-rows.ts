/** Hand-made race rows for the paper tests: each later row finished one minute after the one before. */
import type { RaceRow } from '../src/paper/rows';

export type RowMaker = (task: string, arm: string, seed: number, stepsTo95: number | null, extra?: Partial<RaceRow>) => RaceRow;

/** A row maker with its own clock; `config(seed)` and `defaults` fill what the tests do not name. */
export function rowMaker(config: (seed: number) => Record<string, unknown>, defaults: Partial<RaceRow> = {}): RowMaker {
  let clock = 0;
  return (task, arm, seed, stepsTo95, extra = {}) => {
    clock += 1;
    return {
      task,
      arm,
      seed,
      stepsTo95,
      steps: stepsTo95 ?? 5000,
      finishedAt: new Date(Date.UTC(2026, 11, 1, 0, clock)).toISOString(),
      config: config(seed),
      ...defaults,
      ...extra,
    };
  };
}
