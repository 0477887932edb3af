/** "Inside the model" for the main run: the store's latest snapshot and history into InsideView. */
import { useDeferredValue } from 'react';
import { useGrokStore } from '../store';
import { useRunStory } from '../charts/Charts';
import { InsideView } from './InsideView';

export function InsidePanel() {
  // Deferred: React renders a new snapshot as a transition, in slices that yield to input and
  // to the live charts, so drawing the views never blocks the page for long.
  const snapshot = useDeferredValue(useGrokStore((s) => s.run.inside));
  const history = useDeferredValue(useGrokStore((s) => s.run.insideHistory));
  const tryIt = useGrokStore((s) => s.tryIt);
  const setInsideSlice = useGrokStore((s) => s.setInsideSlice);
  const story = useRunStory();
  return (
    <section className="inside-section" aria-label="Inside the model">
      <h2 className="inside-title">Inside the model</h2>
      <InsideView
        snapshot={snapshot}
        history={history}
        phase={story.phase}
        delay={story.delay}
        onTry={tryIt}
        onSliceChange={setInsideSlice}
      />
    </section>
  );
}
