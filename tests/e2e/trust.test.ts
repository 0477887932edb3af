/**
 * Issue 16 in a real browser: the screen shows exactly the run that trained, and nothing is
 * lost — resets mid-run, an edit while the worker starts, import → export, compare's end.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserAndServer, openApp, stepCount, storeState } from './harness';

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
});
