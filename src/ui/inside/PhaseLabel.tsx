/** The run's phase as a badge (for the toolbar), with the grokking delay once known. */
import type { Phase } from '../../core/inside-phases';

/** Band colours for the accuracy chart's phase shading (light, to sit under the curves). */
export const PHASE_COLOURS: Record<Phase, string> = {
  memorizing: '#fdecc8',
  'circuit formation': '#e3f0d6',
  cleanup: '#d6e9f5',
  grokked: '#e8e0f3',
};

/** A run failing without NaN (loss far above chance, exploding weights) names no phase of grokking. */
export type ShownPhase = Phase | 'not learning';

export function PhaseLabel({ phase, delay }: { phase: ShownPhase | null; delay: number | null }) {
  const background = phase === 'not learning' ? '#f6d0d0' : phase ? PHASE_COLOURS[phase] : '#eee';
  return (
    <span className="inside-phase" data-testid="phase-label" data-phase={phase ?? ''} title="Phase of the run (rules in docs/inside.md)">
      <span className="inside-phase-name" style={{ background, color: '#222' }}>
        {phase ?? 'not started'}
      </span>
      {delay !== null && (
        <span className="inside-phase-delay" data-testid="grokking-delay">
          {' '}
          grokking delay {delay} steps
        </span>
      )}
    </span>
  );
}
