/**
 * Issue 20 in a real browser: "pause when grokked" stops the classroom run within a few
 * evaluations of val ≥ 0.95; the guided lesson opens, steps through its chapters, a chapter's
 * action starts a run and the "grokked" event advances it.
 */
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
