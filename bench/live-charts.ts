/**
 * Live charts: the hand-written SVG chart (bench/live-charts/SvgChart.tsx, the app's until
 * issue 32) against recharts (animation off, the same decimation) and uPlot (the app's chart
 * now, src/ui/charts/MetricChart.tsx), at 10 redraws a second: four charts of two lines ×
 * 2 000 points, five markers each and phase bands on the first (bench/live-charts/main.tsx).
 * In headless Chromium (Debian's, playwright-core), per library, width and CPU throttling,
 * from a Chromium trace of the page's main thread: the longest task, the 95th percentile, the
 * tasks over 50 ms (the training page's rule) and the share of the window the thread was busy;
 * and the lines of our own code each chart needs.
 *
 *   npm run bench:charts      (--seconds N: window per cell, default 20; --throttle 1,2;
 *                              --libs svg,recharts,uplot; --widths 1440,390)
 * Writes bench/results/live-charts.md and .json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import react from '@vitejs/plugin-react';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { markdownTable } from './stats';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    throttle: { type: 'string', default: '1,2' },
    libs: { type: 'string', default: 'svg,recharts,uplot' },
    widths: { type: 'string', default: '1440,390' },
  },
});
const SECONDS = Number(args.seconds);
const list = (s: string) => s.split(',').map((v) => v.trim());

/** Our own code each chart needs (its component and the helpers it imports from src/ui/charts). */
const SHARED = ['src/ui/charts/decimate.ts', 'src/ui/charts/scales.ts'];
const CODE: Record<string, string[]> = {
  svg: ['bench/live-charts/SvgChart.tsx', 'src/ui/charts/marker-lanes.ts', ...SHARED],
  recharts: ['bench/live-charts/RechartsChart.tsx', ...SHARED],
  uplot: ['src/ui/charts/MetricChart.tsx', 'src/ui/charts/chart-layers.ts', 'src/ui/charts/marker-lanes.ts', ...SHARED],
};
/** Lines that are neither blank nor comments (prettier's formatting). */
const codeLines = (files: string[]) =>
  files.flatMap((f) => readFileSync(f, 'utf8').split('\n')).filter((l) => l.trim() && !/^\s*(\/\/|\/\*|\*)/.test(l)).length;

const CODE_LINES = Object.fromEntries(Object.entries(CODE).map(([lib, files]) => [lib, codeLines(files)]));

const outDir = join(tmpdir(), 'groklab-live-charts');
await build({ root: 'bench/live-charts', configFile: false, plugins: [react()], logLevel: 'warn', build: { outDir, emptyOutDir: true } });
const server = await preview({
  root: 'bench/live-charts',
  configFile: false,
  logLevel: 'warn',
  build: { outDir },
  preview: { port: 4910 },
});
const url = server.resolvedUrls!.local[0]!;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true });

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** the thread's CPU time in the task (µs): what the task cost, without the time it waited for a core */
  tdur?: number;
  args?: { name?: string };
}

async function measure(lib: string, width: number, throttle: number) {
  const page = await browser.newPage({ viewport: { width, height: width < 600 ? 844 : 900 } });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  await page.addInitScript(() => {
    const w = window as unknown as { __long: number[] };
    w.__long = [];
    new PerformanceObserver((l) => l.getEntries().forEach((e) => w.__long.push(e.duration))).observe({ type: 'longtask' });
  });
  await page.goto(`${url}?lib=${lib}`);
  await page.locator('.chart').nth(3).waitFor();
  await page.waitForTimeout(2000); // warm-up: first layout, JIT
  const v0 = Number(await page.locator('.charts').getAttribute('data-version'));
  await page.evaluate(() => ((window as unknown as { __long: number[] }).__long = []));
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel'] });
  const t0 = Date.now();
  await page.waitForTimeout(SECONDS * 1000);
  const redraws = Number(await page.locator('.charts').getAttribute('data-version')) - v0;
  const seconds = (Date.now() - t0) / 1000;
  const longTasks = await page.evaluate(() => (window as unknown as { __long: number[] }).__long);
  const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
  await page.close();
  // the renderer's main thread: the CrRendererMain with the most task time
  const mains = trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  // top-level tasks only (Chromium nests ThreadControllerImpl::RunTask and RunTask)
  const tasksOf = (m: TraceEvent) => {
    const all = trace.traceEvents
      .filter((e) => e.pid === m.pid && e.tid === m.tid && e.ph === 'X' && /^(ThreadControllerImpl::)?RunTask$/.test(e.name))
      .sort((a, b) => a.ts - b.ts);
    // within the measured window (stopping the trace takes a while of its own)
    const last = (all[0]?.ts ?? 0) + seconds * 1e6;
    let end = -Infinity;
    return all.filter((e) => e.ts >= end && e.ts <= last && (end = e.ts + e.dur!) >= 0);
  };
  const tasks = mains.map(tasksOf).sort((a, b) => b.length - a.length)[0]!;
  return {
    lib,
    width,
    throttle,
    seconds,
    redrawsPerSecond: redraws / seconds,
    tasks: tasks.length,
    wall: stats(
      tasks.map((e) => e.dur! / 1000),
      seconds,
    ),
    cpu: stats(
      tasks.map((e) => (e.tdur ?? NaN) / 1000),
      seconds,
    ),
    longTaskEntries: longTasks.length,
    codeLines: CODE_LINES[lib]!,
  };
}

/** Longest, 95th percentile, how many over 50 ms, and the share of the window (ms → %). */
function stats(durations: number[], seconds: number) {
  const d = [...durations].sort((a, b) => a - b);
  return {
    longestMs: d.at(-1) ?? 0,
    p95Ms: d[Math.floor(0.95 * (d.length - 1))] ?? 0,
    over50: d.filter((v) => v > 50).length,
    busyPercent: (100 * d.reduce((s, v) => s + v, 0)) / (seconds * 1000),
  };
}

const load = loadavg()[0]!.toFixed(2);
const rows = [];
for (const throttle of list(args.throttle).map(Number))
  for (const width of list(args.widths).map(Number))
    for (const lib of list(args.libs)) {
      const r = await measure(lib, width, throttle);
      rows.push(r);
      console.log(JSON.stringify(r));
    }
await browser.close();
await new Promise((done) => server.httpServer.close(done));

const cells = (t: ReturnType<typeof stats>) => [t.longestMs.toFixed(0), t.p95Ms.toFixed(1), t.over50, `${t.busyPercent.toFixed(0)} %`];
const table = markdownTable(
  [
    'library',
    'width',
    'throttle',
    'redraws/s',
    'CPU: longest task (ms)',
    'CPU: p95 (ms)',
    'CPU: tasks > 50 ms',
    'CPU: busy',
    'wall: longest (ms)',
    'wall: p95 (ms)',
    'wall: tasks > 50 ms',
    'wall: busy',
    'Long Tasks API entries',
    'our code (lines)',
  ],
  rows.map((r) => [
    r.lib,
    `${r.width} px`,
    `${r.throttle}×`,
    r.redrawsPerSecond.toFixed(1),
    ...cells(r.cpu),
    ...cells(r.wall),
    r.longTaskEntries,
    r.codeLines,
  ]),
);
const conditions =
  `Output of \`npm run bench:charts -- --seconds ${SECONDS} --throttle ${args.throttle} --libs ${args.libs} --widths ${args.widths}\`, ` +
  `${new Date().toISOString().slice(0, 16)} UTC, headless ${browser.version()} (Debian's Chromium), ` +
  `load average ${load} when it started (\`uptime\`). Each cell: ${SECONDS} s of the page's main thread (a Chromium trace) after 2 s of warm-up; ` +
  'four charts, two lines × 2 000 points each, five markers each, phase bands on the first, one new step per line and one redraw every 100 ms. ' +
  "Tasks are the renderer main thread's top-level tasks: *CPU* is the thread's own CPU time in each (the trace's `tdur`: what the task cost, " +
  'without the time it waited for a core on a loaded machine), *wall* its duration (`dur`: what the 50 ms rule and the Long Tasks API see; ' +
  'CDP CPU throttling at 2× runs the page’s thread at half speed, which both show). A library that cannot keep up draws fewer than 10 redraws a second. ' +
  '"our code" counts non-blank, non-comment lines of the chart and the helpers it needs.';
console.log(`\n${table}`);
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/live-charts.md', `${conditions}\n\n${table}\n`);
writeFileSync('bench/results/live-charts.json', JSON.stringify({ conditions, rows }, null, 1) + '\n');
