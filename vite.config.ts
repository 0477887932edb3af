import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import type { Plugin } from 'vite';
import { paperResults, servedDocs } from './scripts/site-content.ts';

/**
 * Cross-origin isolation: with these two headers the page gets SharedArrayBuffer, so
 * tfjs-wasm runs its threaded SIMD build (docs/guide.md: the headers a static host needs).
 */
const ISOLATION_HEADERS = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/**
 * tfjs-wasm starts its pthread workers from the factory's source text (`fn.toString()` in a
 * Blob), which loses the closure variable `_scriptDir` of the emscripten wrapper; once bundled
 * every thread died with "ReferenceError: e is not defined" and the backend never started.
 * Declaring it inside the function makes the factory self-contained.
 */
function tfjsWasmThreadsFix(): Plugin {
  const anchor = 'function(WasmBackendModuleThreadedSimd) {';
  return {
    name: 'groklab:tfjs-wasm-threads-fix',
    transform(code, id) {
      if (!id.includes('tfjs-backend-wasm-threaded-simd.js') || !code.includes(anchor)) return null;
      return code.replace(
        anchor,
        `${anchor}\n  var _scriptDir = typeof self !== 'undefined' && self.location ? self.location.href : undefined;`,
      );
    },
  };
}

/**
 * The offline site (docs/guide.md: publishing): Workbox precaches the whole build (the three wasm
 * binaries too, hence the size limit) in src/sw.ts, which also adds the isolation headers to
 * its responses, so a static host without them still runs threads. GROKLAB_BASE is the path
 * the site is published under (GitHub Pages: /<repository>/).
 */
const offline = VitePWA({
  strategies: 'injectManifest',
  srcDir: 'src',
  filename: 'sw.ts',
  injectRegister: false,
  manifest: false,
  injectManifest: {
    globPatterns: ['**/*.{js,css,html,wasm,svg}'],
    maximumFileSizeToCacheInBytes: 32 * 1024 * 1024,
  },
});

export default defineConfig({
  base: process.env.GROKLAB_BASE ?? '/',
  plugins: [react(), paperResults(), servedDocs(), offline],
  server: { headers: ISOLATION_HEADERS },
  // uPlot (the live charts) in a chunk of its own, loaded with the page: the main chunk stays
  // under Vite's 500 kB warning limit (tests/e2e/bundle.test.ts)
  build: { rolldownOptions: { output: { codeSplitting: { groups: [{ name: 'uplot', test: /node_modules[\\/]uplot/ }] } } } },
  worker: { format: 'es', plugins: () => [tfjsWasmThreadsFix()] },
  preview: { host: '127.0.0.1', port: 4173, strictPort: false, headers: ISOLATION_HEADERS },
  test: {
    testTimeout: 120_000,
    hookTimeout: 180_000,
    projects: [
      {
        extends: true,
        // tfjs keeps one global engine per process: isolate files in forks, one per core.
        test: {
          name: 'unit',
          include: ['tests/*.test.ts'],
          environment: 'node',
          setupFiles: ['tests/setup.ts'],
          pool: 'forks',
          maxWorkers: 2,
        },
      },
      {
        extends: true,
        // The browser tests run on their own, one file at a time, after a production build.
        test: {
          name: 'e2e',
          include: ['tests/e2e/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          globalSetup: ['tests/e2e/build.ts'],
        },
      },
    ],
  },
});
