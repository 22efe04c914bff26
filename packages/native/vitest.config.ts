import { defineConfig } from 'vitest/config';
import { testReport } from '../../vitest.backends.ts';

// No tfjs here: the kernels are checked against plain-JavaScript references.
export default defineConfig({
  test: { ...testReport, include: ['src/**/*.test.ts'], testTimeout: 60_000 },
});
