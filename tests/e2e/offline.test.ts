/**
 * Hosted anywhere, offline (issue 20): the built site served by a plain file server that sends
 * no COOP/COEP headers becomes cross-origin isolated through its service worker (one reload),
 * runs tfjs-wasm's threaded build (the paper model on every core), and after that first visit
 * reloads and trains with the network off.
 */
import { readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser } from './harness';

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
};

/** A plain static server over dist/: content types only, no isolation headers. */
function staticServer(root: string): Server {
  return createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url!, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(root, path);
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(readFileSync(file));
    } catch {
      res.writeHead(404).end();
    }
  });
}

/** Polls a page condition across the service worker's one reload. */
async function eventually(page: Page, fn: () => boolean, timeout = 60_000): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      if (await page.evaluate(fn)) return;
    } catch {
      /* the page is reloading */
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${fn.toString()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const env = {} as { server: Server; url: string; browser: Awaited<ReturnType<typeof launchBrowser>> };
beforeAll(async () => {
  if (!hasChromium) throw new Error('Chromium not found (see README)');
  env.server = staticServer('dist');
  await new Promise<void>((r) => env.server.listen(0, '127.0.0.1', r));
  const address = env.server.address();
  env.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  env.browser = await launchBrowser();
});
afterAll(async () => {
  await env.browser?.close();
  env.server?.close();
});

const stepOnce = async (page: Page, timeout: number) => {
  await page.getByTestId('step').click();
  await page.getByTestId('step-counter').filter({ hasText: /^1$/ }).waitFor({ timeout });
};

describe('a plain static host', () => {
  it('is cross-origin isolated through the service worker, runs threads, and reloads and trains offline', async () => {
    const r = await fetch(env.url);
    expect(r.headers.get('cross-origin-opener-policy')).toBeNull();
    expect(r.headers.get('cross-origin-embedder-policy')).toBeNull();
    const context = await env.browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(env.url);
    await eventually(page, () => window.crossOriginIsolated && navigator.serviceWorker.controller !== null);
    const badge = page.getByTestId('backend-badge');
    await badge.filter({ hasNotText: 'starting' }).waitFor({ timeout: 60_000 });
    await stepOnce(page, 60_000);
    // the paper model runs on every logical core (up to 8): the threaded build works here
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const threads = Math.max(1, Math.min(8, cores));
    await page.getByTestId('preset-select').selectOption('paper');
    await badge.filter({ hasText: `WASM · ${threads} thread${threads === 1 ? '' : 's'}` }).waitFor({ timeout: 90_000 });
    await stepOnce(page, 120_000);
    // offline: the page, its worker and the wasm binaries come from the cache
    await page.getByTestId('preset-select').selectOption('classroom');
    await context.setOffline(true);
    await page.reload();
    await badge.filter({ hasNotText: 'starting' }).waitFor({ timeout: 60_000 });
    expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
    expect(await badge.textContent()).toBe('WASM · 1 thread');
    await stepOnce(page, 60_000);
    expect(errors).toEqual([]);
    await context.close();
  });
});
