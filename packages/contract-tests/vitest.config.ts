import { defineConfig } from 'vitest/config';
import { backendProjects } from '../../vitest.backends.ts';

// The copy-with-attention contract trains for 16 s on wasm and 32 s on cpu; the kernels it uses are
// tested on both backends by @seqgen/cells and @seqgen/models, the contract itself once.
export default defineConfig({
  test: backendProjects(['wasm', 'cpu'], { firstBackendOnly: ['src/copy-attention.test.ts'] }),
});
