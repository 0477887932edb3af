/**
 * "The paper, checked" in the built app: the paper's figures and ours (as the build reduced
 * bench/results), its recharts charts, a cell opening its configuration, a row opening compare mode,
 * the docs served with the site and linked from help texts, ≤ 200 ms from input to paint while
 * the view opens or switches tasks, a multi-seed comparison whose verdict and CSV agree with
 * its runs, and the tuned section (each method at its own best lr) as the bundle has it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { buildPaperBundle, isPaperResultFile } from '../../src/paper/bundle';
import { PAPER_METHODS, PAPER_TASKS } from '../../src/paper/table1';
import { browserAndServer, openApp, storeState, watchInteractions } from './harness';

const env = browserAndServer(6200);

/** The bundle the build made, recomputed here; tasks whose results file changed after the build are left out. */
function expectedBundle() {
  const built = statSync('dist/index.html').mtimeMs;
  const dir = 'bench/results';
  const names = readdirSync(dir).filter(isPaperResultFile);
  // the ablation and the claim races are all a + b, except the transfer (a − b); race-paper-<task>[-<part>]
  const taskOf = (f: string) =>
    f.startsWith('race-claim-transfer.')
      ? 'sub'
      : /^race-(ablation|claim)-/.test(f)
        ? 'add'
        : /race-(?:paper|tuned)-([a-z0-9_]+)/.exec(f)?.[1];
  const changed = new Set(names.filter((f) => statSync(`${dir}/${f}`).mtimeMs > built).map(taskOf));
  const bundle = buildPaperBundle(Object.fromEntries(names.map((f) => [`${dir}/${f}`, readFileSync(`${dir}/${f}`, 'utf8')])));
  return { bundle, stable: (task: string) => !changed.has(task) };
}

/** The three charts (bars, curves, the ablation) drawn for `task`. */
const chartsDrawn = (page: Page, task = 'add') =>
  page.waitForFunction(
    (t) => {
      const boxes = [...document.querySelectorAll('[data-testid="paper-view"] .paper-chart-box')];
      const current = (b: Element) => b.getAttribute('data-version') === t || b.getAttribute('data-version') === 'ablation';
      return boxes.length >= 3 && boxes.every((b) => current(b) && b.getAttribute('data-drawn') === 'true');
    },
    task,
    { timeout: 60_000 },
  );

describe('The paper, checked', () => {
  it('shows the paper’s figures and ours per cell, with the verdict, and draws its charts', async () => {
    const { page, errors } = await openApp(env.browser, `${env.server.url}?view=paper`);
    await page.getByTestId('paper-view').waitFor({ timeout: 60_000 });
    await chartsDrawn(page);
    const { bundle, stable } = expectedBundle();
    for (const task of PAPER_TASKS)
      for (const method of PAPER_METHODS) {
        const text = (await page.getByTestId(`paper-cell-${task}-${method}`).textContent())!.replace(/\u2009/g, '');
        const cell = bundle.cells.find((c) => c.task === task && c.method === method)!;
        if (cell.paper && 'steps' in cell.paper) expect(text, `${task} ${method}`).toContain(`paper ${cell.paper.steps}`);
        if (!stable(task)) continue; // a race appended a row after the build
        const verdict = await page.getByTestId(`paper-verdict-${task}-${method}`).textContent();
        expect(verdict, `${task} ${method}`).toBe(cell.verdict);
        if (cell.median !== null) expect(text, `${task} ${method}`).toContain(`ours ${cell.median}`);
        if (!cell.seeds.length) expect(verdict).toMatch(cell.unfinished.length ? /unfinished at step \d+/ : /^not run yet$/);
      }
    // the paper's own figures, whatever we ran: a + b Standard 1 650, NeuralGrok on poly5 1 896
    expect((await page.getByTestId('paper-cell-add-standard').textContent())!.replace(/\u2009/g, '')).toContain('paper 1650');
    expect((await page.getByTestId('paper-cell-poly5-neuralgrok').textContent())!.replace(/\u2009/g, '')).toContain('paper 1896');
    // the bar chart has the paper's bars and ours; the curves chart one line per curve of the task
    const addCells = bundle.cells.filter((c) => c.task === 'add');
    expect(await page.locator('[data-testid="paper-bars"] .paper-bar-paper').count()).toBe(
      addCells.filter((c) => c.paper && 'steps' in c.paper).length,
    );
    expect(await page.locator('[data-testid="paper-bars"] .paper-bar-ours').count()).toBe(addCells.filter((c) => c.median !== null).length);
    expect(await page.locator('[data-testid="paper-bars"] .paper-seed').count()).toBe(addCells.reduce((n, c) => n + c.seeds.length, 0));
    const addCurves = bundle.curves.filter((c) => c.task === 'add').length;
    expect(await page.locator('[data-testid="paper-curves"]  .paper-line').count()).toBe(addCurves);
    // a line is drawn through its points: its path has one segment per (thinned) evaluation
    const d = (await page.locator('[data-testid="paper-curves"] .paper-line path.recharts-line-curve').first().getAttribute('d'))!;
    expect(d.split('L').length).toBeGreaterThan(5);
    // switching the task redraws the curves of that task
    await page.getByTestId('paper-tab-sub').click();
    await chartsDrawn(page, 'sub');
    const subCurves = bundle.curves.filter((c) => c.task === 'sub').length;
    expect(await page.locator('[data-testid="paper-curves"]  .paper-line').count()).toBe(subCurves);
    if (stable('add')) expect(await page.getByTestId('paper-ablation-verdict').textContent()).toContain(bundle.ablation.verdict);
    expect(await page.getByTestId('paper-claims').locator('li').count()).toBe(bundle.claims.length);
    // the claims with races of their own (issue 18, item 4), e.g. robustness to c, all on a + b
    const claims = (await page.getByTestId('paper-claims').textContent())!;
    expect(claims).toContain('robust to the rescaling coefficient c');
    if (stable('add'))
      for (const c of bundle.claims.filter((x) => x.claim.includes('unstable after grokking'))) expect(claims).toContain(c.verdict);
    // each method at its own best lr (issue 31, item 4): every cell says what the bundle says ("not run yet", "partial (k of n runs)" …)
    for (const c of bundle.tuned)
      if (stable(c.task))
        expect(await page.getByTestId(`tuned-verdict-${c.task}-${c.method}`).textContent(), `tuned ${c.task} ${c.method}`).toBe(
          c.comparison,
        );
    expect(await page.getByTestId('paper-tuned-changes-add').textContent()).toContain(
      bundle.tunedChanges.add!.join(' ') || 'nothing to rank yet',
    );
    // the conditions name the matmul of every run (XNNPACK, and OpenBLAS for the long poly5 runs)
    const matmuls = (await page.getByTestId('paper-matmuls').textContent())!;
    expect(matmuls).toMatch(/XNNPACK\) \(\d+ runs?\)/);
    if (bundle.conditions.matmuls.some((m) => m.matmul.startsWith('openblas')))
      expect(matmuls).toMatch(/OpenBLAS \(\w+ kernels, \d threads?\)/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws its charts with recharts, and opening it and switching each task stays ≤ 200 ms from input to paint', async () => {
    // issue 32: charts that change on a click are held to the interaction's latency (INP's "good"
    // bar, 200 ms), not the live training page's 50 ms long-task rule (tests/e2e/app.test.ts)
    const context = await env.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await watchInteractions(page);
    await page.goto(env.server.url);
    await page.getByTestId('backend-badge').filter({ hasNotText: 'starting' }).waitFor({ timeout: 60_000 });
    await page.waitForTimeout(1000); // start-up's own work done
    /** Clicks `testId` and returns the event's latency (input to next paint) and the time from input to the frame that shows `task`'s charts. */
    const timedClick = async (testId: string, task: string) => {
      await page.evaluate(() => {
        (window as unknown as { __interactions: unknown[] }).__interactions.length = 0;
        (window as unknown as { __longTasks: unknown[] }).__longTasks.length = 0;
      });
      await page.evaluate((t) => {
        const w = window as unknown as { __drawnAt: number | null; __inputAt: number | null };
        w.__drawnAt = null;
        w.__inputAt = null;
        document.addEventListener('pointerdown', (e) => (w.__inputAt = e.timeStamp), { capture: true, once: true });
        const drawn = () => {
          const boxes = [...document.querySelectorAll('[data-testid="paper-view"] .paper-chart-box')];
          return (
            boxes.length >= 3 &&
            boxes.every(
              (b) =>
                (b.getAttribute('data-version') === t || b.getAttribute('data-version') === 'ablation') &&
                b.querySelector('.recharts-wrapper') !== null,
            )
          );
        };
        // a frame's callbacks run after the DOM changes it paints: the first one that sees the charts is their paint
        const loop = () =>
          drawn() && document.querySelector(`[data-testid="paper-tab-${t}"]`)?.getAttribute('aria-selected') === 'true'
            ? (w.__drawnAt = performance.now())
            : requestAnimationFrame(loop);
        requestAnimationFrame(loop);
      }, task);
      await page.getByTestId(testId).click();
      await page.waitForFunction(() => (window as unknown as { __drawnAt: number | null }).__drawnAt !== null, undefined, {
        timeout: 30_000,
      });
      await page.waitForTimeout(300); // the event timing entries arrive after the paint
      return page.evaluate(() => {
        const w = window as unknown as {
          __interactions: { name: string; duration: number; start: number }[];
          __drawnAt: number;
          __longTasks: number[];
        };
        const input = (w as unknown as { __inputAt: number }).__inputAt;
        return {
          inp: Math.max(0, ...w.__interactions.map((e) => e.duration)),
          toCharts: Math.round(w.__drawnAt - input),
          longest: Math.round(Math.max(0, ...w.__longTasks)),
        };
      });
    };
    const results: Record<string, { inp: number; toCharts: number; longest: number }> = {};
    results.open = await timedClick('paper-toggle', 'add');
    expect(new URL(page.url()).searchParams.get('view')).toBe('paper');
    expect(await page.locator('[data-testid="paper-bars"] .recharts-wrapper').count()).toBe(1);
    expect(await page.locator('[data-testid="paper-curves"] .recharts-wrapper').count()).toBe(1);
    for (const task of ['sub', 'mul', 'sq_sub', 'poly5', 'add']) results[task] = await timedClick(`paper-tab-${task}`, task);
    console.log(
      `paper view (recharts), ms — ${Object.entries(results)
        .map(([k, r]) => `${k}: input→paint ${r.inp}, input→charts drawn ${r.toCharts}, longest task ${r.longest}`)
        .join('; ')}`,
    );
    // the bar is the interaction's latency (input to the next paint, INP's measure); the time to
    // the charts' own frame and the longest task are logged beside it (docs/decisions.md)
    for (const [k, r] of Object.entries(results)) expect(r.inp, `${k}: input to next paint`).toBeLessThanOrEqual(200);
    await context.close();
  });

  it('a cell opens its configuration and seed in the playground; a row opens compare mode on its methods', async () => {
    const { bundle } = expectedBundle();
    const { page, errors } = await openApp(env.browser, `${env.server.url}?view=paper`);
    const cell = bundle.cells.find((c) => c.task === 'sub' && c.method === 'standard')!;
    await page.getByTestId('paper-cell-sub-standard').click();
    await page.getByTestId('play').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('paper-view').count()).toBe(0);
    const config = await storeState<Record<string, unknown>>(page, 's.config');
    expect(config).toMatchObject({ task: 'sub', method: 'standard', p: 97, layers: 2, dModel: 128, seed: cell.seeds[0]?.seed ?? 0 });
    if (cell.config) expect(config).toMatchObject({ lr: cell.config.lr, weightDecay: cell.config.weightDecay, steps: cell.config.steps });

    await page.goto(`${env.server.url}?view=paper`);
    const href = (await page.getByTestId('paper-row-add').getAttribute('href'))!;
    const params = new URL(href, env.server.url).searchParams;
    expect(params.get('cmp')).toBe('standard,grokfast_ma,grokfast_ema,neuralgrok');
    const addSeeds = [...new Set(bundle.cells.filter((c) => c.task === 'add').flatMap((c) => c.seeds.map((s) => s.seed)))].sort();
    expect(params.get('seeds')).toBe((addSeeds.length ? addSeeds.slice(0, 3) : [0]).join(','));
    await page.getByTestId('paper-row-add').click();
    await page.getByTestId('compare-view').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('multi-seed-row').count()).toBe(addSeeds.length > 1 ? 4 : 0);
    expect(await page.getByTestId('compare-row').count()).toBe(4 * Math.max(1, Math.min(3, addSeeds.length)));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('serves the docs with the site and links them from help texts', async () => {
    for (const name of ['results', 'algorithms', 'inside', 'decisions']) {
      const r = await fetch(`${env.server.url}docs/${name}.html`);
      expect(r.status, name).toBe(200);
      const html = await r.text();
      expect(html, name).toMatch(/<h1[^>]*>/);
      expect(html, name).not.toContain('id="root"'); // not the app's page
    }
    const results = await (await fetch(`${env.server.url}docs/results.html`)).text();
    expect(results).toContain('<table>');
    const figure = /<img src="([^"]+\.svg)"/.exec(results)?.[1];
    if (figure) expect((await fetch(`${env.server.url}docs/${figure}`)).status).toBe(200);
    const { page, errors } = await openApp(env.browser, `${env.server.url}?v=2&method=neuralgrok`);
    const link = page.locator('.method-help a[href$="docs/results.html"]');
    expect(await link.count()).toBe(1);
    const [doc] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
    await doc.waitForLoadState();
    expect(await doc.locator('h1').first().textContent()).toMatch(/Results/);
    await doc.close();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('runs a cell in the browser: expected time, progress, a reload resumes the queue, the seeds land in the table as "yours"', async () => {
    const { bundle } = expectedBundle();
    const seeds = bundle.cells.find((c) => c.task === 'add' && c.method === 'standard')!.seeds.map((x) => x.seed);
    const context = await env.browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addInitScript(() => {
      (window as unknown as { __GROKLAB_CELL_STEPS__: number }).__GROKLAB_CELL_STEPS__ = 20; // a tiny budget
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${env.server.url}?view=paper`);
    await page.getByTestId('backend-badge').filter({ hasNotText: 'starting' }).waitFor({ timeout: 60_000 });
    await page.getByTestId('paper-run-add-standard').click();
    expect(await page.getByTestId('cell-runner').textContent()).toContain('On a GPU (WebGPU) a cell’s time is not yet measured');
    await page.getByTestId('cell-run-start').click();
    const progress = () =>
      page.evaluate(() => (document.querySelector('[data-testid="cell-run-progress"]') as HTMLProgressElement | null)?.value ?? -1);
    await page.waitForFunction(
      () => ((document.querySelector('[data-testid="cell-run-progress"]') as HTMLProgressElement | null)?.value ?? 0) > 0,
      undefined,
      { timeout: 240_000 },
    );
    expect(await progress()).toBeGreaterThan(0);
    // wait until a running seed's checkpoint is kept with the queue in IndexedDB
    const keptStep = async () =>
      page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const open = indexedDB.open('groklab-paper');
            open.onsuccess = () => {
              const get = open.result.transaction('queue').objectStore('queue').get('current');
              get.onsuccess = () => {
                const steps = Object.values((get.result?.checkpoints ?? {}) as Record<string, { checkpoint: { step: number } }>).map(
                  (c) => c.checkpoint.step,
                );
                resolve(steps.length ? Math.max(...steps) : 0);
              };
              get.onerror = () => resolve(0);
            };
            open.onerror = () => resolve(0);
          }),
      );
    const deadline = Date.now() + 240_000;
    while ((await keptStep()) === 0 && Date.now() < deadline) await page.waitForTimeout(250);
    const kept = await keptStep();
    expect(kept).toBeGreaterThan(0);
    // a reload mid-run: the queue is kept in IndexedDB, and the seed continues from its checkpoint
    await page.reload();
    await page.getByTestId('cell-run-status').waitFor({ timeout: 60_000 });
    // at once (before a fresh worker could have trained that far): the seed stands at its checkpoint
    const counts = await storeState<number[]>(page, 's.cellRun ? s.cellRun.seeds.map((x) => x.stepCount) : []');
    expect(Math.max(...counts)).toBeGreaterThanOrEqual(kept);
    await page.getByTestId('cell-run-done').waitFor({ timeout: 300_000 });
    const yours = await storeState<{ task: string; method: string; seed: number; steps: number }[]>(page, 's.yourRuns');
    expect(yours.map((y) => `${y.task}|${y.method}|${y.seed}`).sort()).toEqual(
      (seeds.length ? seeds : [0, 1, 2]).map((x) => `add|standard|${x}`),
    );
    expect(yours.every((y) => y.steps > 0 && y.steps <= 20)).toBe(true);
    await page.reload();
    await page.getByTestId('paper-yours-add-standard').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('paper-yours-add-standard').textContent()).toMatch(/yours .*\((\d) seeds?\)/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('multi-seed compare: the verdict and the CSV agree with the runs', async () => {
    const { page, errors } = await openApp(env.browser, `${env.server.url}?v=2&p=11&steps=60&ev=10&cmp=adamw,standard&seeds=0,1`);
    await page.getByTestId('compare-view').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('compare-row').count()).toBe(4);
    await page.getByTestId('compare-play').click();
    await page.getByTestId('compare-finished').waitFor({ timeout: 180_000 });
    const runs = await storeState<{ method: string; seed: number; stepsTo95: number | null }[]>(
      page,
      's.compare.runs.map((r) => ({ method: r.config.method, seed: r.config.seed, stepsTo95: r.state.stepsTo95 }))',
    );
    expect(runs.map((r) => `${r.method}@${r.seed}`)).toEqual(['adamw@0', 'adamw@1', 'standard@0', 'standard@1']);
    const verdict = (await page.getByTestId('multi-seed-verdict').textContent())!.replace('Export table (CSV)', '').trim();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('multi-seed-csv').click()]);
    const csv = readFileSync((await download.path())!, 'utf8').split('\n');
    // every run's line carries its own steps to 95 % (empty: not reached)
    // (read from the end: a label may hold a quoted comma)
    for (const [i, r] of runs.entries()) expect(csv[i + 1]!.split(',').at(-3)).toBe(r.stepsTo95 === null ? '' : String(r.stepsTo95));
    const median = (xs: (number | null)[]) => {
      const s = xs.map((x) => x ?? Infinity).sort((a, b) => a - b);
      return (s[0]! + s[1]!) / 2;
    };
    const medians = ['adamw', 'standard'].map((m) => median(runs.filter((r) => r.method === m).map((r) => r.stepsTo95)));
    const summary = csv.slice(-3, -1).map((l) => l.split(',').at(-3));
    expect(summary).toEqual(medians.map((m) => (Number.isFinite(m) ? String(m) : 'not reached')));
    if (medians.every((m) => !Number.isFinite(m))) expect(verdict).toMatch(/No method reached/);
    else {
      expect(
        verdict.startsWith(medians[0]! <= medians[1]! ? 'AdamW (weight decay) reached' : 'Adam (wd 1e-3, the paper’s Standard) reached'),
      ).toBe(true);
      expect(verdict).toMatch(/ reached 95 % first in \d of 2 seeds/);
    }
    expect(await page.getByTestId('compare-finished').textContent()).toContain(verdict);
    expect(errors).toEqual([]);
    await page.close();
  });
});
