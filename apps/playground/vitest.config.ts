import { defineConfig } from 'vitest/config';
import { testReport } from '../../vitest.backends.ts';

// The tests drive the built page (dist/, which turbo builds first) in headless Chromium; the page
// picks its own tfjs backend, so the per-backend projects of the other apps do not apply.
export default defineConfig({
  test: {
    ...testReport,
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
