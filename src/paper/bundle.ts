/**
 * What the build bundles for "The paper, checked", and what scripts/table1-report.ts writes
 * docs/results.md from: the results files' texts → the cells, the curves, the ablation, the
 * claims and the conditions the rows ran under. Pure (no DOM, no files): the Vite build reduces
 * the committed results with it (scripts/site-content.ts) into the small JSON the view shows.
 */

// with their extension: the Vite config loads this module through scripts/site-content.ts
import { countBy } from '../core/stats.ts';
import { ablation, type Ablation } from './ablation.ts';
import { paperClaims } from './claims.ts';
import { latestRows, parseRaceLines, type RaceProgress, type RaceRow, type UnfinishedRun, unfinishedRuns } from './rows.ts';
import { paperCurves, paperTable, type PaperCell, type PaperCurve } from './table.ts';
import { PAPER_METHODS, PAPER_TASKS, paperArm } from './table1.ts';
import { TUNED_TASKS, tunedChanges, tunedTable, type TunedCell } from './tuned.ts';
import type { Claim } from './verdicts.ts';

export interface Conditions {
  commits: string[];
  firstFinished: string | null;
  lastFinished: string | null;
  rows: number;
  /** Each matmul the rows ran on ("xnnpack" for rows without the field), with its row count, most rows first. */
  matmuls: { matmul: string; rows: number }[];
}

/** A row's matmul, or, for a run resumed on another one, each part: "openblas Cooperlake ×1 to step 6250, then openblas SkylakeX ×1". */
export function matmulHistory(r: RaceRow): string {
  const last = r.matmul ?? 'xnnpack';
  if (!r.roundingEarlier?.length) return last;
  const parts = r.roundingEarlier.map((e) => e.replace(/^backend \S+ \(matmul ([^,)]*)[^)]*\) (to step \d+)$/, '$1 $2'));
  return `${parts.join(', ')}, then ${last}`;
}

export function conditionsOf(rows: RaceRow[]): Conditions {
  const used = latestRows(rows);
  const times = used.map((r) => r.finishedAt).sort();
  return {
    commits: [...new Set(used.map((r) => r.commit ?? 'before commits were recorded'))].sort(),
    firstFinished: times[0] ?? null,
    lastFinished: times.at(-1) ?? null,
    rows: used.length,
    matmuls: [...countBy(used, matmulHistory)]
      .map(([matmul, rows]) => ({ matmul, rows }))
      .sort((a, b) => b.rows - a.rows || a.matmul.localeCompare(b.matmul)),
  };
}

/** What the build bundles: everything the view shows, small. */
export interface PaperBundle {
  files: string[];
  cells: PaperCell[];
  curves: PaperCurve[];
  ablation: Ablation;
  claims: Claim[];
  conditions: Conditions;
  /** Each method at its own best lr (issue 31, item 4): the tuned cells, and per task what changes when every method is tuned. */
  tuned: TunedCell[];
  tunedChanges: Record<string, string[]>;
  /** The conditions of the tuned race's own rows (race-tuned-*.jsonl; the paper-lr points are Table 1's rows). */
  tunedConditions: Conditions;
}

/** Whether a file of bench/results feeds the bundle (the build and its tests read the same set). */
export const isPaperResultFile = (name: string): boolean =>
  /^race-(paper-[\w-]+|ablation-add|claim-[\w-]+|tuned-[\w-]+)\.jsonl$/.test(name) ||
  /^race-(paper|tuned)-[\w-]+\.partial\.json$/.test(name);

/** The progress entries of partial files' texts; one being rewritten right now is skipped. */
function parsePartials(texts: string[]): UnfinishedRun[] {
  return texts.flatMap((t) => {
    try {
      return unfinishedRuns(JSON.parse(t) as Record<string, RaceProgress>);
    } catch {
      return [];
    }
  });
}

/**
 * The bundle from the results files' texts, keyed by file name: `race-paper-<task>.jsonl` (and
 * its `.partial.json`: runs in progress), `race-ablation-add.jsonl`, `race-claim-*.jsonl` and
 * `race-tuned-<task>.jsonl` (and its `.partial.json`) when present.
 */
export function buildPaperBundle(files: Record<string, string>, maxPoints = 200): PaperBundle {
  const names = Object.keys(files).sort();
  const rowsOf = (re: RegExp) => names.filter((n) => re.test(n)).flatMap((n) => parseRaceLines(files[n]!));
  const paperRows = rowsOf(/race-paper-[^/]*\.jsonl$/);
  const ablationRows = rowsOf(/race-ablation-add\.jsonl$/);
  const unfinished = parsePartials(names.filter((n) => /race-paper-[^/]*\.partial\.json$/.test(n)).map((n) => files[n]!));
  const cells = paperTable(paperRows, unfinished);
  const tunedRows = rowsOf(/race-tuned-[^/]*\.jsonl$/);
  const tunedUnfinished = [
    ...unfinished,
    ...parsePartials(names.filter((n) => /race-tuned-[^/]*\.partial\.json$/.test(n)).map((n) => files[n]!)),
  ];
  const tuned = tunedTable([...paperRows, ...tunedRows], tunedUnfinished);
  const abl = ablation(paperRows, ablationRows, maxPoints);
  // only the rows the view uses count towards the conditions
  const arms = new Set(PAPER_TASKS.flatMap((t) => PAPER_METHODS.map((m) => `${t}|${paperArm(t, m)}`)));
  const used = [...paperRows.filter((r) => arms.has(`${r.task}|${r.arm}`)), ...ablationRows];
  return {
    files: names,
    cells,
    curves: paperCurves(paperRows, maxPoints),
    ablation: abl,
    claims: paperClaims(cells, abl, {
      paperRows,
      rescaling: rowsOf(/race-claim-c\.jsonl$/),
      stability: rowsOf(/race-claim-stability\.jsonl$/),
      transfer: rowsOf(/race-claim-transfer\.jsonl$/),
      transferSource: rowsOf(/race-claim-transfer-source\.jsonl$/),
    }),
    conditions: conditionsOf(used),
    tuned,
    tunedChanges: Object.fromEntries(TUNED_TASKS.map((t) => [t, tunedChanges(tuned, t)])),
    tunedConditions: conditionsOf(tunedRows),
  };
}
