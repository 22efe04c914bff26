import { defineConfig } from 'vitest/config';
import { backendProjects } from '../../vitest.backends.ts';

// Ctrl-C in a child process tests signals and run folders, not a backend: one pass.
export default defineConfig({
  test: backendProjects(['wasm', 'cpu'], { firstBackendOnly: ['src/interrupt.test.ts'] }),
});
