/** The page layout: toolbar, notices, controls and the charts (or the compare view). */
import { Charts } from './charts/Charts';
import { CompareView } from './charts/CompareView';
import { ConfigPanel, hasVisibleControls } from './controls/ConfigPanel';
import { Intro } from './layout/Intro';
import { Lesson } from './lesson/Lesson';
import { InsidePanel } from './inside/InsidePanel';
import { NoticeBanner } from './layout/NoticeBanner';
import { ShortcutsOverlay, useKeyboardShortcuts } from './layout/Shortcuts';
import { Toolbar } from './layout/Toolbar';
import { useGrokStore } from './store';

export function App() {
  useKeyboardShortcuts();
  const presentation = useGrokStore((s) => s.presentation);
  const lesson = useGrokStore((s) => s.lesson !== null);
  const comparing = useGrokStore((s) => s.compare.entries !== null);
  // a classroom link may hide every control group: then no empty column is left
  const controls = useGrokStore((s) => !s.presentation && hasVisibleControls(s.hidden));
  const drawerOpen = useGrokStore((s) => s.drawerOpen);
  const setDrawerOpen = useGrokStore((s) => s.setDrawerOpen);
  return (
    <div className={`app${presentation ? ' presentation' : ''}`}>
      <Toolbar />
      <NoticeBanner />
      <Lesson />
      {!presentation && !lesson && <Intro />}
      <main className={`layout${controls ? '' : ' no-controls'}`}>
        {controls && (
          // a drawer on a phone (class.css), an ordinary column elsewhere
          <div className={`controls-drawer${drawerOpen ? ' open' : ''}`} data-testid="controls-drawer">
            <ConfigPanel />
          </div>
        )}
        {comparing ? (
          <CompareView />
        ) : (
          <div className="run-views">
            <Charts />
            <InsidePanel />
          </div>
        )}
      </main>
      {controls && (
        <button className="drawer-toggle" data-testid="drawer-toggle" aria-expanded={drawerOpen} onClick={() => setDrawerOpen(!drawerOpen)}>
          {drawerOpen ? '✕ Close settings' : '⚙ Settings'}
        </button>
      )}
      <ShortcutsOverlay />
    </div>
  );
}
