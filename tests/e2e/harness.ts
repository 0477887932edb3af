/**
 * End-to-end harness: the page driver of tools/browser.ts (a production build served by
 * `vite preview`, Debian's Chromium through playwright-core), and one server and browser per
 * test file.
 */
import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { CHROMIUM, hasChromium, launchBrowser, startPreview } from '../../tools/browser';

export {
  CHROMIUM,
  hasChromium,
  launchBrowser,
  openApp,
  pause,
  startPreview,
  stepCount,
  storeState,
  watchInteractions,
  watchLongTasks,
} from '../../tools/browser';

/**
 * One preview server and one browser for a test file, started before its tests and closed
 * after them. Read `env.browser` / `env.server` inside tests.
 */
export function browserAndServer(portBase: number): { browser: Browser; server: { url: string; stop: () => void } } {
  const env = {} as { browser: Browser; server: { url: string; stop: () => void } };
  beforeAll(async () => {
    if (!hasChromium) throw new Error(`Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (see README)`);
    env.server = await startPreview(portBase + Math.floor(Math.random() * 100));
    env.browser = await launchBrowser();
  });
  afterAll(async () => {
    await env.browser?.close();
    env.server?.stop();
  });
  return env;
}
