import { defineConfig } from 'vitest/config';
import { backendProjects } from '../../vitest.backends.ts';

// The forecaster's training run takes 2 s on wasm and 48 s on cpu (its convolutions); its
// kernels are checked on both backends by conv-lstm-forecaster.test.ts and @seqgen/cells.
export default defineConfig({
  test: backendProjects(['wasm', 'cpu'], {
    firstBackendOnly: ['src/forecaster/conv-lstm-forecaster-training.test.ts'],
  }),
});
