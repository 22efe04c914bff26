import type { CellsPlatform } from './platform.js';

/**
 * Browsers and workers: no native addon (the fused kernels run in tfjs), and
 * the cpu products stay on the calling thread (the tfjs wasm backend is the
 * fast path in pages).
 */
export const platform: CellsPlatform = {
  requireOptional(name) {
    throw new Error(`${name} is a Node.js addon; browsers use the pure-TensorFlow.js kernels`);
  },
  availableCores: () => 1,
  startHelperThread() {
    throw new Error('helper threads for cpu products run only under Node.js');
  },
};
