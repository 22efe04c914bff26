import { defineConfig } from 'vitest/config';
import { testReport } from '../../vitest.backends.ts';

export default defineConfig({ test: { ...testReport, include: ['src/**/*.test.ts'], testTimeout: 60_000 } });
