/**
 * Sharing, presenting and comparing in a real browser: share links, bad links, hidden
 * controls, keyboard shortcuts, compare mode, run files.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CLASSROOM_DEMO_LR } from '../../src/config/presets';
import { openApp, storeState, browserAndServer, chartPixels } from './harness';

const env = browserAndServer(4800);

async function stepTimes(page: Page, n: number): Promise<void> {
  for (let i = 1; i <= n; i++) {
    await page.getByTestId('step').click();
    await page.waitForFunction((k) => Number(document.querySelector('[data-testid="step-counter"]')?.textContent) >= k, i, {
      timeout: 60_000,
    });
  }
}

const trainLosses = (page: Page) => storeState<number[]>(page, 'Array.from(s.run.series.train.trainLoss)');

describe('share links', () => {
  it('restore the config in a fresh browser context and reproduce the first metrics exactly', async () => {
    const link = `${env.server.url}?v=1&task=sub&p=13&seed=3&lr=0.005&be=wasm`;
    const runOnce = async () => {
      const context = await env.browser.newContext();
      const page = await context.newPage();
      await page.goto(link);
      await page.getByTestId('backend-badge').filter({ hasText: /^wasm/i }).waitFor({ timeout: 60_000 });
      expect(await page.getByTestId('task-select').inputValue()).toBe('sub');
      expect(await page.getByTestId('field-lr').inputValue()).toBe('0.005');
      await stepTimes(page, 3);
      const losses = await trainLosses(page);
      expect(page.url()).toContain('task=sub'); // the address bar is the share link
      await context.close();
      return losses;
    };
    const a = await runOnce();
    const b = await runOnce();
    expect(a).toHaveLength(3);
    expect(b).toEqual(a);
  });

  it('a bad link keeps its good fields and names each bad one in a dismissible message', async () => {
    const page = await env.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${env.server.url}?v=9&lr=abc&p=91&seed=4&zzz=1&d=1e999`);
    await page.getByTestId('error-banner').waitFor();
    const text = await page.getByTestId('error-banner').textContent();
    for (const bit of [
      'version "9"',
      'lr: "abc" is not a number',
      'p: p = 91 is not prime',
      'unknown setting "zzz"',
      'd: 1e999 is out of range',
    ])
      expect(text).toContain(bit);
    expect(await page.getByTestId('field-seed').inputValue()).toBe('4');
    expect(await page.getByTestId('field-lr').inputValue()).toBe(String(CLASSROOM_DEMO_LR)); // the default's, not the bad value
    const count = await page.locator('[data-testid="error-banner"] p').count();
    await page.locator('[data-testid="error-banner"] p button').first().click();
    expect(await page.locator('[data-testid="error-banner"] p').count()).toBe(count - 1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('hides the controls a classroom link names', async () => {
    const page = await env.browser.newPage();
    await page.goto(`${env.server.url}?v=1&hide=model,method`);
    await page.getByTestId('group-data').waitFor();
    expect(await page.getByTestId('group-model').count()).toBe(0);
    expect(await page.getByTestId('group-method').count()).toBe(0);
    expect(await page.getByTestId('group-training').isVisible()).toBe(true);
    await page.close();
  });
});

describe('presenting', () => {
  it('keyboard shortcuts: space plays and pauses, s steps, r resets, ? shows the help, p presents', async () => {
    const { page } = await openApp(env.browser, env.server.url);
    await page.locator('body').click();
    await page.keyboard.press('s');
    await page.waitForFunction(() => document.querySelector('[data-testid="step-counter"]')?.textContent === '1');
    await page.keyboard.press(' ');
    await page.getByTestId('pause').waitFor();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="step-counter"]')?.textContent) > 5);
    await page.keyboard.press(' ');
    await page.getByTestId('play').waitFor();
    await page.keyboard.press('r');
    await page.waitForFunction(() => document.querySelector('[data-testid="step-counter"]')?.textContent === '0');
    await page.keyboard.press('?');
    expect(await page.getByTestId('shortcuts-overlay').textContent()).toContain('fullscreen');
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('shortcuts-overlay').count()).toBe(0);
    await page.keyboard.press('p');
    await page.locator('.app.presentation').waitFor();
    expect(await page.getByTestId('group-data').count()).toBe(0); // controls collapsed
    await page.close();
  });

  it('the preset menu loads a preset and says what to watch for', async () => {
    const { page } = await openApp(env.browser, env.server.url);
    await page.getByTestId('preset-select').selectOption('hardest');
    await page.waitForFunction(
      () =>
        // null from a reset until the worker echoes the new run's config
        (window as never as { __groklab: { getState(): { run: { workerConfig: { task: string } | null } } } }).__groklab.getState().run
          .workerConfig?.task === 'poly5',
    );
    expect(await page.getByTestId('preset-watch').textContent()).toMatch(/Five operands/);
    expect(page.url()).toContain('task=poly5');
    await page.close();
  });
});

describe('compare mode', () => {
  it('runs a shared compare set side by side with overlaid curves and a steps-to-grok table', async () => {
    const page = await env.browser.newPage();
    await page.goto(`${env.server.url}?v=1&p=11&cmp=neuralgrok,adamw,standard`);
    await page.getByTestId('compare-view').waitFor({ timeout: 60_000 });
    await page.getByTestId('compare-play').click();
    await page.waitForFunction(
      () => {
        const rows = [...document.querySelectorAll('[data-testid="compare-table"] tbody tr')];
        return rows.length === 3 && rows.every((r) => Number(r.children[1]!.textContent) >= 20);
      },
      undefined,
      { timeout: 120_000 },
    );
    await page.getByTestId('compare-pause').click();
    await page.waitForTimeout(300);
    // validation solid, training dashed, one colour per method, each drawn
    const series = JSON.parse((await page.getByTestId('chart-accuracy').getAttribute('data-series'))!) as string[][];
    expect(series).toHaveLength(6);
    expect(series.filter(([, dash]) => dash !== 'solid')).toHaveLength(3);
    for (const n of await chartPixels(page, 'chart-accuracy', [...new Set(series.map(([colour]) => colour!))]))
      expect(n).toBeGreaterThan(20);
    expect(Number(await page.getByTestId('chart-accuracy').getAttribute('data-points'))).toBeGreaterThan(3);
    expect(await page.getByTestId('compare-table').textContent()).toContain('NeuralGrok');
    expect(new URL(page.url()).searchParams.get('cmp')).toBe('neuralgrok,adamw,standard');
    // the compare set exports and imports back
    // run, step, steps to 0.95 and 0.99 (speed and time belong to live runs, not to a file)
    const counts = () =>
      page.$$eval('[data-testid="compare-table"] tbody tr', (rows) =>
        rows.map((r) => [...r.children].slice(0, 4).map((c) => c.textContent)),
      );
    const table = await counts();
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('compare-export').click()]);
    const text = readFileSync((await file.path())!, 'utf8');
    await page.getByTestId('compare-exit').click();
    await page.getByTestId('chart-accuracy').waitFor();
    expect(await page.getByTestId('compare-view').count()).toBe(0);
    await page.getByTestId('import-file').setInputFiles({ name: 'compare.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await page.getByTestId('compare-view').waitFor();
    expect(await counts()).toEqual(table);
    await page.close();
  });
});

describe('run files', () => {
  it('export → import round-trips every number; a corrupted or oversized file is refused and changes nothing', async () => {
    const { page } = await openApp(env.browser, env.server.url);
    await stepTimes(page, 12);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
    const exported = readFileSync((await download.path())!, 'utf8');
    const before = await storeState<string>(page, 'JSON.stringify(s.run.series)');
    await page.getByTestId('reset').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="step-counter"]')?.textContent === '0');
    await page.getByTestId('import-file').setInputFiles({ name: 'run.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
    await page.waitForFunction(() => document.querySelector('[data-testid="step-counter"]')?.textContent === '12');
    expect(await storeState<string>(page, 'JSON.stringify(s.run.series)')).toBe(before);
    // corrupted: refused, nothing changes
    await page
      .getByTestId('import-file')
      .setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(exported.slice(0, 200)) });
    await page.getByTestId('error-banner').filter({ hasText: 'Import failed, nothing was changed' }).waitFor();
    expect(await storeState<string>(page, 'JSON.stringify(s.run.series)')).toBe(before);
    // oversized: refused before reading
    await page
      .getByTestId('import-file')
      .setInputFiles({ name: 'big.json', mimeType: 'application/json', buffer: Buffer.alloc(26 * 1024 * 1024, 32) });
    await page.getByTestId('error-banner').filter({ hasText: 'too large' }).waitFor();
    expect(await storeState<string>(page, 'JSON.stringify(s.run.series)')).toBe(before);
    // CSV and PNG
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    expect(
      readFileSync((await csv.path())!, 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(13);
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('chart-accuracy-png').click()]);
    expect(
      readFileSync((await png.path())!)
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    // the finished run is kept among the recent runs
    expect(await page.getByTestId('recent-run').count()).toBeGreaterThan(0);
    await page.close();
  });
});
