/** "Inside the model" for the main run: the store's latest snapshot and history into InsideView. */
import { useGrokStore } from '../store';
import { useRunStory } from '../charts/Charts';
import { InsideView } from './InsideView';

export function InsidePanel() {
  const snapshot = useGrokStore((s) => s.run.inside);
  const history = useGrokStore((s) => s.run.insideHistory);
  const tryIt = useGrokStore((s) => s.tryIt);
  const setInsideSlice = useGrokStore((s) => s.setInsideSlice);
  const story = useRunStory();
  return (
    <section className="inside-panel" aria-label="Inside the model">
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
