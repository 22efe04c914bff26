import { defineConfig } from 'vitest/config';
import { backendProjects } from '../../vitest.backends.ts';

// Token shards are files and integers, and the SIGKILL resume is about the data cursor: one pass.
export default defineConfig({
  test: backendProjects(['wasm', 'cpu'], {
    firstBackendOnly: ['src/data/token-shards.test.ts', 'src/data/token-shards-kill.test.ts'],
  }),
});
