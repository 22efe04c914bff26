import { ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';

/**
 * A batch of next-token examples held in host memory, row-major `[batchSize, seqLength]`.
 * `StreamBatch` and the like from `@seqgen/trainer` fit it as they are.
 */
export interface LMBatch {
  /** Rows in the batch (B ≥ 1). */
  batchSize: number;
  /** Positions per row (T ≥ 1); every array holds `batchSize × seqLength` values. */
  seqLength: number;
  /** Token fed at each position. */
  inputs: ArrayLike<number>;
  /** Token to predict at each position. */
  targets: ArrayLike<number>;
  /** 1 where the target counts, 0 where it is padding or crosses a document boundary (default: all count). */
  mask?: ArrayLike<number>;
  /** 1 where the state must be zeroed before reading the input (a document starts there). */
  resets?: ArrayLike<number>;
}

/** The batch as tensors (`ids`, `targets` int32, `mask` float32, all `[B, T]`); the caller disposes them. */
export function batchTensors(batch: LMBatch): { ids: tf.Tensor2D; targets: tf.Tensor2D; mask?: tf.Tensor2D } {
  const context = 'RecurrentLanguageModel.loss';
  const { batchSize: B, seqLength: T } = batch;
  for (const [field, value] of [
    ['batch.batchSize', B],
    ['batch.seqLength', T],
  ] as const) {
    if (!Number.isInteger(value) || value < 1)
      throw new ShapeError(field, 'a positive integer', String(value), context);
  }
  for (const field of ['inputs', 'targets', 'mask', 'resets'] as const) {
    const values = batch[field];
    if (values === undefined && (field === 'mask' || field === 'resets')) continue;
    if (values?.length !== B * T) {
      throw new ShapeError(`batch.${field}`, `${B * T} values ([${B}, ${T}] row-major)`, `${values?.length}`, context);
    }
  }
  const ids = tf.tensor2d(Int32Array.from(batch.inputs), [B, T], 'int32');
  const targets = tf.tensor2d(Int32Array.from(batch.targets), [B, T], 'int32');
  if (!batch.mask) return { ids, targets };
  return { ids, targets, mask: tf.tensor2d(Float32Array.from(batch.mask), [B, T]) };
}
