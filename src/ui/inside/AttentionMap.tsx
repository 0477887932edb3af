/** Attention from `=`: one row per (layer, head), one column per position, shaded by weight. */
import { memo } from 'react';
import type { AttentionAtEquals } from '../../core/inside';

const CELL_W = 54;
const CELL_H = 24;
const LEFT = 56;
const TOP = 20;

function AttentionMapInner({ attention: a }: { attention: AttentionAtEquals }) {
  if (a.layers === 0)
    return (
      <p className="note" data-testid="attention-map">
        Not available for the MLP: it has no attention (its inputs are the row’s tokens, one-hot).
      </p>
    );
  const rows = a.layers * a.heads;
  const W = LEFT + a.positions * CELL_W + 4;
  const H = TOP + rows * CELL_H + 4;
  return (
    <div data-testid="attention-map" data-rows={a.rows}>
      <svg viewBox={`0 0 ${W} ${H}`} className="chart-svg inside-attention" role="img" aria-label="Attention from the = position">
        {a.labels.map((label, j) => (
          <text key={j} x={LEFT + (j + 0.5) * CELL_W} y={TOP - 6} fontSize="12" textAnchor="middle">
            {label}
          </text>
        ))}
        {Array.from({ length: rows }, (_, r) => {
          const layer = Math.floor(r / a.heads);
          const head = r % a.heads;
          return (
            <g key={r}>
              <text x={LEFT - 6} y={TOP + (r + 0.65) * CELL_H} fontSize="11" textAnchor="end">
                {a.layers > 1 ? `L${layer + 1} ` : ''}H{head + 1}
              </text>
              {Array.from({ length: a.positions }, (_, j) => {
                const w = a.weights[r * a.positions + j]!;
                return (
                  <g key={j}>
                    <rect
                      x={LEFT + j * CELL_W}
                      y={TOP + r * CELL_H}
                      width={CELL_W - 2}
                      height={CELL_H - 2}
                      fill={`rgba(31, 95, 159, ${Math.min(1, Math.max(0, w)).toFixed(3)})`}
                      stroke="#dde"
                    />
                    <text
                      x={LEFT + (j + 0.5) * CELL_W}
                      y={TOP + (r + 0.65) * CELL_H}
                      fontSize="10"
                      textAnchor="middle"
                      fill={w > 0.55 ? '#fff' : '#222'}
                    >
                      {w.toFixed(2)}
                    </text>
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
      <p className="note">Averaged over {a.rows} validation rows; each row sums to 1.</p>
    </div>
  );
}

export const AttentionMap = memo(AttentionMapInner);
