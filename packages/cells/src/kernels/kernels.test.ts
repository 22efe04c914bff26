import os from 'node:os';
import { ConfigError, initBackend, Rng, randomNormal, ShapeError } from '@seqgen/core';
import { maxAbsDiff, NATIVE_REQUIRED } from '@seqgen/test-utils';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nativeKernels, setNativeKernels } from '../fused/native-sequence.js';
import { embeddingLookup } from '../ops/embedding.js';
import { linear } from '../ops/linear.js';
import { fastSplit, sumRows } from './fast-split.js';
import { CPU_THREADS_ENV, cpuHelperCount, cpuThreads } from './gemm-pool.js';
import { affine, matMul2d, matMul2dT } from './matmul.js';
import { nativeMatMul } from './native-matmul.js';
import { saveShared } from './save-shared.js';
import { swapAxes01 } from './swap-axes.js';
import { unstackRows } from './unstack-rows.js';

describe('row-unstack and split kernels', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('fastSplit equals tf.split on every axis, values and gradients', async () => {
    const x = randomNormal(new Rng(1), [3, 4, 6]);
    for (const [sizes, axis] of [
      [[1, 2], 0],
      [2, 1],
      [[3, 1, 2], 2],
      [3, -1],
    ] as Array<[number | number[], number]>) {
      const ours = fastSplit(x, sizes, axis);
      const ref = tf.split(x, sizes, axis);
      expect(ours.map((t) => t.shape)).toEqual(ref.map((t) => t.shape));
      for (let k = 0; k < ref.length; k++) expect(await maxAbsDiff(ours[k]!, ref[k]!)).toBe(0);
      // Gradient, including a piece that does not reach the loss.
      const f = (split: typeof fastSplit) => (xx: tf.Tensor) => {
        const parts = split(xx, sizes, axis);
        return tf.sum(tf.mul(parts[0]!, parts[0]!));
      };
      const g1 = tf.grad(f(fastSplit))(x);
      const g2 = tf.grad(f((t, s, a) => tf.split(t, s, a)))(x);
      expect(await maxAbsDiff(g1, g2)).toBe(0);
    }
    const ints = tf.tensor2d([[1, 2, 3, 4]], [1, 4], 'int32');
    expect(await fastSplit(ints, 2, 1)[1]!.array()).toEqual([[3, 4]]);
  });

  it('unstackRows equals tf.unstack on the first axis, with gradient', async () => {
    const x = randomNormal(new Rng(2), [5, 2, 3]);
    const rows = unstackRows(x);
    const ref = tf.unstack(x, 0);
    for (let t = 0; t < 5; t++) expect(await maxAbsDiff(rows[t]!, ref[t]!)).toBe(0);
    const g = tf.grad((xx: tf.Tensor) => {
      const r = unstackRows(xx);
      return tf.add(tf.sum(r[1]!), tf.sum(tf.mul(r[4]!, 3)));
    })(x);
    const expected = (await g.array()) as number[][][];
    expect(expected[1]!.flat().every((v) => v === 1)).toBe(true);
    expect(expected[4]!.flat().every((v) => v === 3)).toBe(true);
    expect(expected[0]!.flat().every((v) => v === 0)).toBe(true);
  });

  it('sumRows equals tf.sum over axis 0', async () => {
    const x = randomNormal(new Rng(3), [7, 4]) as tf.Tensor2D;
    expect(await maxAbsDiff(sumRows(x), tf.sum(x, 0))).toBeLessThan(1e-5);
  });
});

describe('saveShared', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('saves without copying, gives the same gradient, and puts tfjs Identity back', async () => {
    const originalIdentity = tf.getKernel('Identity', tf.getBackend());
    const x = randomNormal(new Rng(2), [256, 256]);
    let sameBuffer: boolean | undefined;
    const square = (shared: boolean) =>
      tf.customGrad((...args: unknown[]) => {
        const [a] = args as [tf.Tensor];
        const save = args[args.length - 1] as tf.GradSaveFunc;
        const doubled = tf.mul(a, 2);
        if (shared) saveShared(save, [doubled]);
        else save([doubled]);
        return {
          value: tf.square(a),
          gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
            sameBuffer = saved[0]?.dataId === doubled.dataId;
            return tf.mul(dy, saved[0] as tf.Tensor);
          },
        };
      });
    const gShared = tf.grad((a: tf.Tensor) => tf.sum(square(true)(a) as tf.Tensor))(x);
    const sharedBuffer = sameBuffer;
    const gCopy = tf.grad((a: tf.Tensor) => tf.sum(square(false)(a) as tf.Tensor))(x);
    expect(await maxAbsDiff(gShared, gCopy)).toBe(0);
    expect(await maxAbsDiff(gShared, tf.mul(x, 2))).toBeLessThan(1e-6);
    // On wasm tfjs's own save copies the buffer; the shared save keeps the very same one.
    if (tf.getBackend() === 'wasm') {
      expect(sameBuffer).toBe(false);
      expect(sharedBuffer).toBe(true);
    }
    expect(tf.getKernel('Identity', tf.getBackend())).toBe(originalIdentity);
    // tf.clone is a copy again afterwards.
    const c = tf.clone(x);
    expect(await maxAbsDiff(c, x)).toBe(0);
  });
});

describe('matMul2d', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('equals tf.matMul for shapes that are not multiples of its 4×4 tile, and reuses a packed right operand', async () => {
    const rng = new Rng(3);
    for (const [m, k, n] of [
      [1, 1, 1],
      [3, 5, 2],
      [4, 8, 4],
      [7, 33, 10],
      [32, 64, 1032],
    ] as Array<[number, number, number]>) {
      const a = randomNormal(rng, [m, k]);
      const b = randomNormal(rng, [k, n]);
      const ours = matMul2d(a, b);
      expect(ours.shape).toEqual([m, n]);
      expect(await maxAbsDiff(ours, tf.matMul(a, b))).toBeLessThan(1e-4 * Math.sqrt(k));
      // The second product with the same b goes through the packed copy.
      const a2 = tf.mul(a, -2);
      expect(await maxAbsDiff(matMul2d(a2, b), tf.matMul(a2, b))).toBeLessThan(2e-4 * Math.sqrt(k));
    }
    if (tf.getBackend() === 'cpu') expect(() => matMul2d(tf.zeros([2, 3]), tf.zeros([4, 2]))).toThrow(ShapeError);
    else expect(() => matMul2d(tf.zeros([2, 3]), tf.zeros([4, 2]))).toThrow(/inner shapes/);
  });

  it('affine adds the bias over the last axis', async () => {
    const rng = new Rng(4);
    for (const [m, k, n] of [
      [5, 6, 7],
      [66, 130, 257], // large enough to be shared out to helper threads on cpu
    ] as Array<[number, number, number]>) {
      const a = randomNormal(rng, [m, k]);
      const b = randomNormal(rng, [k, n]);
      const bias = randomNormal(rng, [n]);
      expect(await maxAbsDiff(affine(a, b, bias), tf.add(tf.matMul(a, b), bias))).toBeLessThan(1e-4 * Math.sqrt(k));
    }
    if (tf.getBackend() === 'cpu') {
      expect(() => affine(tf.zeros([3, 4]), tf.zeros([4, 2]), tf.zeros([3, 2]))).toThrow(
        'matMul2d: bias must be [2], got [3,2]',
      );
    }
  });

  it('shares large cpu products out to one helper thread per extra core, with the same result', async () => {
    const rng = new Rng(5);
    const a = randomNormal(rng, [70, 300]);
    const b = randomNormal(rng, [300, 513]); // 10.8M multiply-adds, 129 panels (the last one partial)
    // This JavaScript kernel is what runs without @seqgen/native (whose GEMM takes the product where it is loaded).
    setNativeKernels(false);
    try {
      const ours = matMul2d(a, b);
      expect(await maxAbsDiff(ours, tf.matMul(a, b))).toBeLessThan(1e-4 * Math.sqrt(300));
      if (tf.getBackend() === 'cpu') expect(cpuHelperCount()).toBe(os.availableParallelism() - 1);
    } finally {
      setNativeKernels(true);
    }
  });

  it('reads its thread count from SEQGEN_CPU_THREADS and refuses bad values by name', () => {
    const saved = process.env[CPU_THREADS_ENV];
    try {
      process.env[CPU_THREADS_ENV] = '3';
      expect(cpuThreads()).toBe(3);
      for (const bad of ['0', 'two', '1.5', '65']) {
        process.env[CPU_THREADS_ENV] = bad;
        expect(() => cpuThreads()).toThrow(ConfigError);
        expect(() => cpuThreads()).toThrow(
          `SEQGEN_CPU_THREADS: expected a whole number of threads from 1 to 64, got ${bad}`,
        );
      }
      delete process.env[CPU_THREADS_ENV];
      expect(cpuThreads()).toBe(os.availableParallelism());
    } finally {
      if (saved === undefined) delete process.env[CPU_THREADS_ENV];
      else process.env[CPU_THREADS_ENV] = saved;
    }
  });
});

describe('swapAxes01', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('equals tf.transpose of the first two axes for matrices (tiles cut at the edges) and stacks, with gradient', async () => {
    const rng = new Rng(6);
    for (const shape of [
      [1, 1],
      [33, 70],
      [64, 31],
      [5, 7, 3],
      [4, 2, 3, 5],
      [3, 2, 4, 4, 2],
    ]) {
      const x = randomNormal(rng, shape);
      const perm = shape.map((_, i) => (i < 2 ? 1 - i : i));
      const ours = swapAxes01(x);
      expect(ours.shape).toEqual(perm.map((p) => shape[p]));
      expect(await maxAbsDiff(ours, tf.transpose(x, perm))).toBe(0);
      const weights = randomNormal(rng, ours.shape);
      const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(swapAxes01(v), weights)))(x);
      expect(await maxAbsDiff(g, tf.transpose(weights, perm))).toBe(0);
    }
  });
});

describe('native matmul (linear and the embedding gradient in @seqgen/native)', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('multiplies with either operand transposed and with a bias as tf.matMul does', async () => {
    const native = nativeKernels();
    if (NATIVE_REQUIRED) expect(native, 'SEQGEN_NATIVE_REQUIRED=1: the addon must be loaded').toBeDefined();
    const a = randomNormal(new Rng(1), [7, 5]) as tf.Tensor2D;
    const b = randomNormal(new Rng(2), [5, 9]) as tf.Tensor2D;
    const bias = randomNormal(new Rng(3), [9]) as tf.Tensor1D;
    const want = tf.matMul(a, b);
    const cases: Array<[string, tf.Tensor2D | undefined]> = [
      ['plain', nativeMatMul(a, b)],
      ['A stored transposed', nativeMatMul(tf.transpose(a), b, true, false)],
      ['B stored transposed', nativeMatMul(a, tf.transpose(b), false, true)],
      ['both', nativeMatMul(tf.transpose(a), tf.transpose(b), true, true)],
    ];
    for (const [name, got] of cases) {
      if (!native) {
        expect(got, name).toBeUndefined();
        continue;
      }
      expect(got?.shape, name).toEqual([7, 9]);
      expect(await maxAbsDiff(got as tf.Tensor, want), name).toBeLessThan(1e-5);
    }
    const withBias = nativeMatMul(a, b, false, false, bias);
    if (native) expect(await maxAbsDiff(withBias as tf.Tensor, tf.add(want, bias))).toBeLessThan(1e-5);
    // Inner sizes that do not match are left to the tfjs path, which throws its own error.
    expect(nativeMatMul(a, a)).toBeUndefined();
    expect(() => matMul2dT(a, a, false, false)).toThrow();
  });

  it('gives linear the same values and gradients as the pure-tfjs path', async () => {
    const x = randomNormal(new Rng(4), [3, 4, 6]);
    const kernel = randomNormal(new Rng(5), [6, 8]) as tf.Tensor2D;
    const bias = randomNormal(new Rng(6), [8]) as tf.Tensor1D;
    const probe = randomNormal(new Rng(7), [3, 4, 8]);
    const run = () =>
      tf.grads((xi: tf.Tensor, k: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(linear(xi, k as tf.Tensor2D, b as tf.Tensor1D), probe)),
      )([x, kernel, bias]);
    const value = () => linear(x, kernel, bias);
    const fast = [value(), ...run()];
    setNativeKernels(false);
    try {
      const reference = [value(), ...run()];
      for (let i = 0; i < fast.length; i++) {
        expect(await maxAbsDiff(fast[i] as tf.Tensor, reference[i] as tf.Tensor), `output ${i}`).toBeLessThan(1e-5);
      }
    } finally {
      setNativeKernels(true);
    }
  });

  it("looks rows up as tf.gather does, and adds each looked-up row's gradient into its id's row: the one-hot product's result, repeated ids summed", async () => {
    const vocab = 1500; // above the one-hot lookup's limit: a gather forward, the scatter-add gradient
    const ids = tf.tensor2d([3, 1499, 3, 0, 7, 3, 1499, 42], [2, 4], 'int32');
    const table = randomNormal(new Rng(8), [vocab, 5]) as tf.Tensor2D;
    const probe = randomNormal(new Rng(9), [2, 4, 5]);
    // The forward lookup (whole-row copies on wasm/cpu) is tf.gather's, bit for bit.
    expect(await embeddingLookup(ids, table).array()).toEqual(await tf.gather(table, ids).array());
    const [dTable] = tf.grads((t: tf.Tensor) => tf.sum(tf.mul(embeddingLookup(ids, t as tf.Tensor2D), probe)))([table]);
    const oneHot = tf.cast(tf.oneHot(tf.reshape(ids, [-1]) as tf.Tensor1D, vocab), 'float32');
    const want = tf.matMul(oneHot, tf.reshape(probe, [8, 5]), true, false);
    expect(dTable?.shape).toEqual([vocab, 5]);
    expect(await maxAbsDiff(dTable as tf.Tensor, want)).toBeLessThan(1e-5);
    // Row 3 was looked up three times: its gradient is the sum of three probe rows.
    const rows = (await probe.reshape([8, 5]).array()) as number[][];
    const row3 = ((await (dTable as tf.Tensor).array()) as number[][])[3] as number[];
    row3.forEach((v, k) => {
      expect(v).toBeCloseTo((rows[0]?.[k] ?? 0) + (rows[2]?.[k] ?? 0) + (rows[5]?.[k] ?? 0), 5);
    });
  });
});
