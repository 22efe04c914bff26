import type { Rng } from '@seqgen/core';
import type { SeqBatch } from '../batch.js';

/**
 * The adding problem (Hochreiter & Schmidhuber 1997, in the form of Le et al.
 * 2015 and Arjovsky et al. 2016): each step carries two features, a value
 * drawn from U(0, 1) and a marker (0 or 1). Exactly two steps are marked, one
 * in the first half of the sequence and one in the second; the target is the
 * sum of the two marked values. Always answering 1 gives an MSE of
 * Var(u1 + u2) = 2/12 = 1/6 ≈ 0.167, the baseline to beat.
 */
export const ADDING_FEATURES = 2;
export const ADDING_BASELINE_MSE = 1 / 6;

export function addingBatch(rng: Rng, batchSize: number, time: number): SeqBatch {
  if (!(Number.isInteger(time) && time >= 2))
    throw new RangeError(`addingBatch: time must be an integer ≥ 2, got ${time}`);
  const x = new Float32Array(batchSize * time * ADDING_FEATURES);
  const y = new Float32Array(batchSize);
  const half = Math.floor(time / 2);
  for (let b = 0; b < batchSize; b++) {
    const row = b * time * ADDING_FEATURES;
    for (let t = 0; t < time; t++) x[row + t * ADDING_FEATURES] = rng.float();
    const first = rng.int(half);
    const second = half + rng.int(time - half);
    x[row + first * ADDING_FEATURES + 1] = 1;
    x[row + second * ADDING_FEATURES + 1] = 1;
    y[b] = (x[row + first * ADDING_FEATURES] as number) + (x[row + second * ADDING_FEATURES] as number);
  }
  return { x, batchSize, time, features: ADDING_FEATURES, y };
}
