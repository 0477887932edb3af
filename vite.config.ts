import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['tests/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // tfjs keeps one global engine per process: isolate files in forks, and keep one
    // fork per core so timing-sensitive integration runs do not starve each other.
    pool: 'forks',
    maxWorkers: 2,
  },
});
