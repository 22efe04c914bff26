import { initBackend } from '@seqgen/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fusedKernelStatus } from './native-sequence.js';

describe('fused kernels: native or pure-tfjs', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('use @seqgen/native when it is built and not disabled, and say why not otherwise', async () => {
    const status = fusedKernelStatus();
    let built = false;
    try {
      built = (await import('@seqgen/native')).nativeStatus().loaded;
    } catch {
      built = false;
    }
    if (process.env.SEQGEN_NATIVE === '0') {
      expect(status).toEqual({ native: false, reason: 'disabled by SEQGEN_NATIVE=0' });
    } else {
      expect(status.native).toBe(built);
      if (!built) expect(status.reason).toMatch(/not (built|installed)|failed to load/);
    }
  });
});
