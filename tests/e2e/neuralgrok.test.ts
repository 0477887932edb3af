/**
 * NeuralGrok in the browser (issue 17): the same numbers on every backend this browser
 * offers — on the GPU backends the amplifier runs as its table of pieces (TopK, SearchSorted,
 * UnsortedSegmentSum) where the model is large enough, and as an MLP over bounded chunks
 * where it is not; on WASM it runs in JavaScript over the occupied pieces — and the paper
 * model at the authors' widths trains on WASM with the paper model's threads.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openApp, storeState, browserAndServer } from './harness';

const env = browserAndServer(5900);

async function waitForSteps(page: Page, atLeast: number, timeout = 120_000): Promise<void> {
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="step-counter"]')?.textContent) >= n, atLeast, { timeout });
}

/** Train losses of `steps` single steps from a fresh reset on `backend`. */
async function lossesOn(page: Page, backend: string, steps: number): Promise<number[]> {
  await page.getByTestId('backend-select').selectOption(backend);
  await page
    .getByTestId('backend-badge')
    .filter({ hasText: new RegExp(`^${backend}`, 'i') })
    .waitFor({ timeout: 90_000 });
  await page.getByTestId('reset').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="step-counter"]')?.textContent === '0');
  for (let i = 1; i <= steps; i++) {
    await page.getByTestId('step').click();
    await waitForSteps(page, i);
  }
  return storeState<number[]>(page, 'Array.from(s.run.series.train.trainLoss)');
}

describe('NeuralGrok in the browser', () => {
  // T = 2: step 3 is the first to use an amplifier changed by a meta step. WebGL runs the same
  // tensor ops as WebGPU here (and the model on every backend is app.test.ts's).
  for (const [label, hidden, backends] of [
    ['table of pieces on the GPU backends (widths 16,16)', '16,16', ['webgpu']],
    ['chunked MLP on WebGPU (the default 128,128: more pieces than components here)', '128,128', ['webgpu']],
  ] as const) {
    it(`trains to the same numbers on every backend: ${label}`, async () => {
      const { page, errors } = await openApp(env.browser, `${env.server.url}?v=2&method=neuralgrok&ngh=${hidden}&ngT=2`);
      expect(await storeState<string>(page, 's.run.workerConfig.method')).toBe('neuralgrok');
      const reference = await lossesOn(page, 'wasm', 3);
      expect(reference).toHaveLength(3);
      expect(reference.every(Number.isFinite)).toBe(true);
      for (const backend of backends) {
        const losses = await lossesOn(page, backend, 3);
        losses.forEach((l, i) => expect(Math.abs(l - reference[i]!) / reference[i]!, `${backend} step ${i + 1}`).toBeLessThan(2e-3));
      }
      expect(errors).toEqual([]);
      await page.close();
    }, 240_000); // WebGPU is SwiftShader here: 78 s on CI's quiet run, past 120 s on a loaded machine
  }

  it('runs the paper model at the authors’ widths on WASM with its threads, through a meta step', async () => {
    const { page, errors } = await openApp(env.browser, env.server.url);
    await page.getByTestId('backend-select').selectOption('wasm');
    await page.getByTestId('preset-select').selectOption('paper');
    await page.getByTestId('method-select').selectOption('neuralgrok');
    await page.waitForFunction(
      () =>
        (window as never as { __groklab: { getState(): { run: { workerConfig: { method: string } | null } } } }).__groklab.getState().run
          .workerConfig?.method === 'neuralgrok',
    );
    expect(await storeState<number>(page, 's.run.workerConfig.p')).toBe(97);
    const badge = page.getByTestId('backend-badge');
    await badge.filter({ hasText: /^WASM · \d+ threads?$/ }).waitFor({ timeout: 90_000 });
    expect(await storeState<number[]>(page, 's.run.workerConfig.ngHidden')).toEqual([128, 128]);
    await page.getByTestId('play').click();
    await waitForSteps(page, 6, 180_000); // the meta step runs after step 4
    await page.getByTestId('pause').click();
    const losses = await storeState<number[]>(page, 'Array.from(s.run.series.train.trainLoss)');
    expect(losses.length).toBeGreaterThanOrEqual(6);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('prices an expensive configuration before Play, from the speed measured on another run', async () => {
    const { page, errors } = await openApp(env.browser, env.server.url);
    await page.getByTestId('backend-select').selectOption('wasm');
    await page.getByTestId('backend-badge').filter({ hasText: /^WASM/ }).waitFor({ timeout: 90_000 });
    expect(await page.getByTestId('cost-estimate').count()).toBe(0); // the classroom step is cheap
    await page.getByTestId('play').click();
    await waitForSteps(page, 30);
    await page.getByTestId('pause').click();
    await page.getByTestId('preset-select').selectOption('neuralgrok-poly5');
    const estimate = page.getByTestId('cost-estimate');
    await estimate.waitFor({ timeout: 60_000 });
    // the authors' poly5 configuration: seconds per step here, hours for its budget
    expect(await estimate.getByTestId('cost-text').textContent()).toMatch(/^≈ [\d.]+ s per step here: [\d ]+ steps ≈ (\d+ h )?\d+ min$/);
    // and a smaller model to try instead
    expect(await estimate.getByTestId('cost-smaller').textContent()).toMatch(/^try p = \d+, d = \d+, \d+ layers?$/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
