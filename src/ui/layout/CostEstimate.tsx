/**
 * Before Play: what a step of this config costs here, when it is expensive ("≈ 1.1 s per
 * step here: 5 688 steps ≈ 1 h 44 min"), from its work (core/step-cost.ts) and the speed this
 * backend was measured at in this session.
 */
import { useShallow } from 'zustand/react/shallow';
import { describeCost, estimateMsPerStep, EXPENSIVE_MS_PER_STEP } from '../../core/step-cost';
import { useGrokStore } from '../store';
import { smallerSuggestion, startSmaller } from './StartupStatus';

export function CostEstimate() {
  const s = useGrokStore(
    useShallow((st) => ({
      config: st.config,
      idle: !st.run.running && st.run.stepCount === 0 && st.compare.entries === null,
      backend: st.run.backend?.backend ?? null,
      speed: st.run.backend ? st.run.speed[st.run.backend.backend] : undefined,
    })),
  );
  if (!s.idle || !s.backend || !s.speed) return null;
  const ms = estimateMsPerStep(s.config, s.speed);
  if (ms < EXPENSIVE_MS_PER_STEP) return null;
  const smaller = smallerSuggestion(s.config, s.speed);
  return (
    <span
      className="cost-estimate"
      data-testid="cost-estimate"
      title="From the step's multiply-adds and the speed this backend was measured at"
    >
      <span data-testid="cost-text">{describeCost(ms, s.config.steps)}</span>
      {smaller && (
        <>
          {' '}
          <button data-testid="cost-smaller" onClick={() => startSmaller(smaller.changes)}>
            try p = {smaller.changes.p}, d = {smaller.changes.dModel}, {smaller.changes.layers} layer
            {smaller.changes.layers === 1 ? '' : 's'}
          </button>
        </>
      )}
    </span>
  );
}
