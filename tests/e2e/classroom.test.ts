/**
 * Issue 10 in a real browser: the introduction, chart placeholders and axis titles, teaching
 * help, compare mode's train/val curves and timings, the reproduced bugs (2, 5–8, 11–14, 16),
 * exported PNGs, and the layout at three viewports with screenshots (under screenshots/,
 * gitignored) — no horizontal overflow, charts on a phone's first screen when presenting.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserAndServer, chartPixels, openApp, stepCount, storeState } from './harness';

const env = browserAndServer(5200);
const CHARTS = ['chart-accuracy', 'chart-loss', 'chart-weight-norm', 'chart-age'];
const SHOTS = 'screenshots';

async function waitForSteps(page: Page, atLeast: number, timeout = 90_000): Promise<void> {
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="step-counter"]')?.textContent) >= n, atLeast, { timeout });
}

/** Opens a page at a viewport, with the store exposed, and waits for the worker. */
async function open(query = '', viewport = { width: 1400, height: 1000 }): Promise<Page> {
  const page = await env.browser.newPage({ viewport });
  await page.goto(`${env.server.url}${query}`);
  await page.getByTestId('backend-badge').filter({ hasNotText: 'starting' }).waitFor({ timeout: 60_000 });
  return page;
}

describe('first screen', () => {
  it('introduces grokking, says what to press and how long it takes, and can be dismissed for good', async () => {
    const { page, errors } = await openApp(env.browser, env.server.url);
    const intro = page.getByTestId('intro');
    const text = await intro.textContent();
    expect(text).toMatch(/Grokking/);
    expect(text).toMatch(/Play/);
    expect(text).toMatch(/about \d+ s after Play \(measured in Chromium on a \d+-core machine/);
    await page.getByTestId('intro-dismiss').click();
    expect(await intro.count()).toBe(0);
    await page.reload();
    await page.getByTestId('chart-accuracy').waitFor();
    expect(await page.getByTestId('intro').count()).toBe(0); // remembered in this browser
    expect(errors).toEqual([]);
    await page.close();
  });

  it('empty charts say "press Play" and every chart has axis titles with units', async () => {
    const page = await open();
    for (const id of CHARTS)
      expect(await page.getByTestId(`${id}-placeholder`).textContent(), id).toMatch(/press Play — it groks in about \d+ s/);
    // the axis titles are drawn on the canvas from the same options the chart's label names
    const titles = await page.$$eval('.chart[aria-label]', (els) => els.map((e) => e.getAttribute('aria-label')));
    for (const t of ['accuracy', 'cross-entropy (nats)', '‖θ‖₂', 'AGE'])
      expect(titles.some((l) => l!.endsWith(`: ${t} against step`))).toBe(true);
    expect(await page.locator('.chart .uplot canvas').count()).toBeGreaterThanOrEqual(CHARTS.length);
    await page.close();
  });

  it('a one-point series is a dot with distinct tick labels, and the raw AGE line is dashed on top (bugs 5, 10)', async () => {
    const page = await open();
    await page.getByTestId('step').click();
    await waitForSteps(page, 1);
    await page.waitForFunction(() => document.querySelector('[data-testid="chart-weight-norm"]')?.getAttribute('data-points') === '1');
    // one point is no line: only its dot can leave the series' colour on the canvas
    await page.waitForTimeout(200);
    expect((await chartPixels(page, 'chart-weight-norm', ['#2ca02c']))[0], 'the one point drawn as a dot').toBeGreaterThan(10);
    for (const id of CHARTS) {
      const axes = JSON.parse((await page.locator(`[data-testid="${id}"] .uplot`).getAttribute('data-ticks'))!) as string[][];
      for (const ticks of axes) expect(new Set(ticks).size, `${id}: ${ticks.join(' ')}`).toBe(ticks.length);
      expect(axes[1]!.length, `${id}: y ticks`).toBeGreaterThanOrEqual(2);
    }
    for (let i = 0; i < 11; i++) await page.getByTestId('step').click();
    await waitForSteps(page, 12);
    await page.waitForTimeout(300);
    // applied solid, raw dashed and drawn last (uPlot draws its series in order), both visible
    expect(JSON.parse((await page.getByTestId('chart-age').getAttribute('data-series'))!)).toEqual([
      ['#ff7f0e', 'solid'],
      ['#5b2a86', '5 4'],
    ]);
    for (const n of await chartPixels(page, 'chart-age', ['#ff7f0e', '#5b2a86'])) expect(n).toBeGreaterThan(20);
    await page.getByRole('button', { name: 'What is Absolute gradient entropy (AGE)?' }).click();
    expect(await page.locator('[data-testid="chart-age"] .help-text').textContent()).toMatch(/negative.*\|g\| > 1.*number of parameters/s);
    await page.close();
  });

  it('method help teaches: what it does, what to expect, the paper', async () => {
    const page = await open();
    for (const [method, paper] of [
      ['adamw', 'arXiv:2201.02177'],
      ['neuralgrok', 'arXiv:2504.17243'],
      ['grokfast_ema', 'arXiv:2405.20233'],
    ] as const) {
      await page.getByTestId('method-select').selectOption(method);
      const help = await page.locator('.method-help').textContent();
      expect(help, method).toContain(paper);
      expect(help, method).toContain('What you will see');
    }
    await page.close();
  });
});

describe('compare mode', () => {
  it('draws training dashed next to validation, names and colours each method, shows speed, time and time to grok; an edit restarts every run or is refused', async () => {
    const page = await open('?v=1&p=11&ev=5&cmp=adamw,standard');
    await page.getByTestId('compare-view').waitFor();
    await page.getByTestId('compare-play').click();
    await page.waitForFunction(
      () => [...document.querySelectorAll('[data-testid="compare-row"]')].every((r) => Number(r.children[1]!.textContent) >= 15),
      undefined,
      { timeout: 120_000 },
    );
    const speeds = await page.$$eval('[data-testid="compare-speed"]', (els) => els.map((e) => Number(e.textContent)));
    expect(
      speeds.every((v) => v > 0),
      speeds.join(','),
    ).toBe(true);
    expect(await page.$$eval('[data-testid="compare-elapsed"]', (els) => els.map((e) => e.textContent))).not.toContain('–');
    expect(await page.getByTestId('compare-time-to-grok').first().textContent()).toMatch(/^(–|[\d.]+ s|\d+ min \d+ s)$/);
    const table = await page.getByTestId('compare-table').textContent();
    expect(table).toContain('AdamW');
    expect(table).toContain('Adam');
    const strokes = (JSON.parse((await page.getByTestId('chart-accuracy').getAttribute('data-series'))!) as string[][]).map((s) =>
      s.join(' '),
    );
    expect(strokes.sort()).toEqual(['#1f77b4 5 4', '#1f77b4 solid', '#2ca02c 5 4', '#2ca02c solid'].sort());
    for (const n of await chartPixels(page, 'chart-accuracy', ['#1f77b4', '#2ca02c'])) expect(n).toBeGreaterThan(20);
    await page.getByTestId('compare-pause').click();
    // a field edited while comparing restarts every run with it
    await page.getByTestId('field-lr').fill('0.004');
    await page.getByTestId('field-lr').press('Enter');
    await page.getByTestId('info-banner').filter({ hasText: 'restarted' }).waitFor();
    expect(await storeState<number[]>(page, 's.compare.runs.map((r) => r.config.lr)')).toEqual([0.004, 0.004]);
    expect(new URL(page.url()).searchParams.get('lr')).toBe('0.004');
    // the decay is what is compared: refused, the link keeps the old value
    await page.getByTestId('field-weightDecay').fill('0.5');
    await page.getByTestId('field-weightDecay').press('Enter');
    await page.getByTestId('error-banner').filter({ hasText: 'exit compare' }).waitFor();
    expect(new URL(page.url()).searchParams.get('wd')).toBeNull();
    await page.close();
  });
});

describe('bugs from issue 10', () => {
  it('2, 11: a method switch says how the weight decay changed; no switching note while viewing an imported run', async () => {
    const page = await open();
    await page.getByTestId('play').click();
    await waitForSteps(page, 5);
    await page.getByTestId('method-select').selectOption('neuralgrok');
    await page.getByTestId('info-banner').filter({ hasText: 'weight decay: 1 (decoupled) → 0.001 (coupled)' }).waitFor();
    expect(await page.getByTestId('method-switch-note').count()).toBe(1);
    await page.getByTestId('pause').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
    await page
      .getByTestId('import-file')
      .setInputFiles({ name: 'run.json', mimeType: 'application/json', buffer: readFileSync((await download.path())!) });
    await page.locator('.note', { hasText: 'Viewing an imported run' }).waitFor();
    expect(await page.getByTestId('method-switch-note').count()).toBe(0);
    await page.close();
  });

  it('6, 7: Import run… is reachable with the keyboard; importing the file just exported lists the run once', async () => {
    const page = await open();
    await page.evaluate(() => localStorage.clear());
    for (let i = 0; i < 3; i++) await page.getByTestId('step').click();
    await waitForSteps(page, 3);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
    await page.getByTestId('reset').click(); // keeps the run among the recent runs too
    await page.waitForFunction(() => document.querySelector('[data-testid="step-counter"]')?.textContent === '0');
    await page
      .getByTestId('import-file')
      .setInputFiles({ name: 'run.json', mimeType: 'application/json', buffer: readFileSync((await download.path())!) });
    await page.waitForFunction(() => document.querySelector('[data-testid="step-counter"]')?.textContent === '3');
    expect(await page.getByTestId('recent-run').count()).toBe(1);
    // keyboard: Tab reaches the button, Enter opens the file chooser
    await page.locator('body').click();
    let focused = '';
    for (let i = 0; i < 120 && focused !== 'import-button'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '');
    }
    expect(focused).toBe('import-button');
    // Enter on the button opens the (hidden) file input: recorded on the input itself, which is
    // deterministic where Playwright's file-chooser interception races the key press.
    await page.getByTestId('import-file').evaluate((el) =>
      el.addEventListener('click', (e) => {
        (window as unknown as { __importOpened: boolean }).__importOpened = true;
        e.preventDefault();
      }),
    );
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (window as unknown as { __importOpened?: boolean }).__importOpened === true, undefined, {
      timeout: 10_000,
    });
    expect(await page.getByTestId('import-file').getAttribute('type')).toBe('file');
    expect(await page.getByTestId('import-file').getAttribute('multiple')).toBeNull();
    await page.close();
  });

  it('8, 13: a malformed link is replaced by the corrected link at once; unknown hide= entries get a message', async () => {
    const page = await open('?v=1&lr=abc&seed=4&hide=model,bogus');
    const url = new URL(page.url());
    expect(url.searchParams.get('lr')).toBeNull();
    expect(url.searchParams.get('seed')).toBe('4');
    expect(url.searchParams.get('hide')).toBe('model');
    expect(await page.getByTestId('error-banner').textContent()).toContain('hide: unknown entry "bogus"');
    await page.close();
  });

  it('12: a refused value stays visible in its field with its error; poly5 with p = 31 shows what was chosen', async () => {
    const page = await open();
    await page.getByTestId('field-lr').fill('5');
    await page.getByTestId('field-lr').press('Enter');
    await page.locator('.field.has-error .field-error').first().waitFor();
    expect(await page.getByTestId('field-lr').inputValue()).toBe('5');
    expect(await storeState<number>(page, 's.config.lr')).not.toBe(5);
    await page.getByTestId('task-select').selectOption('poly5');
    await page.locator('.field.has-error', { has: page.getByTestId('task-select') }).waitFor();
    expect(await page.getByTestId('task-select').inputValue()).toBe('poly5');
    expect(await storeState<string>(page, 's.config.task')).not.toBe('poly5');
    await page.close();
  });

  it('14: hiding every group leaves no empty column', async () => {
    const page = await open('?v=1&hide=data,model,training,method,files');
    expect(await page.locator('.controls').count()).toBe(0);
    const [main, charts] = await Promise.all([page.locator('main.layout').boundingBox(), page.locator('.charts').first().boundingBox()]);
    expect(charts!.x - main!.x).toBeLessThan(30);
    await page.close();
  });

  it('16: forcing a backend says "preparing …" until it is ready; the badge stays short with details in its tooltip', async () => {
    const page = await open();
    await page.evaluate(() => {
      const w = window as unknown as { __preparing: string[] };
      w.__preparing = [];
      new MutationObserver(() => {
        const el = document.querySelector('[data-testid="backend-preparing"]');
        if (el) w.__preparing.push(el.textContent ?? '');
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByTestId('backend-select').selectOption('webgl');
    await page
      .getByTestId('backend-badge')
      .filter({ hasText: /^WebGL/ })
      .waitFor({ timeout: 90_000 });
    await page.waitForFunction(() => !document.querySelector('[data-testid="backend-preparing"]'));
    expect(await page.evaluate(() => (window as unknown as { __preparing: string[] }).__preparing)).toContain('preparing WebGL…');
    const badge = page.getByTestId('backend-badge');
    expect((await badge.textContent())!.length).toBeLessThanOrEqual(24);
    expect((await badge.getAttribute('title'))!.length).toBeGreaterThan(0);
    await page.close();
  });
});

/** Width and height of a PNG from its IHDR chunk. */
const pngSize = (b: Buffer) => ({ width: b.readUInt32BE(16), height: b.readUInt32BE(20) });

describe('exports and layout', () => {
  it('an exported PNG carries the chart title and legend (taller than the drawing alone)', async () => {
    const page = await open();
    for (let i = 0; i < 3; i++) await page.getByTestId('step').click();
    await waitForSteps(page, 3);
    const [w, h] = await page.$eval('[data-testid="chart-loss"] canvas', (c) => [c.clientWidth, c.clientHeight]);
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('chart-loss-png').click()]);
    const file = readFileSync((await png.path())!);
    expect(pngSize(file)).toEqual({ width: 2 * w!, height: 2 * (h! + 30 + 26) });
    // the chart's drawing is in it, not only its title and legend: the training loss curve
    // (#1f77b4) between the title band and the legend band
    const curvePixels = await page.evaluate(
      async ([src, top, bottom]) => {
        const img = new Image();
        img.src = src!;
        await img.decode();
        const c = document.createElement('canvas');
        [c.width, c.height] = [img.width, img.height];
        const ctx = c.getContext('2d')!;
        ctx.drawImage(img, 0, 0);
        const { data } = ctx.getImageData(0, top, c.width, bottom - top);
        let n = 0;
        // blue-dominant pixels, a little blurred where the canvas is scaled up to 2×
        for (let p = 0; p < data.length; p += 4) if (data[p + 2]! > data[p]! + 60 && data[p + 2]! > data[p + 1]! + 20) n++;
        return n;
      },
      [`data:image/png;base64,${file.toString('base64')}`, 2 * 30, 2 * (30 + h!)] as const,
    );
    expect(curvePixels).toBeGreaterThan(50);
    await page.close();
  });

  it('three viewports: no horizontal overflow, charts first on a phone, four charts on one 1366×768 screen when presenting (screenshots)', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const viewports = [
      { width: 1440, height: 900 },
      { width: 1024, height: 768 },
      { width: 390, height: 844 },
      { width: 1366, height: 768 },
    ];
    for (const viewport of viewports) {
      const page = await open('', viewport);
      await page.getByTestId('play').click();
      await waitForSteps(page, 40);
      await page.getByTestId('pause').click();
      await page.waitForTimeout(300);
      const name = `${viewport.width}x${viewport.height}`;
      await page.screenshot({ path: `${SHOTS}/${name}.png` });
      const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(await overflow(), name).toBeLessThanOrEqual(0);
      if (viewport.width < 600) {
        const [chart, controls] = await Promise.all([
          page.getByTestId('chart-accuracy').boundingBox(),
          page.getByTestId('group-data').boundingBox(),
        ]);
        expect(chart!.y, 'charts before the controls on a phone').toBeLessThan(controls!.y);
        // the canvas is drawn at its shown size (not scaled down), in the chart's font
        const [drawnPerShown, fontPx] = await page.$eval('[data-testid="chart-accuracy"] canvas', (c) => [
          (c as HTMLCanvasElement).width / devicePixelRatio / c.clientWidth,
          parseFloat(getComputedStyle(c).getPropertyValue('--chart-font')),
        ]);
        expect(drawnPerShown).toBeCloseTo(1, 2);
        expect(fontPx, 'readable tick labels').toBeGreaterThanOrEqual(10);
      }
      await page.keyboard.press('p');
      await page.locator('.app.presentation').waitFor();
      await page.waitForTimeout(300);
      await page.screenshot({ path: `${SHOTS}/${name}-presentation.png` });
      expect(await overflow(), `${name} presentation`).toBeLessThanOrEqual(0);
      const boxes = await Promise.all(CHARTS.map((id) => page.getByTestId(id).boundingBox()));
      if (viewport.width < 600)
        expect(boxes[0]!.y + boxes[0]!.height / 2, 'a chart on the first screen of a phone').toBeLessThan(viewport.height);
      if (viewport.width >= 1024 && viewport.height >= 768)
        for (const [i, b] of boxes.entries())
          expect(b!.y + b!.height, `${name}: ${CHARTS[i]} without scrolling`).toBeLessThanOrEqual(viewport.height);
      expect(await stepCount(page)).toBeGreaterThanOrEqual(40);
      await page.close();
    }
  });
});
