import { initBackend, Rng, randomNormal } from '@seqgen/core';
import { maxAbsDiff, NATIVE_REQUIRED } from '@seqgen/test-utils';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { StackedRNN } from '../stacked-rnn.js';
import { fusedKernelStatus, nativeKernels, setNativeKernels } from './native-sequence.js';

/** Kernel calls @seqgen/native made between two counts (the module instance cells uses). */
type Counts = ReturnType<NonNullable<ReturnType<typeof nativeKernels>>['nativeCallCounts']>;
const delta = (a: Counts, b: Counts) => ({
  sequenceForward: b.sequenceForward - a.sequenceForward,
  sequenceBackward: b.sequenceBackward - a.sequenceBackward,
  stepForward: b.stepForward - a.stepForward,
});

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
      if (NATIVE_REQUIRED) expect(status.native, `SEQGEN_NATIVE_REQUIRED=1: ${status.reason}`).toBe(true);
      expect(status.native).toBe(built);
      if (!built) expect(status.reason).toMatch(/not (built|installed)|failed to load/);
    }
  });

  for (const cell of ['lstm', 'gru', 'rnn'] as const) {
    it(`${cell}: native and pure-tfjs give the same outputs, gradients and generation steps`, async (ctx) => {
      const native = nativeKernels();
      if (!native) {
        const why = fusedKernelStatus().reason;
        if (NATIVE_REQUIRED) expect.fail(`SEQGEN_NATIVE_REQUIRED=1 but the native kernels do not run: ${why}`);
        ctx.skip(`nothing to compare: the native kernels do not run here (${why})`);
        return;
      }
      const rnn = new StackedRNN({ cell, inputSize: 5, hiddenSize: 12, numLayers: 2, seed: 4 });
      const rng = new Rng(9);
      const x = randomNormal(rng, [3, 7, 5]);
      const lengths = [7, 4, 1];
      const vars = Object.values(rnn.variables);
      const run = () => {
        const out = rnn.apply(x, { lengths }).output;
        const g = tf.variableGrads(() => tf.sum(tf.mul(rnn.apply(x, { lengths }).output, tf.sin(out))), vars);
        let states = rnn.initialState(3);
        const steps: tf.Tensor[] = [];
        for (let t = 0; t < 3; t++) {
          const r = rnn.step(tf.squeeze(tf.slice(x, [0, t, 0], [-1, 1, -1]), [1]), states);
          steps.push(r.output);
          states = r.states;
        }
        return [out, ...vars.map((v) => g.grads[v.name]!), ...steps];
      };
      const c0 = native.nativeCallCounts();
      const a = run();
      const c1 = native.nativeCallCounts();
      setNativeKernels(false);
      let b: tf.Tensor[];
      try {
        b = run();
      } finally {
        setNativeKernels(true);
      }
      const c2 = native.nativeCallCounts();
      // The first run took the native path on both layers: 2 applies (one taped, whose
      // backward runs in C++) and 3 steps; the second never called native code.
      expect(delta(c0, c1)).toEqual({ sequenceForward: 4, sequenceBackward: 2, stepForward: 6 });
      expect(delta(c1, c2)).toEqual({ sequenceForward: 0, sequenceBackward: 0, stepForward: 0 });
      for (let k = 0; k < a.length; k++) expect(await maxAbsDiff(a[k]!, b[k]!)).toBeLessThan(1e-5);
      rnn.dispose();
    });
  }
});
