/**
 * End-to-end harness: serves the production build with `vite preview` and drives Debian's
 * Chromium with playwright-core (headless, WebGPU enabled by its one flag).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

export async function startPreview(port: number): Promise<{ url: string; stop: () => void }> {
  const child: ChildProcess = spawn('node_modules/.bin/vite', ['preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error('vite preview did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, stop: () => child.kill() };
}

/**
 * Chromium with WebGPU; every page it opens asks the app to expose its store
 * (`window.__groklab`), which the production build does only on request.
 */
export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--enable-unsafe-webgpu'] });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    await context.addInitScript(() => {
      (window as unknown as { __GROKLAB_EXPOSE__: boolean }).__GROKLAB_EXPOSE__ = true;
    });
    return context;
  };
  browser.newPage = async (options) => (await browser.newContext(options)).newPage();
  return browser;
}

/** Records every main-thread long task of the page's documents in `window.__longTasks` (ms). */
export async function watchLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__longTasks.push(e.duration))).observe({
      type: 'longtask',
      buffered: true,
    });
  });
}

/**
 * Records the latency of every interaction (click, key) in `window.__interactions` with the
 * Event Timing API: from the input to the next paint after its handlers (INP's measure, ms,
 * rounded by the browser to 8 ms), and every long task over 50 ms in `window.__longTasks`.
 */
export async function watchInteractions(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __interactions: { name: string; duration: number; start: number }[]; __longTasks: number[] };
    w.__interactions = [];
    w.__longTasks ??= [];
    new PerformanceObserver((list) =>
      list
        .getEntries()
        .forEach(
          (e) =>
            (e as PerformanceEventTiming).interactionId &&
            w.__interactions.push({ name: e.name, duration: e.duration, start: e.startTime }),
        ),
    ).observe({ type: 'event', durationThreshold: 16, buffered: true } as PerformanceObserverInit);
    new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__longTasks.push(e.duration))).observe({
      type: 'longtask',
      buffered: true,
    });
  });
}

/** Opens the app and collects console errors and page errors. */
export async function openApp(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.getByTestId('backend-badge').filter({ hasNotText: 'starting' }).waitFor({ timeout: 60_000 });
  return { page, errors };
}

export async function stepCount(page: Page): Promise<number> {
  return Number(await page.getByTestId('step-counter').textContent());
}

/**
 * Pauses the main run through the store and waits until the toolbar offers Play. Unlike a click
 * on Pause it cannot race a run that stops by itself (pause when grokked, the end of its steps).
 */
export async function pause(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { __groklab: { getState(): { pause(): void } } }).__groklab.getState().pause());
  await page.getByTestId('play').waitFor();
}

/** Reads the zustand store the page exposes for tests. */
export async function storeState<T>(page: Page, pick: string): Promise<T> {
  return page.evaluate((expr) => {
    const s = (window as unknown as { __groklab: { getState(): Record<string, unknown> } }).__groklab.getState();
    return new Function('s', `return ${expr}`)(s);
  }, pick) as Promise<T>;
}

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
