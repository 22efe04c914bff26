import { defineConfig } from 'vitest/config';
import { testReport } from '../../vitest.backends.ts';

// One project: the parsers run in child processes on the pure-JS cpu backend (the harness
// tests parsers, not backends), each input under a time and memory limit.
export default defineConfig({
  test: {
    ...testReport,
    include: ['src/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    env: { SEQGEN_BACKEND: 'cpu' },
  },
});
