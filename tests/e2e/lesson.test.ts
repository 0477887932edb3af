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

const TITLES = ['Memorize', 'Wait', 'Grok', 'Look inside', 'Take weight decay away', 'NeuralGrok against matched normalization'];

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
    expect(errors).toEqual([]);
    await page.close();
  });
});
