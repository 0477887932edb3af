/**
 * "Inside the model": the answer table, the Fourier spectrum, the embedding clock, the
 * attention from `=`, Try it, the phase, and the sparsity and progress-measure curves, each in
 * a card with its help text. Presentational: it takes a snapshot, the recorded series and
 * callbacks; the store and the worker protocol supply them.
 */
import { memo, useEffect, useState } from 'react';
import type { InsideHistory, InsideSnapshot, TableSliceSpec, TryItQuery, TryItResult } from '../../core/inside';
import type { RunPhase } from '../../core/inside-phases';
import type { TaskId } from '../../core/tasks';
import { MetricChart } from '../charts/MetricChart';
import { AnswerTable, type AnswerColouring } from './AnswerTable';
import { AttentionMap } from './AttentionMap';
import { EmbeddingClock } from './EmbeddingClock';
import { FourierSpectrum } from './FourierSpectrum';
import { INSIDE_HELP, fourierNote } from './help';
import { Panel } from './Panel';
import { PhaseLabel } from './PhaseLabel';
import { SliceControls, hasSlices } from './SliceControls';
import { TryIt } from './TryIt';
import './inside.css';

export type { InsideHistory } from '../../core/inside';

export interface InsideViewProps {
  /** The latest snapshot (null before the first evaluation). */
  snapshot: InsideSnapshot | null;
  history: InsideHistory;
  phase: RunPhase | null;
  delay: number | null;
  onTry: (query: TryItQuery) => Promise<TryItResult>;
  /** The answer table's slice changed (poly5, mix): the next snapshot should use it. */
  onSliceChange?: (slice: TableSliceSpec) => void;
}

/**
 * Mounts a large view in `stages` commits, one task each, once `active`: the first snapshot's
 * views (tables, clock, curves) then never block the page in one long task.
 */
function useStagedMount(active: boolean, stages: number): number {
  // Without a window (static rendering) there is no page to keep responsive: mount at once.
  const immediate = typeof window === 'undefined';
  const [stage, setStage] = useState(immediate ? stages : 0);
  if (!active && stage !== 0 && !immediate) setStage(0); // adjusted during render: a reset stages the next mount again
  useEffect(() => {
    if (!active || stage >= stages) return;
    const id = setTimeout(() => setStage((s) => s + 1), 0);
    return () => clearTimeout(id);
  }, [active, stage, stages]);
  return active ? stage : 0;
}

function InsideViewInner({ snapshot, history, phase, delay, onTry, onSliceChange }: InsideViewProps) {
  const [colouring, setColouring] = useState<AnswerColouring>('correct');
  const [picked, setPicked] = useState<TryItQuery | undefined>(undefined);
  const stage = useStagedMount(snapshot !== null, 4);
  if (!snapshot) {
    return (
      <div className="inside" data-testid="inside-view">
        <PhaseLabel phase={phase} delay={delay} />
        <p className="note">The views appear at the first evaluation step.</p>
      </div>
    );
  }
  const task = snapshot.task as TaskId;
  const note = fourierNote(task);
  const version = history.step.length;
  const hasProgress = history.restrictedLoss.some((v) => Number.isFinite(v));
  return (
    <div className="inside" data-testid="inside-view" data-step={snapshot.step}>
      <div className="inside-head">
        <PhaseLabel phase={phase} delay={delay} />
        <span className="note">
          step {snapshot.step} · computed in {snapshot.millis.toFixed(0)} ms
        </span>
      </div>
      {stage >= 1 && (
        <Panel
          title="Answer table"
          help={INSIDE_HELP.answerTable}
          extra={
            <select
              className="inside-colouring"
              value={colouring}
              onChange={(e) => setColouring(e.target.value as AnswerColouring)}
              aria-label="Colour cells by"
              data-testid="answer-colouring"
            >
              <option value="correct">right / wrong</option>
              <option value="probability">p(right answer)</option>
            </select>
          }
        >
          {hasSlices(task) && onSliceChange && <SliceControls task={task} p={snapshot.p} slice={snapshot.table} onChange={onSliceChange} />}
          <AnswerTable table={snapshot.table} colouring={colouring} onPick={(operands, variant) => setPicked({ operands, variant })} />
        </Panel>
      )}
      {stage >= 2 && (
        <>
          <Panel title="Try it" help={INSIDE_HELP.tryIt}>
            <TryIt task={task} p={snapshot.p} onTry={onTry} initial={picked} />
          </Panel>
          <Panel title="Fourier spectrum of the number embeddings" help={INSIDE_HELP.fourierSpectrum}>
            <FourierSpectrum spectrum={snapshot.spectrum} note={note} />
          </Panel>
        </>
      )}
      {stage >= 3 && (
        <>
          <Panel title="Embedding clock" help={INSIDE_HELP.embeddingClock}>
            <EmbeddingClock clock={snapshot.clock} note={note} />
          </Panel>
          <Panel title="Attention at =" help={INSIDE_HELP.attentionMap}>
            <AttentionMap attention={snapshot.attention} />
          </Panel>
        </>
      )}
      {stage >= 4 && (
        <>
          <MetricChart
            title="Fourier sparsity"
            help={INSIDE_HELP.sparsity + (note ? ` ${note}` : '')}
            testId="chart-sparsity"
            yDomain={[0, 1]}
            xLog={false}
            version={version}
            lines={[{ label: 'energy share of the top 5 frequencies', color: '#e6550d', x: history.step, y: history.sparsity }]}
          />
          {hasProgress ? (
            <MetricChart
              title="Progress measures"
              help={INSIDE_HELP.progress}
              testId="chart-progress"
              yLog
              xLog={false}

              version={version}
              lines={[
                { label: 'restricted loss', color: '#2ca02c', x: history.step, y: history.restrictedLoss },
                { label: 'excluded loss', color: '#d62728', x: history.step, y: history.excludedLoss },
                { label: 'training loss', color: '#1f77b4', x: history.step, y: history.loss },
              ]}
            />
          ) : (
            <section className="chart" data-testid="chart-progress">
              <h2>Progress measures</h2>
              <p className="note">Computed for add and sub only: they test for the Fourier addition circuit. {note}</p>
            </section>
          )}
        </>
      )}
    </div>
  );
}

export const InsideView = memo(InsideViewInner);
