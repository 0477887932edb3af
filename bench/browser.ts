/**
 * Browser speed: steps/s per backend in headless Chromium (Debian's, driven by playwright-core)
 * for the classroom and paper presets, and the classroom preset's time to grok on the
 * automatically chosen backend: seconds from the Play click to val ≥ 0.95 on the page, in
 * --grok-runs fresh pages (default 5), their median written to src/ui/classroom-grok-time.json,
 * from which the introduction's promise is generated (CLASSROOM_GROK_SECONDS, src/ui/help.ts).
 * Builds the app first.
 *
 *   npm run bench:browser        (--seconds N: measuring window per cell, default 10;
 *                                 --backends wasm,webgl,…; --threads 1,2: wasm thread counts,
 *                                 default 1 and every logical core; --grok-only: only the time
 *                                 to grok; --grok-runs N; --no-write: leave the JSON as it is;
 *                                 --baseline 'v=3&lr=0.01': also time the run this link opens,
 *                                 alternating with the default run, and print the ratio)
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import { presetById } from '../src/config/presets';
import { buildConfig } from '../src/config/schema';
import { buildApp, launchBrowser, startPreview, stepCount, storeState } from '../tools/browser';
import { markdownTable, median } from './stats';

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
const GROK_ONLY = process.argv.includes('--grok-only');
const g = process.argv.indexOf('--grok-runs');
const GROK_RUNS = g > 0 ? Number(process.argv[g + 1]) : 5;
const WRITE = !process.argv.includes('--no-write');
const b = process.argv.indexOf('--baseline');
/** A link's query (without "?") whose run is timed alternately with the default run, for a before/after ratio under the same load. */
const BASELINE = b > 0 ? process.argv[b + 1]!.replace(/^\?/, '') : null;
const GROK_TIME_FILE = 'src/ui/classroom-grok-time.json';

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
for (const [backend, threads] of GROK_ONLY ? [] : cellsToRun) {
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

/** One fresh page of the default run: start-up (page open to Play enabled), then Play to val ≥ 0.95. */
async function timeToGrok(query: string | null = null): Promise<{ startup: number; seconds: number; step: number; backend: string }> {
  const page = await browser.newPage();
  const opened = Date.now();
  await page.goto(query ? `${server.url}?${query}` : server.url);
  await page.getByTestId('backend-badge').filter({ hasNotText: 'starting' }).waitFor({ timeout: 60_000 });
  await page.getByTestId('play').waitFor({ timeout: 60_000 });
  const startup = (Date.now() - opened) / 1000;
  const backend = (await page.getByTestId('backend-badge').textContent()) ?? '?';
  const start = Date.now();
  await page.getByTestId('play').click();
  await page.waitForFunction(
    () =>
      (window as never as { __groklab: { getState(): { run: { stepsTo95: number | null } } } }).__groklab.getState().run.stepsTo95 !== null,
    undefined,
    { timeout: 300_000, polling: 20 },
  );
  const seconds = (Date.now() - start) / 1000;
  const step = await storeState<number>(page, 's.run.stepsTo95');
  await page.close();
  return { startup, seconds, step, backend };
}

const grokRuns: Awaited<ReturnType<typeof timeToGrok>>[] = [];
const baselineRuns: Awaited<ReturnType<typeof timeToGrok>>[] = [];
for (let r = 0; r < GROK_RUNS; r++) {
  console.error(`classroom time to grok (auto backend), run ${r + 1} of ${GROK_RUNS} …`);
  grokRuns.push(await timeToGrok());
  console.error(`  ${grokRuns.at(-1)!.seconds.toFixed(1)} s, val ≥ 0.95 at step ${grokRuns.at(-1)!.step}`);
  if (BASELINE) {
    baselineRuns.push(await timeToGrok(BASELINE));
    console.error(`  baseline ?${BASELINE}: ${baselineRuns.at(-1)!.seconds.toFixed(1)} s, val ≥ 0.95 at step ${baselineRuns.at(-1)!.step}`);
  }
}
const load = loadavg()[0]!;
await browser.close();
server.stop();

const version = execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).trim();
if (rows.length > 0) {
  console.log(
    `\nHeadless ${version}, ${SECONDS}-second window after 2 warm-up steps; classroom = add mod 31, 1 layer d 32 (batch = whole train split, 465); paper = p 97, 2 layers d 128, batch 512.\n`,
  );
  console.log(markdownTable(['backend (adapter)', 'classroom steps/s', 'classroom ms/step', 'paper steps/s', 'paper ms/step'], rows));
}
const seconds = grokRuns.map((r) => r.seconds);
const medianSeconds = Number(median(seconds).toFixed(1));
console.log(
  `\nClassroom preset in headless ${version}, ${cpus().length} cores, load average ${load.toFixed(1)} at the end; each run a fresh page, Play pressed once the page is ready:\n`,
);
console.log(
  markdownTable(
    ['run', 'backend', 'start-up (page open → Play enabled), s', 'Play → val ≥ 0.95, s', 'grok step', 'ms per step'],
    grokRuns.map((r, i) => [
      i + 1,
      r.backend,
      r.startup.toFixed(1),
      r.seconds.toFixed(1),
      r.step,
      ((1000 * r.seconds) / r.step).toFixed(1),
    ]),
  ),
);
console.log(`\nSeconds from Play to grok (classroom preset, median of ${grokRuns.length}): ${medianSeconds.toFixed(1)} s`);
if (BASELINE) {
  const base = median(baselineRuns.map((r) => r.seconds));
  console.log(
    `Baseline ?${BASELINE}, alternating with the runs above: median ${base.toFixed(1)} s (${baselineRuns.map((r) => `${r.seconds.toFixed(1)} s @ ${r.step}`).join(', ')}); default / baseline = ${(medianSeconds / base).toFixed(2)}`,
  );
}
if (WRITE) {
  const { backend: _backend, ...config } = buildConfig(presetById('classroom')!.config);
  const record = {
    command: 'npm run bench:browser',
    medianSeconds,
    seconds: seconds.map((x) => Number(x.toFixed(1))),
    grokSteps: grokRuns.map((r) => r.step),
    startupSeconds: grokRuns.map((r) => Number(r.startup.toFixed(1))),
    backend: grokRuns[0]!.backend,
    browser: `headless ${version}`,
    cores: cpus().length,
    loadAverage: Number(load.toFixed(1)),
    date: new Date().toISOString().slice(0, 10),
    config,
  };
  writeFileSync(GROK_TIME_FILE, JSON.stringify(record, null, 2) + '\n');
  execFileSync('node_modules/.bin/prettier', ['--write', GROK_TIME_FILE]); // as the repository's format check wants it
  console.log(`written to ${GROK_TIME_FILE} (the introduction's promise: src/ui/help.ts)`);
}
