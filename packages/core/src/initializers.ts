import * as tf from '@tensorflow/tfjs';
import { ConfigError } from './errors.js';
import type { Rng } from './rng.js';

/**
 * Weight initializers drawn from a seqgen {@link Rng} in JavaScript, so a seed
 * yields bit-identical initial weights on every backend (tfjs's own random ops
 * differ between backends and ignore our RNG state).
 */

function sizeOf(shape: readonly number[]): number {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0)
      throw new ConfigError('shape', `dimensions must be non-negative integers, got [${shape}]`);
  }
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * A float32 tensor of the given shape drawn uniformly from `[min, max)` (default ±0.05) with `rng`, the same on every
 * backend.
 */
export function randomUniform(rng: Rng, shape: readonly number[], min = -0.05, max = 0.05): tf.Tensor {
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = rng.uniform(min, max);
  return tf.tensor(data, [...shape], 'float32');
}

/**
 * A float32 tensor of the given shape drawn from a normal distribution (default mean 0, std 1) with `rng`, the same on
 * every backend.
 */
export function randomNormal(rng: Rng, shape: readonly number[], mean = 0, std = 1): tf.Tensor {
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = rng.normal(mean, std);
  return tf.tensor(data, [...shape], 'float32');
}

/** Normal draws redrawn until within two standard deviations (as Keras/PyTorch do). */
export function truncatedNormal(rng: Rng, shape: readonly number[], mean = 0, std = 1): tf.Tensor {
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) {
    let z = rng.normal();
    while (Math.abs(z) > 2) z = rng.normal();
    data[i] = mean + std * z;
  }
  return tf.tensor(data, [...shape], 'float32');
}

/** Glorot/Xavier uniform for a `[fanIn, fanOut]` kernel. */
export function glorotUniform(rng: Rng, shape: readonly [number, number]): tf.Tensor {
  const limit = Math.sqrt(6 / (shape[0] + shape[1]));
  return randomUniform(rng, shape, -limit, limit);
}

let orthogonalizing = true;

/**
 * Runs `build` with {@link orthogonal} drawing its random numbers as usual (so
 * every generator ends where a normal build leaves it) but skipping the
 * Gram–Schmidt pass and returning zeros. For building a model whose weights
 * are all overwritten next, as a checkpoint load does: the pass is
 * O(rows·cols·min(rows, cols)) and took ~3 s for a 2 × 512 LSTM's recurrent
 * kernels. Nests; restores the previous mode however `build` ends.
 */
export function withoutOrthogonalization<T>(build: () => T): T {
  const previous = orthogonalizing;
  orthogonalizing = false;
  try {
    return build();
  } finally {
    orthogonalizing = previous;
  }
}

/**
 * A `[rows, cols]` matrix with orthonormal rows or columns (whichever are
 * fewer), by modified Gram–Schmidt on normal draws in float64 — the usual
 * initializer for recurrent kernels.
 */
export function orthogonal(rng: Rng, shape: readonly [number, number], gain = 1): tf.Tensor {
  const [rows, cols] = shape;
  sizeOf(shape);
  const n = Math.min(rows, cols); // vectors to orthonormalize
  const len = Math.max(rows, cols); // their length
  if (!orthogonalizing) {
    // The same draws (a redraw after a near-zero norm has probability ~0 for normal draws), no pass.
    for (let k = 0; k < n * len; k++) rng.normal();
    return tf.zeros([rows, cols], 'float32');
  }
  const vecs: Float64Array[] = [];
  for (let k = 0; k < n; k++) {
    const v = new Float64Array(len);
    for (;;) {
      for (let i = 0; i < len; i++) v[i] = rng.normal();
      for (const u of vecs) {
        let dot = 0;
        for (let i = 0; i < len; i++) dot += (u[i] as number) * (v[i] as number);
        for (let i = 0; i < len; i++) v[i] = (v[i] as number) - dot * (u[i] as number);
      }
      let norm = 0;
      for (let i = 0; i < len; i++) norm += (v[i] as number) ** 2;
      norm = Math.sqrt(norm);
      if (norm > 1e-6) {
        for (let i = 0; i < len; i++) v[i] = (v[i] as number) / norm;
        break;
      }
    }
    vecs.push(v);
  }
  const data = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      // Rows are the vectors when rows <= cols, otherwise columns are.
      const value = rows <= cols ? (vecs[r] as Float64Array)[c] : (vecs[c] as Float64Array)[r];
      data[r * cols + c] = gain * (value as number);
    }
  }
  return tf.tensor2d(data, [rows, cols], 'float32');
}
