import { defineConfig } from 'vitest/config';

// No tfjs here: the kernels are checked against plain-JavaScript references.
export default defineConfig({
  test: { include: ['src/**/*.test.ts'], testTimeout: 60_000 },
});
