import { defineConfig } from 'vitest/config';
import { testReport } from '../../vitest.backends.ts';

// One Chromium run covers both tfjs backends; the bundles are built once per run.
export default defineConfig({
  test: { ...testReport, include: ['src/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
});
