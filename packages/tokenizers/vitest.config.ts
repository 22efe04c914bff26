import { defineConfig } from 'vitest/config';

// Tokenizers load no tfjs, so there are no backend projects to run on.
export default defineConfig({ test: { include: ['src/**/*.test.ts'] } });
