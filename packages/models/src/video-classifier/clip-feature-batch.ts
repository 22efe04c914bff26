import { describeValue, ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';

/**
 * Labelled clips as per-frame feature vectors on the host, the layout of a
 * `[B, T, F]` tensor: what `VideoClassifier.loss` trains on (features from an
 * image encoder run over every frame, e.g. `@seqgen/video`'s `clipFeatures`).
 */
export type ClipFeatureBatch = {
  /** `[clips, frames, features]`. */
  shape: readonly [number, number, number];
  /** The features, row-major over `shape`. */
  features: Float32Array;
  /** One class index per clip. */
  labels: readonly number[] | Int32Array;
};

/** Checks a host batch against the model's feature size and class count; returns its tensors (the caller disposes them). */
export function clipBatchTensors(
  batch: ClipFeatureBatch,
  featureSize: number,
  classes: number,
  context: string,
): { features: tf.Tensor3D; labels: tf.Tensor1D } {
  if (typeof batch !== 'object' || batch === null || !Array.isArray(batch.shape)) {
    throw new ShapeError(
      'batch',
      '{ shape: [B, T, F], features: Float32Array, labels }',
      describeValue(batch),
      context,
    );
  }
  const shape = batch.shape;
  if (shape.length !== 3 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ShapeError('batch.shape', '[B, T, F] of positive integers', describeValue(shape), context);
  }
  const [B, T, F] = shape;
  if (F !== featureSize) {
    throw new ShapeError('batch.shape', `${featureSize} features per frame (the model's featureSize)`, `${F}`, context);
  }
  if (!(batch.features instanceof Float32Array) || batch.features.length !== B * T * F) {
    const actual =
      batch.features instanceof Float32Array ? `${batch.features.length} values` : describeValue(batch.features);
    throw new ShapeError('batch.features', `a Float32Array of ${B * T * F} values`, actual, context);
  }
  const labels = batch.labels;
  if (!(Array.isArray(labels) || labels instanceof Int32Array) || labels.length !== B) {
    throw new ShapeError('batch.labels', `${B} class indices`, describeValue(labels), context);
  }
  for (let i = 0; i < B; i++) {
    const y = labels[i] as number;
    if (!Number.isInteger(y) || y < 0 || y >= classes) {
      throw new ShapeError(`batch.labels[${i}]`, `a class index in [0, ${classes})`, describeValue(y), context);
    }
  }
  return {
    features: tf.tensor3d(batch.features, [B, T, F], 'float32'),
    labels: tf.tensor1d(Int32Array.from(labels), 'int32'),
  };
}

/** Checks a float32 `[B, T, featureSize]` tensor of clip features. */
export function checkClipFeatures(
  features: unknown,
  featureSize: number,
  context: string,
): asserts features is tf.Tensor3D {
  const want = `a float32 tf.Tensor [B, T, ${featureSize}]`;
  if (!(features instanceof tf.Tensor)) throw new ShapeError('features', want, describeValue(features), context);
  if (features.rank !== 3 || features.dtype !== 'float32' || features.shape[2] !== featureSize || features.size === 0) {
    throw new ShapeError('features', want, `${features.dtype} [${features.shape.join(', ')}]`, context);
  }
}
