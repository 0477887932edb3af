/**
 * The race's results files, read: one row per finished run (`bench/results/race-*.jsonl`,
 * written by bench/grok-race.ts) and the progress of runs that started and did not finish
 * (`race-<name>.partial.json`). Pure: no files, no DOM.
 */

/** One line of a race results file (bench/grok-race.ts writes them; older rows lack some fields). */
export interface RaceRow {
  key?: string;
  task: string;
  arm: string;
  seed: number;
  stepsTo95: number | null;
  stepsTo99?: number | null;
  steps: number;
  seconds?: number;
  finalValAcc?: number | null;
  amplifierDiagnostics?: Record<string, number | null> | null;
  curve?: {
    step: number[];
    valAcc: (number | null)[];
    trainAcc?: (number | null)[];
    ampWeightStd?: (number | null)[];
    /** The largest N·w per evaluation (N = its tensor's size): N for a tensor whose weight all sits on one component. */
    ampWeightMax?: (number | null)[];
    /** AGE of the raw gradient (before any transform) per evaluation. */
    ageRaw?: (number | null)[];
  };
  config?: Record<string, unknown>;
  preset?: string;
  finishedAt: string;
  commit?: string;
  /** The wasm backend's matmul: "xnnpack" (rows without the field) or "openblas <core> ×<threads>" (GROKLAB_BLAS=1). */
  matmul?: string;
  /** Where it ran before a resume that changed the rounding, oldest first (src/sweep/race.ts); `matmul` is where it ended. */
  roundingEarlier?: string[];
}

/** Rows of a JSONL text; a line that does not parse (one being appended right now) is skipped. */
export function parseRaceLines(text: string): RaceRow[] {
  const rows: RaceRow[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as RaceRow;
      if (typeof r.task === 'string' && typeof r.arm === 'string' && Number.isInteger(r.seed) && typeof r.steps === 'number') rows.push(r);
    } catch {
      /* a partial line */
    }
  }
  return rows;
}

/**
 * One row per (task, arm, seed): the newest that has a config, else the newest. Matched
 * normalization rows without a config ran the old protocol (trained on the outer split too)
 * and are dropped.
 */
export function latestRows(rows: RaceRow[]): RaceRow[] {
  const best = new Map<string, RaceRow>();
  for (const r of rows) {
    if (r.arm.startsWith('gradnorm+norm-matched') && !r.config) continue;
    const k = `${r.task}|${r.arm}|${r.seed}`;
    const old = best.get(k);
    const better = !old || (!!r.config && !old.config) || (!!r.config === !!old.config && r.finishedAt >= old.finishedAt);
    if (better) best.set(k, r);
  }
  return [...best.values()].sort((a, b) => a.seed - b.seed);
}

/** A started run's last progress line (`race-<name>.partial.json` keeps one per run in progress). */
export interface RaceProgress {
  step: number;
  line: string;
  at: string;
}

/** A run that started and did not finish (its session ended): how far it got. */
export interface UnfinishedRun {
  task: string;
  arm: string;
  seed: number;
  step: number;
  budget: number;
  valAcc: number | null;
  at: string;
}

/** The runs of a partial file, from their keys (`preset|task|arm|set|seed|budget|eval|stop`). */
export function unfinishedRuns(partials: Record<string, RaceProgress>): UnfinishedRun[] {
  return Object.entries(partials).flatMap(([key, p]) => {
    const [, task, arm, , seed, budget] = key.split('|');
    if (!task || !arm || seed === undefined || typeof p?.step !== 'number') return [];
    const val = /val loss [^|]*acc ([\d.]+)/.exec(p.line ?? '')?.[1];
    return [{ task, arm, seed: Number(seed), step: p.step, budget: Number(budget), valAcc: val ? Number(val) : null, at: p.at }];
  });
}
