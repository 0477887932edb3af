/**
 * Issue 20 in a real browser: "pause when grokked" stops the classroom run within a few
 * evaluations of val ≥ 0.95; the guided lesson opens, steps through its chapters, a chapter's
 * action starts a run and the "grokked" event advances it.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserAndServer, openApp, stepCount, storeState } from './harness';

const env = browserAndServer(5600);

describe('pause when grokked', () => {
  it('is on in the classroom preset and pauses within a few evaluations of val ≥ 0.95', async () => {
    const { page, errors } = await openApp(env.browser, env.server.url);
    expect(await page.getByTestId('pause-when-grokked').isChecked()).toBe(true);
    await page.getByTestId('play').click();
    await page.waitForFunction(
      () => {
        const s = (
          window as never as { __groklab: { getState(): { run: { stepsTo95: number | null; running: boolean } } } }
        ).__groklab.getState();
        return s.run.stepsTo95 !== null && !s.run.running;
      },
      undefined,
      { timeout: 150_000 },
    );
    const grokStep = await storeState<number>(page, 's.run.stepsTo95');
    const evalEvery = await storeState<number>(page, 's.run.workerConfig.evalEvery');
    await page.waitForTimeout(500); // paused for good: the counter no longer moves
    const stoppedAt = await stepCount(page);
    console.log(`pause when grokked: val ≥ 0.95 at step ${grokStep}, paused at step ${stoppedAt}`);
    expect(stoppedAt).toBeGreaterThanOrEqual(grokStep);
    expect(stoppedAt - grokStep).toBeLessThanOrEqual(5 * evalEvery);
    await page.waitForTimeout(500);
    expect(await stepCount(page)).toBe(stoppedAt);
    expect(await page.getByTestId('info-banner').textContent()).toMatch(/Paused: validation accuracy reached 95 %/);
    // Play continues past it and does not pause again
    await page.getByTestId('play').click();
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="step-counter"]')?.textContent) >= n + 50, stoppedAt, {
      timeout: 60_000,
    });
    expect(await storeState<boolean>(page, 's.run.running')).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});

const TITLES = [
  'Memorize',
  'Wait',
  'Grok',
  'Look inside',
  'Take weight decay away',
  'NeuralGrok against matched normalization',
  'Grokking without weight decay',
];

/** The compare runs' method, weight decay and model, as the store holds them. */
const compareArms = (page: Page) =>
  storeState<{ method: string; wd: number; model: string }[]>(
    page,
    's.compare.runs.map((r) => ({ method: r.config.method, wd: r.config.weightDecay, model: r.config.model }))',
  );
const NO_DECAY_ARMS = [
  { method: 'orthograd', wd: 0, model: 'mlp' },
  { method: 'adamw', wd: 0, model: 'mlp' },
];

describe('grokking without weight decay (chapter 7 and its preset)', () => {
  it('chapter 7 states the measured steps, and its button starts ⊥Grad and AdamW wd 0 side by side with the collapse chart', async () => {
    const { page, errors } = await openApp(env.browser, `${env.server.url}?lesson=grokking&chapter=7`);
    expect(await page.getByTestId('lesson-chapter').textContent()).toBe('Grokking without weight decay');
    expect(await page.locator('.lesson-watch').textContent()).toMatch(/⊥Grad grokked at step ~[\d\u00a0]+; AdamW, wd 0 memorized/);
    await page.getByTestId('lesson-action').click();
    expect(await compareArms(page)).toEqual(NO_DECAY_ARMS);
    // both runs train: every row of the compare table passes step 10
    await page.waitForFunction(
      () => {
        const rows = [...document.querySelectorAll('[data-testid="compare-row"]')];
        return rows.length === 2 && rows.every((r) => Number(r.children[1]!.textContent) >= 10);
      },
      undefined,
      { timeout: 120_000 },
    );
    const table = await page.getByTestId('compare-table').textContent();
    expect(table).toContain('⊥Grad');
    expect(table).toContain('AdamW, wd 0');
    await page.getByTestId('chart-collapse').waitFor();
    // the share link keeps AdamW's decay of 0
    expect(new URL(page.url()).searchParams.get('cmp')).toBe('orthograd,adamw.wd0');
    await page.getByTestId('compare-pause').click();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the preset opens the same comparison, and its link reopens it', async () => {
    const { page, errors } = await openApp(env.browser, env.server.url);
    await page.getByTestId('preset-select').selectOption('no-weight-decay');
    expect(await compareArms(page)).toEqual(NO_DECAY_ARMS);
    const link = page.url();
    expect(new URL(link).searchParams.get('cmp')).toBe('orthograd,adamw.wd0');
    await page.close(); // its two workers would slow the linked page's start on a loaded machine
    const linked = await openApp(env.browser, link);
    expect(await compareArms(linked.page)).toEqual(NO_DECAY_ARMS);
    expect(await linked.page.getByTestId('error-banner').count()).toBe(0);
    expect([...errors, ...linked.errors]).toEqual([]);
    await linked.page.close();
  });
});

describe('the guided lesson', () => {
  it('opens at ?lesson=grokking, steps through its chapters, and each chapter is a link', async () => {
    const { page, errors } = await openApp(env.browser, `${env.server.url}?lesson=grokking`);
    const title = page.getByTestId('lesson-chapter');
    expect(await title.textContent()).toBe(TITLES[0]);
    expect(await page.getByTestId('intro').count()).toBe(0); // the lesson replaces the introduction
    expect(await page.getByTestId('lesson-prev').isDisabled()).toBe(true);
    for (let i = 1; i < TITLES.length; i++) {
      await page.getByTestId('lesson-next').click();
      expect(await title.textContent()).toBe(TITLES[i]);
      expect(page.url()).toContain(`lesson=grokking&chapter=${i + 1}`);
      expect(await page.locator('.lesson-question').textContent()).toMatch(/\?/);
    }
    expect(await page.getByTestId('lesson-next').isDisabled()).toBe(true);
    await page.getByTestId('lesson-prev').click();
    expect(await title.textContent()).toBe(TITLES[TITLES.length - 2]);
    // a chapter's link opens that chapter, with no complaint about the lesson's keys
    const linked = await openApp(env.browser, `${env.server.url}?lesson=grokking&chapter=3`);
    expect(await linked.page.getByTestId('lesson-chapter').textContent()).toBe('Grok');
    expect(await linked.page.getByTestId('error-banner').count()).toBe(0);
    // in presentation mode the lesson stays
    await linked.page.keyboard.press('p');
    expect(await linked.page.getByTestId('lesson').isVisible()).toBe(true);
    expect([...errors, ...linked.errors]).toEqual([]);
    await linked.page.close();
    await page.close();
  });

  it('a chapter’s action starts the run; “memorized” and then “grokked” advance the lesson', async () => {
    const { page, errors } = await openApp(env.browser, `${env.server.url}?lesson=grokking`);
    await page.getByTestId('lesson-action').click();
    await page.locator('[data-testid="lesson"][data-chapter="2"]').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('lesson-event').textContent()).toMatch(/Memorized at step \d+/);
    await page.locator('[data-testid="lesson"][data-chapter="3"]').waitFor({ timeout: 150_000 });
    expect(await page.getByTestId('lesson-chapter').textContent()).toBe('Grok');
    expect(await page.getByTestId('lesson-event').textContent()).toMatch(/Grokked at step \d+/);
    await page.waitForFunction(() => document.querySelector('[data-testid="play"]') !== null, undefined, { timeout: 10_000 }); // paused when grokked
    const grokStep = await storeState<number>(page, 's.run.stepsTo95');
    expect((await stepCount(page)) - grokStep).toBeLessThanOrEqual(50);
    // back to the first chapter of a run that has memorized: its action starts a new run, whose memorizing advances it again
    await page.getByTestId('lesson-prev').click();
    await page.getByTestId('lesson-prev').click();
    expect(await page.getByTestId('lesson-chapter').textContent()).toBe('Memorize');
    await page.getByTestId('lesson-action').click();
    await page.locator('[data-testid="lesson"][data-chapter="2"]').waitFor({ timeout: 60_000 });
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('presentation and phone layouts', () => {
  const rects = (page: Page, ids: string[]) =>
    page.evaluate(
      (list) =>
        list.map((id) => {
          const r = document.querySelector(`[data-testid="${id}"]`)?.getBoundingClientRect();
          return r
            ? { x: Math.round(r.x), y: Math.round(r.y), w: Math.round(r.width), h: Math.round(r.height), bottom: Math.round(r.bottom) }
            : null;
        }),
      ids,
    );
  const CHARTS = ['chart-accuracy', 'chart-loss', 'chart-weight-norm', 'chart-age'];

  for (const [width, height] of [
    [1366, 768],
    [1920, 1080],
  ] as const) {
    it(`presentation at ${width}×${height}: a 2 × 2 grid on one screen, or one large chart`, async () => {
      const page = await env.browser.newPage({ viewport: { width, height } });
      await page.goto(env.server.url);
      await page.getByTestId('backend-badge').filter({ hasNotText: 'starting' }).waitFor({ timeout: 60_000 });
      await page.keyboard.press('p');
      await page.getByTestId('present-focus').waitFor();
      await page.waitForTimeout(300);
      const grid = (await rects(page, CHARTS)).map((r) => r!);
      expect(new Set(grid.map((r) => r.x)).size, JSON.stringify(grid)).toBe(2);
      expect(new Set(grid.map((r) => r.y)).size, JSON.stringify(grid)).toBe(2);
      for (const r of grid) expect(r.bottom).toBeLessThanOrEqual(height);
      await page.getByTestId('present-focus').selectOption('chart-accuracy');
      await page.waitForTimeout(300);
      const [big, ...rest] = await rects(page, CHARTS);
      expect(rest).toEqual([null, null, null]);
      expect(big!.w).toBeGreaterThan(1.8 * grid[0]!.w);
      expect(big!.h).toBeGreaterThan(1.5 * grid[0]!.h);
      expect(big!.bottom).toBeLessThanOrEqual(height);
      await page.close();
    });
  }

  it('on a 390 px phone the run controls and the fields stay reachable during a run, and nothing is clipped', async () => {
    const page = await env.browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(env.server.url);
    await page.getByTestId('backend-badge').filter({ hasNotText: 'starting' }).waitFor({ timeout: 60_000 });
    await page.getByTestId('play').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="step-counter"]')?.textContent) >= 30, undefined, {
      timeout: 60_000,
    });
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForTimeout(200);
    const inView = (id: string) =>
      page.evaluate((t) => {
        const r = document.querySelector(`[data-testid="${t}"]`)!.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth;
      }, id);
    expect(await inView('step-counter')).toBe(true); // the sticky toolbar
    const pauseOrPlay = (await page.getByTestId('pause').count()) > 0 ? 'pause' : 'play';
    expect(await inView(pauseOrPlay)).toBe(true);
    await page.getByTestId('drawer-toggle').click();
    // the most-used groups first: method, then training, then data and model
    const tops = await page.$$eval('[data-testid^="group-"]', (els) =>
      Object.fromEntries(els.map((e) => [e.getAttribute('data-testid'), e.getBoundingClientRect().top])),
    );
    expect(tops['group-method']!).toBeLessThan(tops['group-training']!);
    expect(tops['group-training']!).toBeLessThan(tops['group-data']!);
    expect(tops['group-data']!).toBeLessThan(tops['group-model']!);
    await page.getByTestId('field-weightDecay').scrollIntoViewIfNeeded();
    expect(await inView('field-weightDecay')).toBe(true);
    await page.getByTestId('field-weightDecay').fill('0.5');
    await page.getByTestId('field-weightDecay').press('Enter');
    await page.waitForFunction(
      () =>
        (window as never as { __groklab: { getState(): { config: { weightDecay: number } } } }).__groklab.getState().config.weightDecay ===
        0.5,
    );
    await page.getByTestId('drawer-toggle').click();
    // nothing wider than the screen: the page, the charts and every inside panel (class chart)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // the page's width without the scrollbar: a card beyond it is cut off by its clipping section
    const overflowing = await page.$$eval('.chart, .chart select, [data-testid="answer-table"] svg', (els) =>
      els
        .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth - 8 + 0.5)
        .map(
          (e) =>
            `${e.closest('[data-testid]')?.getAttribute('data-testid')}: ${e.tagName} right ${Math.round(e.getBoundingClientRect().right)}`,
        ),
    );
    expect(overflowing).toEqual([]);
    await page.close();
  });
});
