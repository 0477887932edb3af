/**
 * The answer table: one cell per question of a 2-D slice, coloured by the model's answer
 * (green = right, red = wrong; or shaded from red to green by the probability of the right
 * answer) and by the split (pale = training, saturated = validation). Cheap to draw for p = 97 (9 312 cells): the cells become one <path> per colour,
 * each horizontal run of equal colour one rectangle, in cell units under one transform.
 */
import { memo, useMemo, useRef, useState } from 'react';
import { OPERAND_NAMES, SPLIT_NAMES, type AnswerTable as AnswerTableData } from '../../core/inside';

export type AnswerColouring = 'correct' | 'probability';

/**
 * [wrong, right] per split: train, val, outer. Green is right and red is wrong, as a class reads
 * them; the split is the second cue: training rows pale, validation rows saturated (the rows the
 * model never saw are the ones that matter), the outer split in between.
 */
const SPLIT_COLOURS: readonly [string, string][] = [
  ['#f3c4bf', '#b9dfb1'],
  ['#c62828', '#1b7a2e'],
  ['#e0766c', '#62ad5c'],
];
const PROBABILITY_BINS = 5;

function mix(a: string, b: string, t: number): string {
  const pa = [1, 3, 5].map((i) => parseInt(a.slice(i, i + 2), 16));
  const pb = [1, 3, 5].map((i) => parseInt(b.slice(i, i + 2), 16));
  return `#${pa
    .map((v, i) =>
      Math.round(v + (pb[i]! - v) * t)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

/** Colour class of every cell (index into the palette) and the palette. */
function cellClasses(t: AnswerTableData, colouring: AnswerColouring): { classes: Uint8Array; palette: string[] } {
  const n = t.rows * t.cols;
  const classes = new Uint8Array(n);
  const levels: number = colouring === 'correct' ? 2 : PROBABILITY_BINS;
  const palette: string[] = [];
  for (const [wrong, right] of SPLIT_COLOURS) for (let l = 0; l < levels; l++) palette.push(mix(wrong, right, l / (levels - 1)));
  for (let i = 0; i < n; i++) {
    const level =
      colouring === 'correct' ? t.correct[i]! : Math.min(PROBABILITY_BINS - 1, Math.floor(t.probCorrect[i]! * PROBABILITY_BINS));
    classes[i] = t.split[i]! * levels + level;
  }
  return { classes, palette };
}

/** One path per colour, in cell units: each run of equal colour in a row is one rectangle. */
export function answerTablePaths(t: AnswerTableData, colouring: AnswerColouring): { colour: string; d: string }[] {
  const { classes, palette } = cellClasses(t, colouring);
  const parts: string[][] = palette.map(() => []);
  for (let i = 0; i < t.rows; i++) {
    let j = 0;
    while (j < t.cols) {
      const c = classes[i * t.cols + j]!;
      let end = j + 1;
      while (end < t.cols && classes[i * t.cols + end] === c) end++;
      parts[c]!.push(`M${j} ${i}h${end - j}v1h${j - end}z`);
      j = end;
    }
  }
  return palette.map((colour, c) => ({ colour, d: parts[c]!.join('') })).filter((p) => p.d.length > 0);
}

/** Accuracy over the cells of one split (NaN when the slice has none). */
export function sliceAccuracy(t: AnswerTableData, splitTag: number): number {
  let right = 0;
  let n = 0;
  for (let i = 0; i < t.split.length; i++) {
    if (t.split[i] !== splitTag) continue;
    n++;
    right += t.correct[i]!;
  }
  return n > 0 ? right / n : NaN;
}

const SIZE = 420;
const MARGIN = 28;

interface Props {
  table: AnswerTableData;
  colouring?: AnswerColouring;
  /** Clicking a cell passes its operands (e.g. to Try it). */
  onPick?: (operands: number[], variant: number) => void;
}

function AnswerTableInner({ table: t, colouring = 'correct', onPick }: Props) {
  const [hover, setHover] = useState<number | null>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const paths = useMemo(() => answerTablePaths(t, colouring), [t, colouring]);
  const cell = (SIZE - MARGIN) / Math.max(t.rows, t.cols);
  const rowName = OPERAND_NAMES[t.rowOperand]!;
  const colName = OPERAND_NAMES[t.colOperand]!;
  const tickStep = Math.max(1, Math.ceil(Math.max(t.rows, t.cols) / 8 / 5) * 5);
  const ticks = (n: number, start: number) => Array.from({ length: n }, (_, i) => i).filter((i) => (start + i) % tickStep === 0);
  const cellAt = (e: React.MouseEvent<SVGSVGElement>): number | null => {
    const r = svgRef.current?.getBoundingClientRect();
    if (!r) return null;
    const x = ((e.clientX - r.left) / r.width) * SIZE - MARGIN;
    const y = ((e.clientY - r.top) / r.height) * SIZE - MARGIN;
    const j = Math.floor(x / cell);
    const i = Math.floor(y / cell);
    return i >= 0 && j >= 0 && i < t.rows && j < t.cols ? i * t.cols + j : null;
  };
  const operandsOf = (index: number) => {
    const x = t.fixed.slice();
    x[t.rowOperand] = t.rowStart + Math.floor(index / t.cols);
    x[t.colOperand] = t.colStart + (index % t.cols);
    return x;
  };
  const accuracies = SPLIT_NAMES.map((name, tag) => [name, sliceAccuracy(t, tag)] as const).filter(([, a]) => !Number.isNaN(a));
  return (
    <div data-testid="answer-table" data-rows={t.rows} data-cols={t.cols}>
      <svg
        ref={svgRef}
        viewBox={`0 0 ${SIZE} ${SIZE}`}
        className="chart-svg inside-table"
        role="img"
        aria-label={`Answer table, ${rowName} down, ${colName} across`}
        onMouseMove={(e) => setHover(cellAt(e))}
        onMouseLeave={() => setHover(null)}
        onClick={(e) => {
          const i = cellAt(e);
          if (i !== null) onPick?.(operandsOf(i), t.variant);
        }}
      >
        <g transform={`translate(${MARGIN} ${MARGIN}) scale(${cell})`} shapeRendering="crispEdges">
          {paths.map((p) => (
            <path key={p.colour} d={p.d} fill={p.colour} />
          ))}
          {hover !== null && (
            <rect x={hover % t.cols} y={Math.floor(hover / t.cols)} width={1} height={1} fill="none" stroke="#000" strokeWidth={2 / cell} />
          )}
        </g>
        {/* both axis names in the top-left corner, clear of the row and column numbers */}
        <text x={MARGIN + 2} y={11} fontSize="11">
          {colName} →
        </text>
        <text x={2} y={11} fontSize="11">
          {rowName} ↓
        </text>
        {ticks(t.cols, t.colStart).map((j) => (
          <text key={`c${j}`} x={MARGIN + (j + 0.5) * cell} y={MARGIN - 4} fontSize="9" textAnchor="middle">
            {t.colStart + j}
          </text>
        ))}
        {ticks(t.rows, t.rowStart).map((i) => (
          <text key={`r${i}`} x={MARGIN - 3} y={MARGIN + (i + 0.5) * cell + 3} fontSize="9" textAnchor="end">
            {t.rowStart + i}
          </text>
        ))}
      </svg>
      <p className="note inside-readout" data-testid="answer-table-readout">
        {hover !== null
          ? (() => {
              const x = operandsOf(hover);
              const p = t.probCorrect[hover]!;
              return `${rowName} = ${x[t.rowOperand]}, ${colName} = ${x[t.colOperand]}: the model says ${t.predicted[hover]} (${t.correct[hover] ? 'right' : 'wrong'}; p(right answer) = ${p.toFixed(3)}), a ${SPLIT_NAMES[t.split[hover]!]} row`;
            })()
          : accuracies.map(([name, a]) => `${name} ${(100 * a).toFixed(1)}%`).join(' · ')}
      </p>
      <div className="legend">
        {SPLIT_NAMES.map((name, tag) => (
          <span key={name}>
            <span className="swatch" style={{ background: SPLIT_COLOURS[tag]![1] }} />
            <span className="swatch" style={{ background: SPLIT_COLOURS[tag]![0] }} /> {name}{' '}
            {colouring === 'correct' ? 'right / wrong' : 'p(right) high → low'}
          </span>
        ))}
        <span className="note">green = right, red = wrong; pale = training row, saturated = validation row</span>
      </div>
    </div>
  );
}

export const AnswerTable = memo(AnswerTableInner);
