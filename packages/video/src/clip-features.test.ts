import { ConfigError, initBackend, ShapeError } from '@seqgen/core';
import { ConvEncoder } from '@seqgen/vision';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { clipFeatures } from './clip-features.js';

describe('clipFeatures', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('encodes every frame at its own size: descriptor then where-map, matching the encoder on one frame', () => {
    const encoder = new ConvEncoder({ inputHeight: 8, inputWidth: 8, filters: [4, 6] }, 1);
    const clips = tf.randomUniform([2, 3, 16, 16, 1], 0, 1, 'float32', 7) as tf.Tensor5D;
    const before = tf.memory().numTensors;
    const features = clipFeatures(encoder, clips, { grid: 4, chunk: 4 });
    expect(features.shape).toEqual([2, 3, 6 + 16]);
    expect(tf.memory().numTensors).toBe(before + 1);
    // Frame (1, 2) through an encoder built for 16×16 with the same weights gives the same descriptor.
    const big = new ConvEncoder({ inputHeight: 16, inputWidth: 16, filters: [4, 6] }, 1);
    const frame = tf.reshape(tf.slice(clips, [1, 2], [1, 1]), [1, 16, 16, 1]) as tf.Tensor4D;
    const { featureMap, memory, pooled } = big.encode(frame);
    const got = tf.slice(features, [1, 2, 0], [1, 1, 6]);
    expect(Array.from(got.dataSync())).toEqual(Array.from(pooled.dataSync()).map((v) => expect.closeTo(v, 5)) as never);
    expect(encoder.variables['encoder/conv1/kernel']?.isDisposed).toBe(false);
    // Resized to 8×8 first: the encoder's own size, a 4×4 where-map.
    const small = clipFeatures(encoder, clips, { grid: 4, resize: [8, 8] });
    expect(small.shape).toEqual([2, 3, 6 + 16]);
    small.dispose();
    tf.dispose([clips, features, frame, featureMap, memory, pooled, got]);
    encoder.dispose();
    big.dispose();
  });

  it('names bad clips and a grid that does not divide the feature map', () => {
    const encoder = new ConvEncoder({ inputHeight: 8, inputWidth: 8, filters: [2] }, 1);
    const rgb = tf.zeros([1, 2, 8, 8, 3]) as tf.Tensor5D;
    expect(() => clipFeatures(encoder, rgb)).toThrow(ShapeError);
    const gray = tf.zeros([1, 2, 8, 8, 1]) as tf.Tensor5D;
    expect(() => clipFeatures(encoder, gray, { grid: 3 })).toThrow(ConfigError);
    expect(() => clipFeatures(encoder, tf.zeros([2, 8, 8, 1]) as never)).toThrow(/clips/);
    tf.dispose([rgb, gray]);
    encoder.dispose();
  });
});
