import { defineConfig } from 'vitest/config';
import { backendProjects } from '../../vitest.backends.ts';

// The hostile-checkpoint suite mocks node:fs, which must not reach (or come from) other files' module graph.
// Killing a child mid-save tests the file system, not a backend: one pass.
export default defineConfig({
  test: backendProjects(['wasm', 'cpu'], {
    isolated: ['src/checkpoint/hostile-checkpoint.test.ts'],
    firstBackendOnly: ['src/checkpoint/kill-mid-save.test.ts'],
  }),
});
