/**
 * Issue 16 in a real browser: the screen shows exactly the run that trained, and nothing is
 * lost — resets mid-run, an edit while the worker starts, import → export, compare's end.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserAndServer, launchBrowser, openApp, pause, stepCount, storeState, watchLongTasks } from './harness';

const env = browserAndServer(4700);

async function waitForSteps(page: Page, atLeast: number, timeout = 60_000): Promise<void> {
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="step-counter"]')?.textContent) >= n, atLeast, { timeout });
}

/** The run file the page's Export button would download. */
const exported = (page: Page) =>
  page
    .evaluate(() =>
      (window as unknown as { __groklab: { getState(): { exportRunFile(): Promise<string> } } }).__groklab.getState().exportRunFile(),
    )
    .then(
      (text) =>
        JSON.parse(text) as { config: Record<string, unknown>; train: { step: number[] }; evals: { step: number[] }; amplifier: unknown },
    );

describe('trust what you see (issue 16)', () => {
  it('five resets mid-run: each exported run is contiguous from step 1', async () => {
    const { page, errors } = await openApp(env.browser, env.server.url);
    for (let round = 0; round < 5; round++) {
      await page.getByTestId('play').click();
      await waitForSteps(page, 40);
      await page.getByTestId('reset').click(); // while a chunk is computing
      await page.getByTestId('play').click();
      await waitForSteps(page, 15);
      await page.getByTestId('pause').click();
      await page.getByTestId('play').waitFor();
      const file = await exported(page);
      const steps = file.train.step;
      expect(steps.length, `round ${round}`).toBeGreaterThanOrEqual(15);
      expect(
        steps.every((s, i) => s === i + 1),
        `round ${round}: ${steps.slice(0, 8).join(',')}…`,
      ).toBe(true);
      expect(file.evals.step.every((s, i) => i === 0 || s > file.evals.step[i - 1]!)).toBe(true);
      expect(await stepCount(page)).toBe(steps.at(-1));
      await page.getByTestId('reset').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="step-counter"]')?.textContent === '0');
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the paper preset, then NeuralGrok one second later: the run trains NeuralGrok', async () => {
    const { page, errors } = await openApp(env.browser, env.server.url);
    await page.getByTestId('preset-select').selectOption('paper');
    await page.waitForTimeout(1000); // the worker is still starting or timing backends
    await page.getByTestId('method-select').selectOption('neuralgrok');
    await page.waitForFunction(
      () =>
        (window as never as { __groklab: { getState(): { run: { workerConfig: { method: string } | null } } } }).__groklab.getState().run
          .workerConfig?.method === 'neuralgrok',
      undefined,
      { timeout: 120_000 },
    );
    expect(await storeState<string[]>(page, 's.run.pendingEdits')).toEqual([]);
    const file = await exported(page);
    expect(file.config.method).toBe('neuralgrok');
    expect(file.config.p).toBe(97);
    // the worker's trainer holds an amplifier only when it runs NeuralGrok
    expect(file.amplifier).not.toBeNull();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a short comparison reaches "finished" with a verdict, and the toolbar stops offering Pause', async () => {
    const { page, errors } = await openApp(env.browser, `${env.server.url}?v=1&p=11&steps=60&ev=10&cmp=adamw,standard`);
    await page.getByTestId('compare-view').waitFor({ timeout: 60_000 });
    await page.getByTestId('compare-play').click();
    await page.getByTestId('pause').waitFor({ timeout: 90_000 }); // the toolbar follows the compare runs (their workers start first: slow on a loaded machine)
    await page.getByTestId('compare-finished').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('compare-finished').textContent()).toMatch(
      /(first, at step \d+|No run reached val ≥ 0\.95 within 60 steps).*2 runs, 1 seed each/,
    );
    expect(await page.getByTestId('pause').count()).toBe(0);
    expect(await page.getByTestId('compare-pause').count()).toBe(0);
    expect(await page.getByTestId('play').isVisible()).toBe(true);
    expect(await stepCount(page)).toBe(60); // the slowest compare run, not the hidden single run
    expect(await page.getByTestId('run-finished').isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('import → export round trip keeps the file’s config; the toolbar shows its steps; Play leaves it with a message', async () => {
    const { page, errors } = await openApp(env.browser, `${env.server.url}?v=1&task=sub&seed=3&lr=0.005&steps=100000`);
    for (let i = 1; i <= 3; i++) {
      await page.getByTestId('step').click();
      await waitForSteps(page, i);
    }
    // three single steps: a paused run says so, not "0.0 steps/s"
    expect(await page.locator('.counters').textContent()).toMatch(/step 3 \/ 100000 · paused · /);
    const original = await exported(page);
    expect(original.config).toMatchObject({ task: 'sub', seed: 3, lr: 0.005, steps: 100000 });
    await page.getByTestId('reset').click(); // back to a fresh run of the same config
    await page.getByTestId('preset-select').selectOption('classroom'); // the fields now show the defaults
    await page
      .getByTestId('import-file')
      .setInputFiles({ name: 'run.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(original)) });
    await page.getByTestId('viewing-imported').waitFor();
    expect(await page.locator('.counters').textContent()).toMatch(/step 3 \/ 100000 · \d/); // a viewed file: no speed, no "paused"
    const again = await exported(page);
    expect(again.config).toEqual(original.config);
    expect(again.train).toEqual(original.train);
    expect(again.evals).toEqual(original.evals);
    expect(await page.getByTestId('recent-run').first().textContent()).toMatch(/a − b mod 31 .*seed 3 · 3 \/ 100000 steps/);
    await page.getByTestId('play').click(); // "▶ New run": leaves the file, and says so
    await page.getByTestId('info-banner').filter({ hasText: 'Left the imported run' }).waitFor();
    expect(await storeState<string>(page, 's.run.workerConfig?.task ?? s.config.task')).toBe('sub');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a worker that dies is restarted from its last checkpoint, with a message, and the run goes on contiguous', async () => {
    const { page } = await openApp(env.browser, env.server.url);
    await page.getByTestId('play').click();
    await waitForSteps(page, 60);
    await page.getByTestId('pause').click();
    await page.getByTestId('play').waitFor();
    await page.waitForFunction(
      () =>
        (window as never as { __groklab: { getState(): { run: { checkpointStep: number | null } } } }).__groklab.getState().run
          .checkpointStep !== null,
    );
    const checkpointStep = await storeState<number>(page, 's.run.checkpointStep');
    // kill the main run's real worker (the run pool holds it) and deliver the error event a dying worker raises
    await page.evaluate(() => {
      type Port = Worker & { onerror: (e: { message: string }) => void };
      const pool = (window as never as { __groklabPool: { idOf(kind: string): number; sessionOf(id: number): { port: Port } } })
        .__groklabPool;
      const { port } = pool.sessionOf(pool.idOf('main'));
      port.terminate();
      port.onerror({ message: 'killed by the test' });
    });
    await page
      .getByTestId('error-banner')
      .filter({ hasText: `continues from the checkpoint at step ${checkpointStep}` })
      .waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="play"]')?.hasAttribute('disabled') === false, undefined, {
      timeout: 60_000,
    });
    expect(await stepCount(page)).toBe(checkpointStep);
    await page.getByTestId('play').click();
    await waitForSteps(page, checkpointStep + 30);
    await page.getByTestId('pause').click();
    const file = await exported(page);
    expect(file.train.step.every((s, i) => s === i + 1)).toBe(true);
    expect(file.train.step.length).toBeGreaterThanOrEqual(checkpointStep + 30);
    await page.close();
  });

  it('a reload at step ≥ 300 restores the run from this browser’s storage, and Play continues it', async () => {
    const { page } = await openApp(env.browser, `${env.server.url}?v=1&steps=2000`);
    await page.getByTestId('play').click();
    await waitForSteps(page, 300, 120_000);
    await pause(page);
    await page.waitForFunction(() => {
      const s = (
        window as never as { __groklab: { getState(): { savedRun: { step: number } | null; run: { stepCount: number } } } }
      ).__groklab.getState();
      return s.savedRun !== null && s.savedRun.step >= 300 && s.run.stepCount - s.savedRun.step < 10;
    });
    const saved = await storeState<number>(page, 's.savedRun.step');
    const before = await exported(page);
    await page.reload();
    await page
      .getByTestId('info-banner')
      .filter({ hasText: `Restored your run from this browser: step ${saved}` })
      .waitFor({ timeout: 60_000 });
    expect(await stepCount(page)).toBe(saved);
    await page.waitForFunction(() => document.querySelector('[data-testid="play"]')?.hasAttribute('disabled') === false, undefined, {
      timeout: 60_000,
    });
    const restored = await exported(page);
    expect(restored.train.step).toEqual(before.train.step.filter((s) => s <= saved));
    expect(restored.evals).toEqual({
      ...before.evals,
      ...Object.fromEntries(Object.entries(before.evals).map(([k, v]) => [k, (v as unknown[]).slice(0, restored.evals.step.length)])),
    });
    await page.getByTestId('play').click();
    await waitForSteps(page, saved + 20);
    await pause(page);
    const after = await exported(page);
    expect(after.train.step.every((s, i) => s === i + 1)).toBe(true);
    // Reset clears what is kept: a reload then starts fresh
    await page.getByTestId('reset').click();
    await page.waitForFunction(
      () => (window as never as { __groklab: { getState(): { savedRun: unknown } } }).__groklab.getState().savedRun === null,
    );
    await page.reload();
    await page.getByTestId('backend-badge').filter({ hasNotText: 'starting' }).waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500);
    expect(await stepCount(page)).toBe(0);
    await page.close();
  });

  // Derived state once (issue 16, item 8): a long run far past grokking, the inside view open,
  // no main-thread task over 50 ms. On request only (GROKLAB_LONG_STEPS=10000 runs the issue's):
  // it takes minutes, and on a loaded machine every task stretches past 50 ms, so it is no CI
  // test; app.test.ts's grokking run keeps that guard in CI.
  it.skipIf(!process.env.GROKLAB_LONG_STEPS)(
    'a long classroom run keeps every main-thread task under 50 ms',
    async () => {
      const steps = Number(process.env.GROKLAB_LONG_STEPS);
      const fresh = await launchBrowser();
      const page = await fresh.newPage({ viewport: { width: 1400, height: 1000 } });
      await watchLongTasks(page);
      await page.goto(`${env.server.url}?v=1&steps=${steps}`);
      await page.getByTestId('backend-badge').filter({ hasNotText: 'starting' }).waitFor({ timeout: 60_000 });
      await page.evaluate(() => {
        (window as unknown as { __groklab: { getState(): { setPauseWhenGrokked(on: boolean): void } } }).__groklab
          .getState()
          .setPauseWhenGrokked(false);
        (window as unknown as { __longTasks: number[] }).__longTasks.length = 0;
      });
      await page.getByTestId('play').click();
      await page.getByTestId('run-finished').waitFor({ timeout: 30 * 60_000 });
      const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
      console.log(`long run: ${steps} steps, main-thread tasks over 50 ms: [${longTasks.filter((d) => d > 50).join(', ')}]`);
      expect(
        longTasks.filter((d) => d > 50),
        `long tasks: ${longTasks.join(', ')}`,
      ).toEqual([]);
      expect(await stepCount(page)).toBe(steps);
      await fresh.close();
    },
    40 * 60_000,
  );
});
