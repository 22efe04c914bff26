import { initBackend } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam } from './adam.js';
import { AdamW } from './adamw.js';
import { createOptimizer } from './create-optimizer.js';
import type { Optimizer } from './optimizer.js';
import { RmsProp } from './rmsprop.js';
import { Sgd } from './sgd.js';

beforeAll(async () => {
  await initBackend();
});

// A real least-squares problem: fit w in y = X·w.
const X = [
  [1, 2],
  [3, -1],
  [0.5, 0.25],
];
const Y = [[1], [2], [-0.5]];
const W0 = [[0.3], [-0.2]];

function lossOf(w: tf.Tensor): tf.Scalar {
  return tf.mean(tf.square(tf.sub(tf.matMul(tf.tensor2d(X), w), tf.tensor2d(Y))));
}

/** Runs `steps` updates with ours and returns the final weights. */
function runOurs(opt: Optimizer, steps: number, lr: number): number[] {
  const w = tf.variable(tf.tensor2d(W0));
  for (let i = 0; i < steps; i++) {
    const { grads, value } = tf.variableGrads(() => lossOf(w), [w]);
    opt.apply({ w }, { w: grads[w.name] as tf.Tensor }, () => lr);
    tf.dispose([value, ...Object.values(grads)]);
  }
  const out = Array.from(w.dataSync());
  w.dispose();
  opt.dispose();
  return out;
}

function runTf(opt: tf.Optimizer, steps: number): number[] {
  const w = tf.variable(tf.tensor2d(W0));
  for (let i = 0; i < steps; i++) opt.minimize(() => lossOf(w), false, [w]); // returnCost false: nothing to dispose
  const out = Array.from(w.dataSync());
  w.dispose();
  opt.dispose();
  return out;
}

function expectClose(a: number[], b: number[], tol: number): void {
  expect(a).toHaveLength(b.length);
  for (const [i, v] of a.entries()) expect(Math.abs(v - (b[i] as number))).toBeLessThanOrEqual(tol);
}

describe('optimizers', () => {
  it('Adam: the first step moves each weight by lr against its gradient sign', () => {
    const w = tf.variable(tf.tensor1d([1, -2, 3]));
    const adam = new Adam();
    adam.apply({ w }, { w: tf.tensor1d([0.5, -4, 1e-3]) }, () => 0.1);
    // m̂ = g, v̂ = g², so the step is lr·g/(|g|+ε).
    expectClose(Array.from(w.dataSync()), [0.9, -1.9, 2.9], 1e-5);
    adam.dispose();
    w.dispose();
  });

  it('Adam matches tf.train.adam over 20 steps', () => {
    expectClose(runOurs(new Adam({ epsilon: 1e-7 }), 20, 0.05), runTf(tf.train.adam(0.05, 0.9, 0.999, 1e-7), 20), 1e-4);
  });

  it('SGD with momentum matches tf.train.momentum', () => {
    expectClose(runOurs(new Sgd({ momentum: 0.9 }), 15, 0.02), runTf(tf.train.momentum(0.02, 0.9), 15), 1e-5);
    expectClose(runOurs(new Sgd(), 15, 0.02), runTf(tf.train.sgd(0.02), 15), 1e-6);
  });

  it('RMSProp matches tf.train.rmsprop (no momentum, tiny epsilon)', () => {
    expectClose(
      runOurs(new RmsProp({ rho: 0.9, epsilon: 1e-10 }), 15, 0.01),
      runTf(tf.train.rmsprop(0.01, 0.9, 0, 1e-10), 15),
      1e-4,
    );
  });

  it('AdamW decays weights decoupled from the gradient: p·(1 − lr·wd) when the gradient is zero', () => {
    const kernel = tf.variable(tf.tensor2d([[2, -4]]));
    const bias = tf.variable(tf.tensor1d([3]));
    const opt = new AdamW({ weightDecay: 0.1 });
    opt.apply({ kernel, bias }, { kernel: tf.zeros([1, 2]), bias: tf.zeros([1]) }, () => 0.5);
    expectClose(Array.from(kernel.dataSync()), [2 * 0.95, -4 * 0.95], 1e-6);
    expect(Array.from(bias.dataSync())).toEqual([3]); // biases are not decayed
    // Adam with L2-in-the-gradient would scale the decay by 1/√v̂; AdamW does not.
    opt.dispose();
    tf.dispose([kernel, bias]);
  });

  it('slots round-trip: a restored optimizer continues exactly like the original', async () => {
    for (const config of [
      { type: 'adam', learningRate: 0.05 },
      { type: 'adamw', learningRate: 0.05 },
      { type: 'rmsprop', learningRate: 0.01, momentum: 0.5 },
      { type: 'sgd', learningRate: 0.02, momentum: 0.9, nesterov: true },
    ] as const) {
      const a = createOptimizer(config);
      const w = tf.variable(tf.tensor2d(W0));
      const step = (opt: Optimizer) => {
        const { grads, value } = tf.variableGrads(() => lossOf(w), [w]);
        opt.apply({ w }, { w: grads[w.name] as tf.Tensor }, () => config.learningRate);
        tf.dispose([value, ...Object.values(grads)]);
      };
      for (let i = 0; i < 3; i++) step(a);
      const slots = Object.fromEntries(
        Object.entries(a.getSlots()).map(([k, t]) => [
          k,
          { dtype: 'float32' as const, shape: t.shape, data: t.dataSync() as Float32Array },
        ]),
      );
      expect(Object.keys(slots).length).toBeGreaterThan(0);
      const weights = w.dataSync().slice();
      const b = createOptimizer(config);
      b.setSlots(slots, { w });
      b.iterations = a.iterations;
      step(a);
      const expected = Array.from(w.dataSync());
      w.assign(tf.tensor2d(weights, [2, 1]));
      step(b);
      expect(Array.from(w.dataSync())).toEqual(expected);
      a.dispose();
      b.dispose();
      w.dispose();
    }
  });
});
