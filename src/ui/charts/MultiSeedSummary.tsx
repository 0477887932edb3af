/** A multi-seed comparison's table: per method the median steps to val ≥ 0.95, the spread, a verdict and CSV. */
import { multiSeedCsv, multiSeedVerdict, summarizeMethods } from '../../core/multi-seed';
import { download } from '../files/browser-files';
import { seedRunsOf } from '../state/compare-slice';
import type { CompareRun } from '../state/types';

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
