import { initBackend } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { imageBatches } from './image-batcher.js';
import { loadFashionMnist } from './mnist-datasets.js';
import { loadPretrainedClassifier, loadPretrainedEncoder } from './pretrained.js';
import { hasFashionMnist } from './test-fixtures/fashion-mnist.js';

beforeAll(async () => {
  await initBackend();
});

describe('the shipped pretrained encoder', () => {
  it('loads as an encoder giving a 7×7×128 feature map', async () => {
    const encoder = await loadPretrainedEncoder();
    expect(encoder.outputShape).toEqual([7, 7, 128]);
    expect(Object.keys(encoder.variables)).toHaveLength(6);
    const map = encoder.featureMap(tf.zeros([1, 28, 28, 1]) as tf.Tensor4D);
    expect(map.shape).toEqual([1, 7, 7, 128]);
    map.dispose();
    encoder.dispose();
  });

  it.runIf(hasFashionMnist())('classifies real t10k images as its recorded accuracy says', async () => {
    const classifier = await loadPretrainedClassifier();
    const test = await loadFashionMnist('test', { limit: 32 });
    const batch = imageBatches(test, 32).next().value;
    if (!batch) throw new Error('no batch');
    const predicted = classifier.predict(batch);
    let correct = 0;
    for (let i = 0; i < batch.size; i++) if (predicted[i] === batch.labels[i]) correct++;
    // The shipped checkpoint scores 85.3% on all of t10k and 25 of these first 32.
    expect(correct).toBeGreaterThanOrEqual(23);
    // The first six t10k images: ankle boot, pullover, trouser, trouser, shirt, trouser.
    expect([...predicted.subarray(0, 6)]).toEqual([9, 2, 1, 1, 6, 1]);
    classifier.dispose();
  });
});
