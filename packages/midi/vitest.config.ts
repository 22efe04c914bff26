import { defineConfig } from 'vitest/config';
import { testReport } from '../../vitest.backends.ts';

// The MIDI adapter loads no tfjs, so there are no backend projects to run on.
export default defineConfig({ test: { ...testReport, include: ['src/**/*.test.ts'] } });
