/** The page layout: toolbar, notices, controls and the charts (or the compare view). */
import { Charts } from './charts/Charts';
import { CompareView } from './charts/CompareView';
import { ConfigPanel } from './controls/ConfigPanel';
import { InsidePanel } from './inside/InsidePanel';
import { NoticeBanner } from './layout/NoticeBanner';
import { ShortcutsOverlay, useKeyboardShortcuts } from './layout/Shortcuts';
import { Toolbar } from './layout/Toolbar';
import { useGrokStore } from './store';

export function App() {
  useKeyboardShortcuts();
  const presentation = useGrokStore((s) => s.presentation);
  const comparing = useGrokStore((s) => s.compare.entries !== null);
  return (
    <div className={`app${presentation ? ' presentation' : ''}`}>
      <Toolbar />
      <NoticeBanner />
      <main className="layout">
        {!presentation && <ConfigPanel />}
        {comparing ? (
          <CompareView />
        ) : (
          <div className="run-views">
            <Charts />
            <InsidePanel />
          </div>
        )}
      </main>
      <ShortcutsOverlay />
    </div>
  );
}
