/**
 * Registers the service worker (src/sw.ts) in a production build: offline after the first visit,
 * and cross-origin isolated on a host that sends no COOP/COEP headers. The first load on such a
 * host is not isolated (no worker controls it yet); once the worker controls the page, it is
 * reloaded once (a session flag stops a loop where isolation cannot be had, e.g. a browser
 * without service workers in this context).
 */
import { Workbox } from 'workbox-window';

const RELOADED = 'groklab.isolationReload';

export function registerOfflineWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator) || !window.isSecureContext) return;
  const wb = new Workbox(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL });
  const reloadForIsolation = () => {
    if (window.crossOriginIsolated || sessionStorage.getItem(RELOADED)) return;
    sessionStorage.setItem(RELOADED, '1');
    window.location.reload();
  };
  wb.addEventListener('controlling', reloadForIsolation);
  if (navigator.serviceWorker.controller) reloadForIsolation();
  else if (window.crossOriginIsolated) sessionStorage.removeItem(RELOADED);
  void wb.register();
}
