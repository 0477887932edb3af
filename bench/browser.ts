/**
 * Browser speed: steps/s per backend in headless Chromium (Debian's, driven by playwright-core)
 * for the classroom and paper presets, and the classroom preset's time to grok on the
 * automatically chosen backend. Builds the app first.
 *
 *   npm run bench:browser        (--seconds N: measuring window per cell, default 10;
 *                                 --backends wasm,webgl,…; --threads 1,2: wasm thread counts,
 *                                 default 1 and every logical core)
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import type { Page } from 'playwright-core';
import { presetById } from '../src/config/presets';
import { buildApp, launchBrowser, startPreview, stepCount, storeState } from '../tools/browser';
import { markdownTable } from './stats';

const i = process.argv.indexOf('--seconds');
const SECONDS = i > 0 ? Number(process.argv[i + 1]) : 10;
/** The paper model on software WebGPU / CPU takes 17–30 s a step: measure it only when asked. */
const j = process.argv.indexOf('--paper-backends');
const PAPER_BACKENDS = j > 0 ? process.argv[j + 1]!.split(',') : ['wasm', 'webgl', 'webgpu', 'cpu'];
const k = process.argv.indexOf('--backends');
const BACKENDS = k > 0 ? process.argv[k + 1]!.split(',') : ['wasm', 'webgl', 'webgpu', 'cpu'];
/** WASM thread counts to compare (the page passes `#threads=N` to the worker). */
const t = process.argv.indexOf('--threads');
const THREADS = t > 0 ? process.argv[t + 1]!.split(',').map(Number) : [...new Set([1, cpus().length])];

buildApp();
const server = await startPreview(4900);
const browser = await launchBrowser();

async function resetTo(page: Page, config: object): Promise<void> {
  await page.evaluate(
    (c) => (window as unknown as { __groklab: { getState(): { reset(c: object): void } } }).__groklab.getState().reset(c),
    config,
  );
}

async function measure(
  backend: string,
  preset: 'classroom' | 'paper',
  threads: number | null,
): Promise<{ stepsPerSecond: number; adapter: string; steps: number }> {
  const page = await browser.newPage();
  await page.goto(threads ? `${server.url}#threads=${threads}` : server.url);
  await page.getByTestId('backend-badge').filter({ hasNotText: 'starting' }).waitFor({ timeout: 60_000 });
  await resetTo(page, { ...presetById(preset)!.config, backend, steps: 1_000_000, evalEvery: preset === 'paper' ? 100 : 10 });
  await page
    .getByTestId('backend-badge')
    .filter({ hasText: new RegExp(`^${backend}`, 'i') })
    .waitFor({ timeout: 120_000 });
  const adapter = (await page.getByTestId('backend-badge').textContent()) ?? backend;
  await page.getByTestId('play').click();
  // Warm-up: the first steps compile shaders / kernels.
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="step-counter"]')?.textContent) >= 2, undefined, {
    timeout: 300_000,
  });
  const s0 = await stepCount(page);
  const t0 = Date.now();
  await page.waitForTimeout(SECONDS * 1000);
  let s1 = await stepCount(page);
  // Slow cells: wait for at least two more steps so the rate means something.
  if (s1 - s0 < 2) {
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="step-counter"]')?.textContent) >= n, s0 + 2, {
      timeout: 300_000,
    });
    s1 = await stepCount(page);
  }
  const seconds = (Date.now() - t0) / 1000;
  await page.close();
  return { stepsPerSecond: (s1 - s0) / seconds, adapter, steps: s1 - s0 };
}

const rows: (string | number)[][] = [];
const cellsToRun: [string, number | null][] = BACKENDS.flatMap((b) =>
  b === 'wasm' ? THREADS.map((n): [string, number | null] => [b, n]) : [[b, null] as [string, number | null]],
);
for (const [backend, threads] of cellsToRun) {
  const cells = [];
  for (const preset of ['classroom', 'paper'] as const) {
    if (preset === 'paper' && !PAPER_BACKENDS.includes(backend)) continue;
    console.error(`${backend}${threads ? ` (${threads} threads)` : ''} / ${preset} …`);
    cells.push(await measure(backend, preset, threads));
  }
  const paper = cells[1];
  rows.push([
    cells[0]!.adapter,
    cells[0]!.stepsPerSecond.toFixed(2),
    (1000 / cells[0]!.stepsPerSecond).toFixed(0),
    paper ? paper.stepsPerSecond.toFixed(3) : 'not measured',
    paper ? (1000 / paper.stepsPerSecond).toFixed(0) : '–',
  ]);
}

console.error('classroom time to grok (auto backend) …');
const page = await browser.newPage();
await page.goto(server.url);
await page.getByTestId('backend-badge').filter({ hasNotText: 'starting' }).waitFor({ timeout: 60_000 });
const auto = await page.getByTestId('backend-badge').textContent();
const start = Date.now();
await page.getByTestId('play').click();
await page.waitForFunction(
  () =>
    (window as never as { __groklab: { getState(): { run: { stepsTo95: number | null } } } }).__groklab.getState().run.stepsTo95 !== null,
  undefined,
  { timeout: 300_000 },
);
const grokSeconds = (Date.now() - start) / 1000;
const grokStep = await storeState<number>(page, 's.run.stepsTo95');
await browser.close();
server.stop();

const version = execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).trim();
console.log(
  `\nHeadless ${version}, ${SECONDS}-second window after 2 warm-up steps; classroom = add mod 31, 1 layer d 32 (batch = whole train split, 465); paper = p 97, 2 layers d 128, batch 512.\n`,
);
console.log(markdownTable(['backend (adapter)', 'classroom steps/s', 'classroom ms/step', 'paper steps/s', 'paper ms/step'], rows));
console.log(
  `\nClassroom preset time to grok in the browser (auto backend: ${auto}): val ≥ 0.95 at step ${grokStep} after ${grokSeconds.toFixed(1)} s from the Play click.`,
);
