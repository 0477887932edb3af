/** A multi-seed comparison's table: per method the median steps to val ≥ 0.95, the spread, a verdict and CSV. */
import { multiSeedCsv, multiSeedVerdict, summarizeMethods } from '../../core/multi-seed';
import { download } from '../files/browser-files';
import { seedRunsOf } from '../state/compare-slice';
import type { CompareRun } from '../state/types';
import { GrokStepsChart } from './lazy-charts';

export function MultiSeedSummary({ runs, finished }: { runs: CompareRun[]; finished: boolean }) {
  const seedRuns = seedRunsOf(runs);
  const summaries = summarizeMethods(seedRuns);
  return (
    <div className="multi-seed" data-testid="multi-seed">
      <div className="table-scroll">
        <table className="grok-table" data-testid="multi-seed-table">
          <thead>
            <tr>
              <th>method</th>
              <th>seeds</th>
              <th>reached val ≥ 0.95</th>
              <th>median steps to 0.95</th>
              <th>spread (fastest – slowest seed)</th>
            </tr>
          </thead>
          <tbody>
            {summaries.map((s) => (
              <tr key={s.method} data-testid="multi-seed-row">
                <td>{s.label}</td>
                <td>{s.seeds}</td>
                <td>
                  {s.reached} of {s.seeds}
                </td>
                <td data-testid="multi-seed-median">{Number.isFinite(s.median) ? s.median : finished ? 'not reached' : '–'}</td>
                <td>{s.min === null ? '–' : s.min === s.max ? s.min : `${s.min} – ${s.max}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <GrokStepsChart
        testId="multi-seed-chart"
        title="Median steps to val ≥ 0.95 per method (bars), each seed that got there a dot"
        rows={summaries.map((m) => ({
          label: m.label,
          color: runs.find((r) => r.config.method === m.method)?.color ?? '#888',
          steps: Number.isFinite(m.median) ? m.median : null,
          seeds: seedRuns.filter((r) => r.method === m.method && r.stepsTo95 !== null).map((r) => r.stepsTo95!),
        }))}
      />
      <p className="note" data-testid="multi-seed-verdict">
        {finished ? '' : 'So far: '}
        {multiSeedVerdict(seedRuns)}{' '}
        <button
          data-testid="multi-seed-csv"
          onClick={() => download(`groklab-seeds-${Date.now()}.csv`, multiSeedCsv(seedRuns), 'text/csv')}
        >
          Export table (CSV)
        </button>
      </p>
    </div>
  );
}
