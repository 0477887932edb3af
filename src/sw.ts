/**
 * The service worker (built by vite-plugin-pwa's injectManifest): it precaches the whole build
 * (page, worker, the three tfjs wasm binaries), so after a first visit the playground loads and
 * trains offline, and a new build replaces the cache; and it adds Cross-Origin-Opener-Policy /
 * Cross-Origin-Embedder-Policy to every response it serves, so a plain static host (GitHub
 * Pages, a school server) gives a cross-origin isolated page: SharedArrayBuffer, hence
 * tfjs-wasm's threads (the approach of coi-serviceworker). src/ui/offline.ts registers it and
 * reloads once when the first load was not yet isolated.
 */
import { clientsClaim } from 'workbox-core';
import { addPlugins, cleanupOutdatedCaches, precacheAndRoute } from 'workbox-precaching';
import { setDefaultHandler } from 'workbox-routing';
import { NetworkOnly } from 'workbox-strategies';

// the worker's global scope, as far as it is used here (the DOM lib is this project's lib)
declare const self: { __WB_MANIFEST: { url: string; revision: string | null }[]; skipWaiting(): Promise<void> };

/** The same response with the isolation headers (an opaque response cannot be copied, nor needs to be). */
function isolated(response: Response): Response {
  if (response.status === 0 || response.type === 'opaque' || response.type === 'opaqueredirect') return response;
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

const isolation = { handlerWillRespond: async ({ response }: { response: Response }) => isolated(response) };

void self.skipWaiting();
clientsClaim();
cleanupOutdatedCaches();
addPlugins([isolation]);
// a share link's query (?v=1&lr=…, ?lesson=grokking) is the same page: every parameter is ignored
precacheAndRoute(self.__WB_MANIFEST, { ignoreURLParametersMatching: [/.*/] });
// anything not precached (none in this build) still gets the headers from the network
setDefaultHandler(new NetworkOnly({ plugins: [isolation] }));
