import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'bot/**/*.test.ts', 'server/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // two cores: browser and database suites in parallel files, but not more than the machine can take
    maxWorkers: 2,
    pool: 'forks',
    // PostgreSQL test schemas are dropped once, after the run (test/helpers/postgres-schemas.ts says why)
    globalSetup: ['./test/global-setup.ts'],
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
