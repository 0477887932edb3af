/**
 * The embedding clock: the numbers 0…p−1 as labelled points on the cos/sin plane of the
 * strongest frequency, coloured around the colour wheel by number so the order shows.
 * All dots are one <path>; labels are one <text> each (p ≤ 257).
 */
import { memo } from 'react';
import type { EmbeddingClock as Clock } from '../../core/inside';

const S = 320;
const R = S / 2 - 22;

interface Props {
  clock: Clock;
  note?: string | null;
}

function EmbeddingClockInner({ clock, note }: Props) {
  const p = clock.x.length;
  let max = 1e-12;
  for (let i = 0; i < p; i++) max = Math.max(max, Math.hypot(clock.x[i]!, clock.y[i]!));
  const px = (i: number) => S / 2 + (clock.x[i]! / max) * R;
  const py = (i: number) => S / 2 - (clock.y[i]! / max) * R;
  const dot = 3;
  const fontSize = p > 61 ? 7 : 10;
  return (
    <div data-testid="embedding-clock" data-frequency={clock.frequency} data-spread={clock.radiusSpread.toFixed(4)}>
      <svg
        viewBox={`0 0 ${S} ${S}`}
        className="chart-svg inside-clock"
        role="img"
        aria-label={`Number embeddings on the plane of frequency ${clock.frequency}`}
      >
        <circle cx={S / 2} cy={S / 2} r={R} fill="none" stroke="#e3e6ee" />
        <line x1={S / 2 - R} x2={S / 2 + R} y1={S / 2} y2={S / 2} stroke="#eef" />
        <line y1={S / 2 - R} y2={S / 2 + R} x1={S / 2} x2={S / 2} stroke="#eef" />
        {Array.from({ length: p }, (_, i) => (
          <g key={i}>
            <circle cx={px(i)} cy={py(i)} r={dot} fill={`hsl(${(360 * i) / p} 70% 45%)`} />
            <text x={px(i) + dot + 1} y={py(i) + 3} fontSize={fontSize} fill="#333">
              {i}
            </text>
          </g>
        ))}
      </svg>
      <p className="note">
        Frequency k = {clock.frequency}; radius spread {(100 * clock.radiusSpread).toFixed(1)}% (0% = a perfect circle).
      </p>
      {note && <p className="note inside-caveat">{note}</p>}
    </div>
  );
}

export const EmbeddingClock = memo(EmbeddingClockInner);
