import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { BACKEND_ENV, initBackend } from './backend.js';
import { BackendError } from './errors.js';

describe('initBackend', () => {
  it('starts the backend forced by SEQGEN_BACKEND and explains the others', async () => {
    const forced = process.env[BACKEND_ENV];
    expect(forced === 'wasm' || forced === 'cpu').toBe(true);
    const report = await initBackend();
    expect(report.active).toBe(forced);
    expect(tf.getBackend()).toBe(forced);
    expect(report.selectedBy).toBe('environment');
    expect(report.attempts.map((a) => a.backend)).toEqual(['tensorflow', 'wasm', 'cpu']);
    for (const attempt of report.attempts) {
      expect(attempt.status).toBe(attempt.backend === forced ? 'active' : 'skipped');
      expect(attempt.reason.length).toBeGreaterThan(0);
    }
    if (forced === 'wasm') expect(report.wasm?.simd).toBe(true);
    // The backend computes for real.
    expect(Array.from(await tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).data())).toEqual([11]);
    expect(await initBackend()).toBe(report);
  });

  it('refuses an unknown backend name with a typed error', async () => {
    await expect(initBackend({ backend: 'gpu' as 'cpu' })).rejects.toThrow(BackendError);
    await expect(initBackend({ backend: 'gpu' as 'cpu' })).rejects.toMatchObject({
      code: 'ERR_BACKEND_UNKNOWN_BACKEND',
    });
  });

  it('reports a forced backend that cannot start instead of falling back', async (ctx) => {
    // tfjs-node cannot load its native library on this machine (no libtensorflow download).
    let nodeLoads = true;
    try {
      await import(['@tensorflow', 'tfjs-node'].join('/'));
    } catch {
      nodeLoads = false;
    }
    // Where it does load there is no backend that cannot start: the test is reported skipped, never silently green.
    ctx.skip(nodeLoads, 'tfjs-node loads here, so forcing it cannot fail');
    const error = await initBackend({ backend: 'node' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).code).toBe('ERR_BACKEND_UNAVAILABLE');
    expect((error as Error).message).toMatch(/tensorflow was forced by option but cannot start/);
  });

  it('prefers the first backend that loads when nothing is forced', async () => {
    const saved = process.env[BACKEND_ENV];
    delete process.env[BACKEND_ENV];
    try {
      const report = await initBackend();
      expect(report.selectedBy).toBe('preference');
      const tensorflow = report.attempts[0];
      expect(['active', 'failed']).toContain(tensorflow?.status);
      const active = report.attempts.find((a) => a.status === 'active');
      expect(active?.backend).toBe(report.active);
      // Every backend before the active one failed with a reason; every one after was not tried.
      const index = report.attempts.indexOf(active as (typeof report.attempts)[number]);
      for (const a of report.attempts.slice(0, index)) expect(a.status).toBe('failed');
      for (const a of report.attempts.slice(index + 1)) expect(a.status).toBe('not-tried');
    } finally {
      process.env[BACKEND_ENV] = saved;
      await initBackend();
    }
  });
});
