import type { Rng } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';

/**
 * An inverted-dropout mask of 0 and 1/(1 − rate), drawn from a seeded Rng so
 * that a seed reproduces training on every backend. Shapes with a 1 on the
 * time axis give variational dropout (the same mask at every step, Gal &
 * Ghahramani 2016).
 */
export function dropoutMask(rng: Rng, shape: number[], rate: number): tf.Tensor {
  const keep = 1 - rate;
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = rng.float() < keep ? 1 / keep : 0;
  return tf.tensor(data, shape);
}
