import { ConfigError, ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { expectShape } from '../checks.js';
import type { AttentionOptions, AttentionResult } from './attention.js';

/**
 * Turns scores `[B, S]` into weights over the source, giving padded positions
 * exactly zero weight, and the context as the weighted sum of `memory`.
 */
export function attend(scores: tf.Tensor, memory: tf.Tensor, options: AttentionOptions): AttentionResult {
  const [B, S] = scores.shape as [number, number];
  let weights: tf.Tensor;
  if (options.sourceLengths && options.mask) {
    throw new ConfigError('mask', 'give either sourceLengths or mask, not both');
  }
  if (options.mask) {
    const m = options.mask;
    if (m.rank !== 2 || m.shape[0] !== B || m.shape[1] !== S) {
      throw new ShapeError('mask', `[${B}, ${S}] (batch, source length)`, `[${m.shape}]`, 'attention');
    }
    const mask = m.dtype === 'float32' ? m : tf.cast(m, 'float32');
    weights = tf.mul(tf.softmax(tf.add(scores, tf.mul(tf.sub(1, mask), -1e9))), mask);
  } else if (options.sourceLengths) {
    const lengths = options.sourceLengths;
    if (lengths.length !== B) throw new ShapeError('sourceLengths', `${B} entries`, `${lengths.length}`, 'attention');
    const mask = new Float32Array(B * S);
    lengths.forEach((len, b) => {
      if (!Number.isInteger(len) || len < 1 || len > S) {
        throw new ConfigError(`sourceLengths[${b}]`, `must be an integer in [1, ${S}], got ${len}`);
      }
      mask.fill(1, b * S, b * S + len);
    });
    const m = tf.tensor2d(mask, [B, S]);
    // Subtracting a large number before the softmax, then multiplying by the mask, makes masked weights exactly 0.
    const w = tf.softmax(tf.add(scores, tf.mul(tf.sub(1, m), -1e9)));
    weights = tf.mul(w, m);
  } else {
    weights = tf.softmax(scores);
  }
  const context = tf.squeeze(tf.matMul(tf.expandDims(weights, 1), memory), [1]);
  return { context, weights };
}

export function checkAttentionInputs(
  query: tf.Tensor,
  memory: tf.Tensor,
  querySize: number,
  memorySize: number,
  who: string,
): void {
  expectShape(query, 'query', [undefined, querySize], who);
  expectShape(memory, 'memory', [query.shape[0], undefined, memorySize], who);
}
