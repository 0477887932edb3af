/** One-line progress text for the CLI. */
import type { RunProgress } from '../engine/runner';

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m${Math.round(seconds - 60 * m)}s`;
  return `${Math.floor(m / 60)}h${m % 60}m`;
}

export function formatProgress(p: RunProgress): string {
  const f = (x: number | undefined, d = 3) => (x === undefined ? '  -  ' : x.toFixed(d));
  const e = p.lastEval;
  const eta = (p.totalSteps - p.step) / Math.max(p.stepsPerSecond, 1e-9);
  return [
    `step ${String(p.step).padStart(7)}/${p.totalSteps}`,
    `train loss ${f(p.last.trainLoss)} acc ${f(p.last.trainAcc)}`,
    `val loss ${f(e?.valLoss)} acc ${f(e?.valAcc)}`,
    `${p.stepsPerSecond.toFixed(1)} steps/s`,
    `ETA ${formatDuration(eta)}`,
    p.stepsTo95 !== null ? `grokked@${p.stepsTo95}` : '',
  ].join(' | ');
}
