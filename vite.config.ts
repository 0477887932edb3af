import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  preview: { host: '127.0.0.1', port: 4173, strictPort: false },
  test: {
    testTimeout: 120_000,
    hookTimeout: 180_000,
    projects: [
      {
        extends: true,
        // tfjs keeps one global engine per process: isolate files in forks, one per core.
        test: { name: 'unit', include: ['tests/*.test.ts'], environment: 'node', setupFiles: ['tests/setup.ts'], pool: 'forks', maxWorkers: 2 },
      },
      {
        extends: true,
        // The browser tests run on their own, one file at a time, after a production build.
        test: { name: 'e2e', include: ['tests/e2e/*.test.ts'], environment: 'node', fileParallelism: false, globalSetup: ['tests/e2e/build.ts'] },
      },
    ],
  },
});
