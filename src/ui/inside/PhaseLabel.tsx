/** The run's phase as a badge (for the toolbar), with the grokking delay once known. */
import type { Phase } from '../../core/inside-phases';

/** Band colours for the accuracy chart's phase shading (light, to sit under the curves). */
export const PHASE_COLOURS: Record<Phase, string> = {
  memorizing: '#fdecc8',
  'circuit formation': '#e3f0d6',
  cleanup: '#d6e9f5',
  grokked: '#e8e0f3',
};

export function PhaseLabel({ phase, delay }: { phase: Phase | null; delay: number | null }) {
  return (
    <span className="inside-phase" data-testid="phase-label" data-phase={phase ?? ''} title="Phase of the run (rules in docs/inside.md)">
      <span className="inside-phase-name" style={{ background: phase ? PHASE_COLOURS[phase] : '#eee', color: '#222' }}>
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
