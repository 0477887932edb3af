/** The page layout: toolbar, notices, controls and the charts (or the compare view), or "The paper, checked". */
import { lazy, startTransition, Suspense, useEffect, useState } from 'react';
import { Charts } from './charts/Charts';
import { CompareView } from './charts/CompareView';
import { ConfigPanel, hasVisibleControls } from './controls/ConfigPanel';
import { Intro } from './layout/Intro';
import { Lesson } from './lesson/Lesson';
import { InsidePanel } from './inside/InsidePanel';
import { NoticeBanner } from './layout/NoticeBanner';
import { ShortcutsOverlay, useKeyboardShortcuts } from './layout/Shortcuts';
import { StartupStatus } from './layout/StartupStatus';
import { Toolbar } from './layout/Toolbar';
import { useGrokStore } from './store';

/** Its own chunk (the view and the bundled race results): loaded when the view opens. */
const PaperView = lazy(() => import('./paper/PaperView'));

/**
 * The page on screen, following the store's `page` in a transition: the switch (unmounting one
 * page, rendering the other) is time-sliced instead of one long main-thread task. The store's
 * own updates cannot be transitions (useSyncExternalStore renders them at once).
 */
function useShownPage(): 'playground' | 'paper' {
  const [shown, setShown] = useState(() => useGrokStore.getState().page);
  useEffect(
    () =>
      useGrokStore.subscribe((s, prev) => {
        if (s.page !== prev.page) startTransition(() => setShown(s.page));
      }),
    [],
  );
  return shown;
}

export function App() {
  useKeyboardShortcuts();
  const presentation = useGrokStore((s) => s.presentation);
  const lesson = useGrokStore((s) => s.lesson !== null);
  const comparing = useGrokStore((s) => s.compare.entries !== null);
  // a classroom link may hide every control group: then no empty column is left
  const controls = useGrokStore((s) => !s.presentation && hasVisibleControls(s.hidden));
  const drawerOpen = useGrokStore((s) => s.drawerOpen);
  const paper = useShownPage() === 'paper';
  if (paper)
    return (
      <div className="app">
        <Toolbar />
        <NoticeBanner />
        <Suspense fallback={<p className="note paper-loading">Loading the paper’s table…</p>}>
          <PaperView />
        </Suspense>
      </div>
    );
  return (
    <div className={`app${presentation ? ' presentation' : ''}`}>
      <Toolbar />
      <StartupStatus />
      <NoticeBanner />
      <Lesson />
      {!presentation && !lesson && <Intro />}
      <main className={`layout${controls ? '' : ' no-controls'}`}>
        {controls && (
          // a drawer on a phone (class.css; its toggle is in the toolbar, so it never covers a field), an ordinary column elsewhere
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
      <ShortcutsOverlay />
    </div>
  );
}
