/**
 * Screenshots of the built app for looking at the layout (issue 20): a classroom run trained
 * past grokking with a few live edits, at 1440×900, 1024×768, 390×844 and presentation mode at
 * 1366×768 and 1920×1080. `npx vite build && npx tsx scripts/screenshots.ts [query] [outDir]`
 * (serves dist/ with `vite preview`; Chromium from Debian, through tools/browser.ts).
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { launchBrowser, startPreview } from '../tools/browser';

const query = process.argv[2] ?? '';
const out = process.argv[3] ?? 'screenshots';
const PORT = 4890;

async function waitStep(page: Page, n: number) {
  await page.waitForFunction((k) => Number(document.querySelector('[data-testid="step-counter"]')?.textContent) >= k, n, {
    timeout: 180_000,
  });
}

async function main() {
  mkdirSync(out, { recursive: true });
  const server = await startPreview(PORT);
  const url = `${server.url}${query}`;
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(url);
    await page.getByTestId('backend-badge').filter({ hasNotText: 'starting' }).waitFor({ timeout: 60_000 });
    if (!query.includes('lesson')) {
      await page.getByTestId('pause-when-grokked').uncheck();
      await page.getByTestId('play').click();
      await waitStep(page, 300);
      await page.getByTestId('field-weightDecay').fill('0');
      await page.getByTestId('field-weightDecay').press('Enter');
      await waitStep(page, 400);
      await page.getByTestId('field-weightDecay').fill('1');
      await page.getByTestId('field-weightDecay').press('Enter');
      await waitStep(page, 900);
      await page.getByTestId('pause').click();
    }
    await page.waitForTimeout(800);
    const shots: [string, number, number, boolean][] = [
      ['desktop-1440x900', 1440, 900, false],
      ['laptop-1024x768', 1024, 768, false],
      ['phone-390x844', 390, 844, false],
      ['present-1366x768', 1366, 768, true],
      ['present-1920x1080', 1920, 1080, true],
    ];
    for (const [name, w, h, present] of shots) {
      await page.setViewportSize({ width: w, height: h });
      const on = await page.evaluate(() => document.querySelector('.app')?.classList.contains('presentation'));
      if (present !== on) await page.getByTestId('presentation-toggle').click();
      await page.waitForTimeout(600);
      await page.screenshot({ path: `${out}/${name}.png`, fullPage: !present });
      if (!present) await page.screenshot({ path: `${out}/${name}-first-screen.png` });
      if (name.startsWith('desktop'))
        for (const id of ['chart-accuracy', 'answer-table', 'fourier-spectrum'])
          if ((await page.getByTestId(id).count()) > 0)
            await page
              .getByTestId(id)
              .first()
              .screenshot({ path: `${out}/${name}-${id}.png` });
      console.log(`${out}/${name}.png`);
    }
    // one large chart in presentation mode, then the phone's drawer during a run
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByTestId('present-focus').selectOption('chart-accuracy');
    await page.waitForTimeout(600);
    await page.screenshot({ path: `${out}/present-focus-1366x768.png` });
    await page.getByTestId('present-focus').selectOption('all');
    await page.getByTestId('presentation-toggle').click();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => window.scrollTo(0, 1500));
    await page.getByTestId('drawer-toggle').click();
    await page.waitForTimeout(600);
    await page.screenshot({ path: `${out}/phone-drawer-390x844.png` });
    console.log(`${out}/present-focus-1366x768.png, ${out}/phone-drawer-390x844.png`);
  } finally {
    await browser.close();
    server.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
