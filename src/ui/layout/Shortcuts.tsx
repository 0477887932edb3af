/** Keyboard shortcuts for presenting, and the overlay that lists them. */
import { useEffect } from 'react';
import { compareStatus } from '../state/compare-slice';
import { useGrokStore } from '../store';

export const SHORTCUTS: [string, string][] = [
  ['Space', 'play / pause'],
  ['s', 'one step'],
  ['r', 'reset'],
  ['f', 'fullscreen'],
  ['p', 'presentation mode (large fonts, controls hidden)'],
  ['?', 'this help'],
];

export function useKeyboardShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)) return;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const s = useGrokStore.getState();
      switch (e.key) {
        case ' ':
          e.preventDefault();
          if (s.compare.entries ? compareStatus(s.compare) === 'running' : s.run.running) s.pause();
          else s.play();
          break;
        case 's':
          if (!s.run.running && !s.compare.entries) s.step(1);
          break;
        case 'r':
          if (s.compare.entries) s.restartCompare();
          else s.reset();
          break;
        case 'f':
          if (document.fullscreenElement) void document.exitFullscreen();
          else void document.documentElement.requestFullscreen?.().catch(() => s.pushError('This browser refused fullscreen.'));
          break;
        case 'p':
          s.setView({ presentation: !s.presentation });
          break;
        case '?':
          s.setView({ showShortcuts: !s.showShortcuts });
          break;
        case 'Escape':
          s.setView({ showShortcuts: false });
          break;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

export function ShortcutsOverlay() {
  const show = useGrokStore((s) => s.showShortcuts);
  const setView = useGrokStore((s) => s.setView);
  if (!show) return null;
  return (
    <div
      className="overlay"
      data-testid="shortcuts-overlay"
      role="dialog"
      aria-label="Keyboard shortcuts"
      onClick={() => setView({ showShortcuts: false })}
    >
      <div className="overlay-card">
        <h2>Keyboard shortcuts</h2>
        <table>
          <tbody>
            {SHORTCUTS.map(([k, what]) => (
              <tr key={k}>
                <td>
                  <kbd>{k}</kbd>
                </td>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>Click anywhere or press Esc to close.</p>
      </div>
    </div>
  );
}
