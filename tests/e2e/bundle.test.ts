/**
 * The page's main chunk holds no TensorFlow.js: the engine runs only in the worker. (A value
 * import from the UI into the engine would pull the whole of tfjs into the page; the lint
 * boundary forbids it, this checks the build itself.) Reads the production build of globalSetup.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** Strings every tfjs build carries (checked against the worker chunk, so the test can fail). */
const TFJS_MARKERS = ['tfjs', 'setBackend', 'variableGrads', 'oneHot'];

describe('bundle boundary', () => {
  it('the main chunk holds no tfjs code; the worker chunk does', () => {
    const assets = readdirSync('dist/assets');
    const html = readFileSync('dist/index.html', 'utf8');
    const mainName = /assets\/(index-[^"]+\.js)/.exec(html)?.[1];
    expect(mainName, 'main script in dist/index.html').toBeTruthy();
    const main = readFileSync(`dist/assets/${mainName}`, 'utf8');
    const workerName = assets.find((f) => f.startsWith('training.worker-') && f.endsWith('.js'));
    expect(workerName).toBeTruthy();
    const worker = readFileSync(`dist/assets/${workerName}`, 'utf8');
    for (const marker of TFJS_MARKERS) {
      expect(worker.includes(marker), `worker has ${marker}`).toBe(true);
      expect(main.includes(marker), `main chunk has ${marker}`).toBe(false);
    }
    expect(main.length).toBeLessThan(500 * 1024); // Vite's default chunk-size warning limit
  });
});
