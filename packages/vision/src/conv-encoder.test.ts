import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, initBackend, registerWasmConvKernels, ShapeError } from '@seqgen/core';
import { thrown } from '@seqgen/test-utils';
import { Trainer } from '@seqgen/trainer';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConvEncoder } from './conv-encoder.js';
import type { ImageBatch } from './image-batcher.js';
import { ImageBatcher } from './image-batcher.js';
import { ImageClassifier } from './image-classifier.js';
import type { LabeledImages } from './image-dataset.js';

beforeAll(async () => {
  await initBackend();
  registerWasmConvKernels();
});

/** Eight 12×12 images of two classes a conv net tells apart: a bright top half or a bright left half. */
function halves(): LabeledImages {
  const count = 8;
  const pixels = new Uint8Array(count * 144);
  const labels = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    labels[n] = n % 2;
    for (let y = 0; y < 12; y++) {
      for (let x = 0; x < 12; x++) {
        const lit = n % 2 === 0 ? y < 6 : x < 6;
        pixels[n * 144 + y * 12 + x] = lit ? 200 + ((n * 7 + x) % 50) : (n * 13 + y) % 40;
      }
    }
  }
  return { count, width: 12, height: 12, channels: 1, pixels, labels };
}

const small = { inputHeight: 12, inputWidth: 12, filters: [4, 8] };

describe('ConvEncoder', () => {
  it('gives a [B, h, w, D] feature map, its [B, h·w, D] memory and a [B, D] pooled vector', () => {
    const encoder = new ConvEncoder({ inputHeight: 28, inputWidth: 28 }, 3);
    expect(encoder.outputShape).toEqual([7, 7, 128]);
    expect(encoder.parameterCount).toBe(320 + 18_496 + 73_856);
    const out = encoder.encode(tf.zeros([2, 28, 28, 1]) as tf.Tensor4D);
    expect(out.featureMap.shape).toEqual([2, 7, 7, 128]);
    expect(out.memory.shape).toEqual([2, 49, 128]);
    expect(out.pooled.shape).toEqual([2, 128]);
    tf.dispose([out.featureMap, out.memory, out.pooled]);
    expect(thrown(() => encoder.featureMap(tf.zeros([1, 27, 28, 1]) as tf.Tensor4D), ShapeError).argument).toBe(
      'images',
    );
    expect(
      thrown(() => new ConvEncoder({ inputHeight: 2, inputWidth: 2, filters: [1, 1, 1] }), ConfigError).field,
    ).toBe('filters');
    encoder.dispose();
  });

  it('has conv gradients on this backend that match finite differences of the loss', () => {
    const encoder = new ConvEncoder({ inputHeight: 6, inputWidth: 6, filters: [2, 3] }, 5);
    const x = tf.randomUniform([2, 6, 6, 1], 0, 1, 'float32', 9) as tf.Tensor4D;
    const kernel = encoder.variables['encoder/conv2/kernel'] as tf.Variable;
    const lossOf = () => tf.tidy(() => tf.sum(tf.square(encoder.featureMap(x))) as tf.Scalar);
    const { grads } = tf.variableGrads(lossOf, [kernel]);
    const analytic = (grads[kernel.name] as tf.Tensor).dataSync();
    const values = kernel.dataSync().slice();
    const eps = 1e-2;
    for (const i of [0, 7, 20, 53]) {
      const at = (delta: number) => {
        const v = values.slice();
        v[i] = (v[i] as number) + delta;
        kernel.assign(tf.tensor(v, kernel.shape));
        return lossOf().dataSync()[0] as number;
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      expect(Math.abs(numeric - (analytic[i] as number))).toBeLessThan(2e-2 * Math.max(1, Math.abs(numeric)));
    }
    encoder.dispose();
  });
});

describe('ImageClassifier', () => {
  it('trains with the Trainer, frozen-encoder and lower-LR groups work, and a checkpoint round-trips', async () => {
    const data = halves();
    const model = new ImageClassifier({ encoder: small, numClasses: 2 }, 1);
    const batch: ImageBatch = new ImageBatcher(data, { batchSize: 8, seed: 1 }).next();
    const before = model.loss(batch).loss.dataSync()[0] as number;
    const trainer = new Trainer(model, {
      optimizer: { type: 'adam', learningRate: 0.02 },
      maxSteps: 25,
      seed: 1,
      progressBar: false,
    });
    await trainer.fit(new ImageBatcher(data, { batchSize: 8, seed: 1 }));
    const after = tf.tidy(() => model.loss(batch).loss.dataSync()[0] as number);
    expect(after).toBeLessThan(before * 0.5);
    expect(model.accuracy(data)).toBe(1);
    trainer.dispose();

    // Frozen encoder: only the head moves.
    const kernelBefore = (model.variables['encoder/conv1/kernel'] as tf.Variable).dataSync().slice();
    const headBefore = (model.variables['head/kernel'] as tf.Variable).dataSync().slice();
    const frozen = new Trainer(model, {
      optimizer: { type: 'sgd', learningRate: 0.5 },
      maxSteps: 2,
      freeze: ['encoder/**'],
      progressBar: false,
    });
    await frozen.fit(new ImageBatcher(data, { batchSize: 8, seed: 2 }));
    expect([...(model.variables['encoder/conv1/kernel'] as tf.Variable).dataSync()]).toEqual([...kernelBefore]);
    expect([...(model.variables['head/kernel'] as tf.Variable).dataSync()]).not.toEqual([...headBefore]);
    frozen.dispose();
    // Fine-tuning at a tenth of the rate: the trainer's learning-rate groups.
    const tuned = new Trainer(model, {
      optimizer: { type: 'sgd', learningRate: 0.5 },
      maxSteps: 1,
      learningRateGroups: [{ match: 'encoder/**', factor: 0.1 }],
      progressBar: false,
    });
    expect(tuned.learningRate('encoder/conv1/kernel')).toBeCloseTo(0.05, 8);
    expect(tuned.learningRate('head/kernel')).toBeCloseTo(0.5, 8);
    tuned.dispose();

    const dir = mkdtempSync(join(tmpdir(), 'vision-classifier-'));
    await model.save(join(dir, 'model.seqgen'), { note: 'test' });
    const loaded = await ImageClassifier.load(join(dir, 'model.seqgen'));
    expect(loaded.getConfig()).toEqual(model.getConfig());
    expect([...loaded.predict(batch)]).toEqual([...model.predict(batch)]);
    loaded.dispose();
    model.dispose();
  });
});
