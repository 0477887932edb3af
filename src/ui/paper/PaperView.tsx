/**
 * "The paper, checked" (`?view=paper`): NeuralGrok's Table 1 beside GrokLab's own race results,
 * reduced at build time from bench/results (scripts/site-content.ts, src/paper/table.ts),
 * with plain-SVG charts per task, the ablation, the paper's claims and the conditions. Every cell
 * is a share link to its configuration; a row opens compare mode on its methods and seeds.
 * Loaded lazily (its own chunk with the results), and its charts mount one per frame after the
 * table, so neither opening it nor switching tasks holds the main thread for long.
 */
import { memo, startTransition, useCallback, useEffect, useState } from 'react';
import reduced from 'virtual:paper-results';
import { TASK_LABELS } from '../../config/fields';
import { medianSteps } from '../../core/stats';
import type { PaperBundle } from '../../paper/bundle';
import type { PaperCell } from '../../paper/table';
import {
  PAPER_METHOD_LABELS,
  PAPER_METHODS,
  PAPER_TASKS,
  paperModulus,
  type PaperMethod,
  type PaperFigure,
  type PaperTask,
} from '../../paper/table1';
import { docLink } from '../docs';
import { useGrokStore } from '../store';
import { cellLink, paperColor, rowCompareLink } from './paper-links';
import { AmplifierStdChart, StepsBarChart, ValAccuracyChart } from './PaperCharts';
import { CellRunner } from './CellRunner';
import { TunedSection } from './TunedSection';
import type { YourRun } from '../files/your-runs';
import './paper.css';

const slot = <div className="chart-slot" />;

/** Built from bench/results by scripts/site-content.ts with buildPaperBundle. */
const bundle = reduced as PaperBundle;

/** 12 345 with a thin space (toLocaleString builds a formatter per call: 20 ms over the table). */
const steps = (n: number) => String(Math.round(n * 10) / 10).replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009');
const figureText = (f: PaperFigure | null) => (!f ? '–' : 'steps' in f ? steps(f.steps) : `fails (not within ${steps(f.failsWithin)})`);
const seedWord = (n: number) => `${n} seed${n === 1 ? '' : 's'}`;

/** The number of stages shown so far: one more per frame after `key` changes (0 … n). */
function useStages(n: number, key: unknown): number {
  const [shown, setShown] = useState({ key, stage: 0 });
  useEffect(() => {
    let i = 0;
    let handle = 0;
    const next = () => {
      i += 1;
      startTransition(() => setShown({ key, stage: i }));
      if (i < n) handle = window.setTimeout(next, 32);
    };
    handle = window.setTimeout(next, 32);
    return () => window.clearTimeout(handle);
  }, [n, key]);
  return shown.key === key ? shown.stage : 0;
}

/** Each seed as a dot on a line from 0 to the cell's largest figure; the paper's figure a tick; a seed that never reached, hollow at the end. */
function SeedDots({ cell }: { cell: PaperCell }) {
  const paper = cell.paper && 'steps' in cell.paper ? cell.paper.steps : null;
  const max = Math.max(paper ?? 0, ...cell.seeds.map((s) => s.stepsTo95 ?? s.steps), 1);
  const x = (v: number) => 4 + (92 * v) / max;
  return (
    <svg className="seed-dots" width="100" height="14" viewBox="0 0 100 14" aria-hidden="true">
      <line x1="4" x2="96" y1="7" y2="7" stroke="#ccd" />
      {paper !== null && <line x1={x(paper)} x2={x(paper)} y1="1" y2="13" stroke="#667" strokeWidth="2" />}
      {cell.seeds.map((s) =>
        s.stepsTo95 !== null ? (
          <circle key={s.seed} cx={x(s.stepsTo95)} cy="7" r="3.2" fill={paperColor(cell.method)} />
        ) : (
          <circle key={s.seed} cx={x(s.steps)} cy="7" r="3.2" fill="#fff" stroke="#c0392b" strokeWidth="1.5" />
        ),
      )}
    </svg>
  );
}

/** This browser's finished seeds of a cell ("yours"). */
const yoursOf = (runs: YourRun[], cell: PaperCell) => runs.filter((r) => r.task === cell.task && r.method === cell.method);

function Cell({ cell, yours, run }: { cell: PaperCell; yours: YourRun[]; run: (c: PaperCell) => void }) {
  const n = cell.seeds.length;
  const budget = Math.max(0, ...cell.seeds.map((s) => s.steps));
  const ours = !n ? '–' : cell.median !== null ? steps(cell.median) : `not within ${steps(budget)}`;
  const firstSeed = cell.seeds[0]?.seed ?? 0;
  return (
    <td className={`paper-cell verdict-${cell.verdictKind}`}>
      <a
        className="cell-link"
        data-testid={`paper-cell-${cell.task}-${cell.method}`}
        href={cellLink(cell)}
        title={`Open this configuration in the playground (seed ${firstSeed})`}
      >
        <span className="paper-figure">paper {figureText(cell.paper)}</span>
        <span className="ours" data-testid={`paper-ours-${cell.task}-${cell.method}`}>
          ours {ours}
          {n > 0 && <small> ({cell.reached === n ? seedWord(n) : `${cell.reached} of ${seedWord(n)} reached`})</small>}
        </span>
      </a>
      {n > 0 && <SeedDots cell={cell} />}
      <span className="verdict" data-testid={`paper-verdict-${cell.task}-${cell.method}`}>
        {cell.verdict}
      </span>
      {cell.reference && (
        <small className="reference-spread" data-testid={`paper-reference-${cell.task}-${cell.method}`}>
          the authors' code here: {cell.reference.seeds.join(', ')} — {cell.reference.verdict}
        </small>
      )}
      {yours.length > 0 && (
        <span className="yours" data-testid={`paper-yours-${cell.task}-${cell.method}`}>
          yours{' '}
          {(() => {
            const m = medianSteps(yours.map((y) => y.stepsTo95));
            return Number.isFinite(m) ? steps(m) : 'never';
          })()}{' '}
          <small>({seedWord(yours.length)})</small>
        </span>
      )}
      <button
        className="run-here"
        data-testid={`paper-run-${cell.task}-${cell.method}`}
        onClick={() => run(cell)}
        title="Run this cell in my browser"
      >
        ▶ run here
      </button>
      {n > 1 && (
        <span className="per-seed">
          {cell.seeds.map((s) => (
            <a key={s.seed} href={cellLink(cell, s.seed)} title={`seed ${s.seed} in the playground`}>
              s{s.seed} {s.stepsTo95 ?? `>${s.steps}`}
            </a>
          ))}
        </span>
      )}
    </td>
  );
}

/** Memoized: a cell run's progress (10 times a second per worker) must not redraw the table. */
const Table1 = memo(function Table1({
  selected,
  select,
  yours,
  run,
}: {
  selected: PaperTask;
  select: (t: PaperTask) => void;
  yours: YourRun[];
  run: (c: PaperCell) => void;
}) {
  return (
    <div className="table-scroll">
      <table className="paper-table" data-testid="paper-table">
        <caption>
          Steps to 95 % validation accuracy: the paper’s Table 1 and ours (median over seeds; the dots are the seeds, the tick the paper’s
          figure). A cell opens its configuration in the playground; “compare” opens the row’s methods side by side.
        </caption>
        <thead>
          <tr>
            <th>task</th>
            {PAPER_METHODS.map((m) => (
              <th key={m} style={{ borderTopColor: paperColor(m) }}>
                {PAPER_METHOD_LABELS[m]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {PAPER_TASKS.map((task) => (
            <tr key={task} className={task === selected ? 'selected' : ''}>
              <th scope="row">
                <button
                  className="task-button"
                  data-testid={`paper-task-${task}`}
                  onClick={() => select(task)}
                  aria-pressed={task === selected}
                >
                  {TASK_LABELS[task]} <small>mod {paperModulus(task)}</small>
                </button>
                <a className="row-link" data-testid={`paper-row-${task}`} href={rowCompareLink(task, bundle.cells)}>
                  compare ▸
                </a>
              </th>
              {bundle.cells
                .filter((c) => c.task === task)
                .map((c) => (
                  <Cell key={c.method} cell={c} yours={yoursOf(yours, c)} run={run} />
                ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
});

/** "xnnpack" → tfjs-wasm's own; "openblas Cooperlake ×1" → OpenBLAS (Cooperlake, 1 thread). */
function matmulName(m: string): string {
  // a run resumed on another matmul: "A to step N, then B" (src/paper/bundle.ts matmulHistory)
  if (m.includes(', then '))
    return m
      .split(', ')
      .map((part) => part.replace(/^(then )?(.*?)( to step \d+)?$/, (_, then = '', name, to = '') => then + matmulName(name) + to))
      .join(', ');
  if (m === 'xnnpack') return 'tfjs-wasm’s own (XNNPACK)';
  const [, core, threads] = /^openblas (\S+) ×(\d+)$/.exec(m) ?? [];
  return core ? `OpenBLAS (${core} kernels, ${threads} thread${threads === '1' ? '' : 's'})` : m;
}

function Conditions() {
  const c = bundle.conditions;
  const day = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') + ' UTC' : '–');
  return (
    <section className="paper-section" data-testid="paper-conditions">
      <h3>How these numbers were made</h3>
      <p>
        Every cell is a real training run of GrokLab’s own engine: the paper’s model and data (a 2-layer transformer of width 128 on a table
        mod 97, half of it for training; a·c + b·d − e mod 7 with 4 layers), its optimizer settings and weight decays, run by the command
        line (`npm run bench:race`) in Node on the WASM backend, one thread, on a 2-core CPU machine without a GPU, usually two races at
        once — so seconds say little; steps are what compare. A run is evaluated every 10 steps (on a·c + b·d − e every 50: there an
        evaluation costs ~7 training steps) and stops at the first evaluation with validation accuracy ≥ 95 % or at its budget (3× the
        paper’s figure). “Reproduced” means our median is within ±25 % of the paper’s figure over at least three seeds; fewer seeds say
        “preliminary”. The paper gives one figure per cell, without seeds or spread.
      </p>
      <p>
        {c.rows} runs, finished {day(c.firstFinished)} – {day(c.lastFinished)}, on engine commits {c.commits.join(', ')} (“+dirty”: with
        uncommitted changes at the time); matrix products by{' '}
        <span data-testid="paper-matmuls">
          {c.matmuls.map((m) => `${matmulName(m.matmul)} (${m.rows} run${m.rows === 1 ? '' : 's'})`).join(', ')}
        </span>
        {c.matmuls.some((m) => m.matmul !== 'xnnpack') &&
          ' — the long a·c + b·d − e runs used OpenBLAS in Node, which rounds differently from the browser’s but computes the same model'}
        . The full tables, the first passes and what changed between them:{' '}
        <a href={docLink('results')} data-testid="paper-results-link">
          docs/results.md
        </a>
        ; the algorithms as implemented: <a href={docLink('algorithms')}>docs/algorithms.md</a>; where we deviate and why:{' '}
        <a href={docLink('decisions')}>docs/decisions.md</a>.
      </p>
    </section>
  );
}

export default function PaperView() {
  const [task, setTask] = useState<PaperTask>('add');
  const stage = useStages(3, 'mount'); // the charts mount one per task after the table, once
  const close = useGrokStore((s) => s.setView);
  const select = useCallback((t: PaperTask) => startTransition(() => setTask(t)), []);
  const yours = useGrokStore((s) => s.yourRuns);
  // which cell runs here, not its progress (that is CellRunner's)
  const running = useGrokStore((s) => (s.cellRun ? `${s.cellRun.task}|${s.cellRun.method}` : null));
  const [runCell, setRunCell] = useState<PaperCell | null>(null);
  // the cell running here (after a reload too), else the one chosen
  const shownCell = runCell ?? bundle.cells.find((c) => `${c.task}|${c.method}` === running) ?? null;
  const chooseRun = useCallback((c: PaperCell) => {
    setRunCell(c);
    requestAnimationFrame(() => document.querySelector('[data-testid="cell-runner"]')?.scrollIntoView({ block: 'nearest' }));
  }, []);
  return (
    <div className="paper-view" data-testid="paper-view">
      <div className="paper-head">
        <h2>The paper, checked</h2>
        <button data-testid="paper-close" onClick={() => close({ page: 'playground' })}>
          ← Back to the playground
        </button>
      </div>
      <p className="paper-intro">
        Zhou et al. (2025), <em>NeuralGrok: Accelerate Grokking by Neural Gradient Transformation</em> (arXiv:2504.17243), report in their
        Table 1 how many steps each method needs to reach 95 % validation accuracy. GrokLab ran the same cells itself; here they are side by
        side, with matched normalization — NeuralGrok with its amplifier held uniform — as a fifth column, the ablation that asks whether
        the learned part matters.
      </p>
      <Table1 selected={task} select={select} yours={yours} run={chooseRun} />
      {shownCell && <CellRunner cell={shownCell} />}
      <section className="paper-section" data-testid="paper-charts">
        <h3>
          {TASK_LABELS[task]} mod {paperModulus(task)}
        </h3>
        <div className="task-tabs" role="tablist">
          {PAPER_TASKS.map((t) => (
            <button key={t} role="tab" aria-selected={t === task} data-testid={`paper-tab-${t}`} onClick={() => select(t)}>
              {TASK_LABELS[t]}
            </button>
          ))}
        </div>
        <div className="paper-charts">
          <figure data-testid="paper-bars">
            <figcaption>Steps to 95 %: the paper, our median, our seeds</figcaption>
            {stage >= 1 ? (
              <StepsBarChart
                task={task}
                cells={bundle.cells}
                yours={yours
                  .filter((y) => y.task === task && y.stepsTo95 !== null)
                  .map((y) => ({ method: y.method as PaperMethod, steps: y.stepsTo95! }))}
              />
            ) : (
              slot
            )}
          </figure>
          <figure data-testid="paper-curves">
            <figcaption>Our validation accuracy per method (seed 0 bold, other seeds faint)</figcaption>
            {stage >= 2 ? <ValAccuracyChart task={task} curves={bundle.curves} /> : slot}
          </figure>
        </div>
      </section>
      <TunedSection cells={bundle.tuned} changes={bundle.tunedChanges} conditions={bundle.tunedConditions} />
      <section className="paper-section" data-testid="paper-ablation">
        <h3>Does a learned amplifier help? (a + b mod 97)</h3>
        <p>
          NeuralGrok turns each gradient component into a softmax weight w; with N components, N·w = 1 everywhere is a uniform amplifier,
          and then NeuralGrok’s update is exactly matched normalization. The chart shows how far N·w strays from 1 (its standard deviation)
          in NeuralGrok as the paper runs it and with its amplifier let loose (no meta weight decay, larger meta learning rates).
        </p>
        <p className="verdict-line" data-testid="paper-ablation-verdict">
          <strong>Verdict:</strong> {bundle.ablation.verdict}
        </p>
        <ul className="ablation-arms">
          {bundle.ablation.arms.map((a) => (
            <li key={a.arm}>
              {a.label}: {a.seeds.length ? `median ${a.median ?? 'never'} steps (${seedWord(a.seeds.length)})` : 'not run yet'}
              {a.maxNwStd !== null && `, largest N·w std ${a.maxNwStd.toExponential(1)}`}
            </li>
          ))}
          <li>
            Matched normalization:{' '}
            {bundle.ablation.matched.seeds
              ? `median ${bundle.ablation.matched.median ?? 'never'} steps (${seedWord(bundle.ablation.matched.seeds)})`
              : 'not run yet'}
          </li>
        </ul>
        {stage >= 3 ? <AmplifierStdChart ablation={bundle.ablation} /> : slot}
      </section>
      <section className="paper-section" data-testid="paper-claims">
        <h3>The paper’s claims</h3>
        <ul className="claims">
          {bundle.claims.map((c) => (
            <li key={c.claim} className={`claim-${c.status.replace(' ', '-')}`}>
              <span className="claim-status">{c.status}</span> <strong>{c.claim}.</strong> {c.verdict}
            </li>
          ))}
        </ul>
      </section>
      <Conditions />
    </div>
  );
}
