import { describe, expect, it } from 'vitest';
import { platform } from './browser.js';

// The module the browser build swaps in for ./node.ts, run here directly.
describe('cells browser platform', () => {
  it('has no native addon and no helper threads: the products run on the calling thread', () => {
    expect(() => platform.requireOptional('@seqgen/native')).toThrow(
      '@seqgen/native is a Node.js addon; browsers use the pure-TensorFlow.js kernels',
    );
    expect(platform.availableCores()).toBe(1);
    expect(() => platform.startHelperThread('', new Int32Array(2))).toThrow(/only under Node/);
  });
});
