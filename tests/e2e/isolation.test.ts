/**
 * Threads in the browser: the server sends COOP/COEP, the page is cross-origin isolated,
 * tfjs-wasm runs its threaded build, and auto mode picked the backend by timing the actual
 * config (WASM must win on this GPU-less machine; the timings are in the badge's tooltip).
 */
import { describe, expect, it } from 'vitest';
import { openApp, browserAndServer } from './harness';

const env = browserAndServer(4700);

describe('cross-origin isolation and the measured backend choice', () => {
  it('serves COOP/COEP, runs WASM with threads, and shows the timings in the badge tooltip', async () => {
    const r = await fetch(env.server.url);
    expect(r.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(r.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    const { page, errors } = await openApp(env.browser, env.server.url);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const badge = page.getByTestId('backend-badge');
    const text = (await badge.textContent())!;
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    expect(text).toMatch(/^WASM · \d+ threads?$/);
    // the classroom model is small: one thread (2 threads made its step 2× slower here)
    expect(text).toBe('WASM · 1 thread');
    const tooltip = (await badge.getAttribute('title'))!;
    expect(tooltip).toMatch(/^wasm: [\d.]+ ms\/step ← fastest, chosen$/m);
    // the step still trains under COEP
    await page.getByTestId('step').click();
    await page.getByTestId('step-counter').filter({ hasText: /^1$/ }).waitFor({ timeout: 30_000 });
    console.log(`badge "${text}", tooltip:\n${tooltip}`);
    // the paper model runs on every logical core (up to 8): a new worker with that many threads
    await page.getByTestId('preset-select').selectOption('paper');
    const threads = Math.max(1, Math.min(8, cores));
    await badge.filter({ hasText: `WASM · ${threads} thread${threads === 1 ? '' : 's'}` }).waitFor({ timeout: 60_000 });
    await page.getByTestId('step').click();
    await page.getByTestId('step-counter').filter({ hasText: /^1$/ }).waitFor({ timeout: 60_000 });
    expect(errors).toEqual([]);
    await page.close();
  });
});
