/**
 * End-to-end harness: the page driver of tools/browser.ts (a production build served by
 * `vite preview`, Debian's Chromium through playwright-core), and one server and browser per
 * test file.
 */
import { afterAll, beforeAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
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

/**
 * How many pixels of each colour a live chart's canvas holds (the live charts draw on canvas,
 * issue 32): a line, a dot or a dashed line that is drawn leaves pixels of its colour.
 */
export async function chartPixels(page: Page, testId: string, colours: string[]): Promise<number[]> {
  return page.$eval(
    `[data-testid="${testId}"] canvas`,
    (el, hexes) => {
      const canvas = el as HTMLCanvasElement;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      const rgb = hexes.map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
      const counts = hexes.map(() => 0);
      for (let p = 0; p < data.length; p += 4)
        rgb.forEach(([r, g, b], k) => {
          // anti-aliased edges blend into the background: count the line's own colour only
          if (Math.abs(data[p]! - r!) + Math.abs(data[p + 1]! - g!) + Math.abs(data[p + 2]! - b!) < 24 && data[p + 3]! > 200) counts[k]!++;
        });
      return counts;
    },
    colours,
  );
}
