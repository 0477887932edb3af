/**
 * "Each method at its own best learning rate" (issue 31, item 4), beside Table 1 in "The paper,
 * checked": per task and method the grid point the rule chose (src/paper/tuned.ts), its median,
 * the same method at the paper's lr, and what tuning changed — all from the bundle the build made.
 * A grid with missing runs says so ("partial (k of n runs)", "not run yet") instead of a figure.
 */
import { TASK_LABELS } from '../../config/fields';
import type { Conditions } from '../../paper/bundle';
import {
  gridText,
  pointText,
  TUNED_METHODS,
  TUNED_RULE,
  TUNED_TASKS,
  tunedCellOf,
  type ComparisonKind,
  type TunedCell,
} from '../../paper/tuned';

/** The Table 1 verdict colours, reused: faster is blue, level green, open yellow, none red, not run plain. */
const KIND_CLASS: Record<ComparisonKind, string> = {
  'paper-best': 'verdict-reproduced',
  within: 'verdict-close',
  faster: 'verdict-faster',
  reaches: 'verdict-faster',
  'none-reach': 'verdict-not-within',
  open: 'verdict-open',
  partial: 'verdict-not-run',
  'not-run': 'verdict-not-run',
};

function TunedCellView({ cell }: { cell: TunedCell }) {
  const chosen = cell.chosen === null ? null : cell.settings[cell.chosen]!;
  const paper = cell.settings[cell.paperIndex]!;
  return (
    <td className={`paper-cell ${KIND_CLASS[cell.comparisonKind]}`} data-testid={`tuned-cell-${cell.task}-${cell.method}`}>
      <span className="ours">
        {cell.status === 'not-run'
          ? 'not run yet'
          : !chosen
            ? 'no point at 95 % on most seeds'
            : `${cell.status === 'complete' ? 'best' : 'best so far'}: ${pointText(chosen)}, ${chosen.short}`}
        <small>
          {' '}
          ({cell.runs} of {cell.expectedRuns} runs)
        </small>
      </span>
      <small className="reference-spread">at the paper’s lr: {paper.text}</small>
      <span className="verdict" data-testid={`tuned-verdict-${cell.task}-${cell.method}`}>
        {cell.comparison}
      </span>
    </td>
  );
}

export function TunedSection({
  cells,
  changes,
  conditions,
}: {
  cells: TunedCell[];
  changes: Record<string, string[]>;
  conditions: Conditions;
}) {
  return (
    <section className="paper-section" data-testid="paper-tuned">
      <h3>Each method at its own best learning rate (a + b and a² − b mod 97)</h3>
      <p>
        Table 1 runs every method at the paper’s lr. Here each has a small grid — {gridText()} — on the same model and protocol, with ⊥Grad
        and StableMax beside the paper’s methods. {TUNED_RULE}
      </p>
      <p data-testid="paper-tuned-runs">
        {conditions.rows
          ? `${conditions.rows} runs of the tuned race have finished (engine commits ${conditions.commits.join(', ')}); the paper-lr points of Table 1’s methods are Table 1’s runs.`
          : 'No run of the tuned race has finished yet: only the paper-lr points of Table 1’s methods (Table 1’s own runs) are in.'}
      </p>
      <div className="table-scroll">
        <table className="paper-table" data-testid="paper-tuned-table">
          <thead>
            <tr>
              <th>method</th>
              {TUNED_TASKS.map((t) => (
                <th key={t}>{TASK_LABELS[t]}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {TUNED_METHODS.map((m) => (
              <tr key={m}>
                <th scope="row">{tunedCellOf(cells, 'add', m).label}</th>
                {TUNED_TASKS.map((t) => (
                  <TunedCellView key={t} cell={tunedCellOf(cells, t, m)} />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {TUNED_TASKS.map((t) => (
        <p key={t} className="verdict-line" data-testid={`paper-tuned-changes-${t}`}>
          <strong>What changes when every method is tuned, {TASK_LABELS[t]}:</strong>{' '}
          {(changes[t] ?? []).join(' ') || 'nothing to rank yet.'}
        </p>
      ))}
    </section>
  );
}
