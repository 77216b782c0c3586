import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // A mutation run of one module can be narrowed to the tests that reach it (README, Mutation testing).
    include: process.env.TANDEM_MUTATION_TESTS?.split(',') ?? ['tests/unit/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests start real relays and SQLite files; two cores are all this machine has.
    maxWorkers: 2,
    reporters: ['default', './tests/support/unfinished-files-reporter.ts'],
  },
});
