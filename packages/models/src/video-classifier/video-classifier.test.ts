import { CheckpointError, ConfigError, initBackend, Rng, ShapeError } from '@seqgen/core';
import { Trainer } from '@seqgen/trainer';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConvLstmForecaster } from '../forecaster/conv-lstm-forecaster.js';
import { modelFromCheckpoint, registeredModelTypes } from '../model-registry.js';
import type { ClipFeatureBatch } from './clip-feature-batch.js';
import { VideoClassifier } from './video-classifier.js';

const FRAMES = 6;
const SIZE = 10;

/**
 * A bump of activity moving one feature per frame, rightwards (class 0) or
 * leftwards (class 1), over the same stretch: the two classes visit the same
 * features, so their time-averaged features are the same and only the order
 * of the frames tells them apart.
 */
function movingBumps(rng: Rng, clips: number): ClipFeatureBatch {
  const features = new Float32Array(clips * FRAMES * SIZE);
  const labels: number[] = [];
  for (let b = 0; b < clips; b++) {
    const label = rng.int(2);
    const start = rng.int(SIZE - FRAMES + 1);
    for (let t = 0; t < FRAMES; t++) {
      const at = start + (label === 0 ? t : FRAMES - 1 - t);
      for (let i = 0; i < SIZE; i++) {
        features[(b * FRAMES + t) * SIZE + i] = (i === at ? 1 : 0) + 0.1 * (rng.float() - 0.5);
      }
    }
    labels.push(label);
  }
  return { shape: [clips, FRAMES, SIZE], features, labels };
}

async function trained(temporal: 'bidirectional-gru' | 'mean-pool', steps: number): Promise<VideoClassifier> {
  const model = new VideoClassifier({ featureSize: SIZE, classes: 2, units: 12, temporal, seed: 3 });
  const rng = new Rng(5);
  const trainer = new Trainer(
    model,
    { optimizer: { type: 'adam', learningRate: 0.03 }, maxSteps: steps, seed: 1, progressBar: false },
    [],
  );
  await trainer.fit({ next: () => movingBumps(rng, 32), getState: () => ({}), setState: () => {} });
  return model;
}

describe('VideoClassifier', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('learns the direction of motion, which the mean-pooled baseline cannot see', async () => {
    const held = [movingBumps(new Rng(99), 64)];
    const gru = await trained('bidirectional-gru', 40);
    const pooled = await trained('mean-pool', 40);
    const gruScore = await gru.evaluate(held);
    const pooledScore = await pooled.evaluate(held);
    expect(gruScore.examples).toBe(64);
    expect(gruScore.accuracy).toBeGreaterThan(0.95);
    expect(pooledScore.accuracy).toBeLessThan(0.75);
    gru.dispose();
    pooled.dispose();
  });

  it('gives probabilities and per-frame states of the documented shapes without leaking', () => {
    const model = new VideoClassifier({ featureSize: SIZE, classes: 3, units: 4 });
    const x = tf.randomUniform([2, FRAMES, SIZE]) as tf.Tensor3D;
    const before = tf.memory().numTensors;
    const p = model.probabilities(x);
    const states = model.frameStates(x);
    expect(p.shape).toEqual([2, 3]);
    expect(states.shape).toEqual([2, FRAMES, 8]);
    const sums = tf.sum(p, 1);
    for (const s of sums.dataSync()) expect(s).toBeCloseTo(1, 5);
    tf.dispose([p, states, sums]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    model.dispose();
  });

  it('saves and loads through its own load and the model registry', async () => {
    expect(registeredModelTypes()).toContain('video-classifier');
    const model = new VideoClassifier({ featureSize: SIZE, classes: 2, units: 4, classNames: ['right', 'left'] });
    const x = movingBumps(new Rng(1), 3);
    const features = tf.tensor3d(x.features, [3, FRAMES, SIZE]);
    const want = model.logits(features);
    const bytes = await model.toBytes();
    const loaded = await VideoClassifier.load(bytes);
    expect(loaded.model.getConfig().classNames).toEqual(['right', 'left']);
    const got = loaded.model.logits(features);
    expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
    const generic = await modelFromCheckpoint(bytes);
    expect((generic.model as VideoClassifier).config.temporal).toBe('bidirectional-gru');
    tf.dispose([features, want, got]);
    for (const m of [model, loaded.model, generic.model as VideoClassifier]) m.dispose();
  });

  it("refuses another model type's checkpoint with a CheckpointError", async () => {
    const other = new ConvLstmForecaster({ height: 4, width: 4, patchSize: 2, hiddenChannels: [2], kernelSize: 1 });
    await expect(VideoClassifier.load(await other.toBytes())).rejects.toThrow(CheckpointError);
    other.dispose();
  });

  it('names a bad option with a ConfigError', () => {
    expect(() => new VideoClassifier({ featureSize: 0, classes: 2 })).toThrow(/featureSize/);
    expect(() => new VideoClassifier({ featureSize: 4, classes: 1 })).toThrow(ConfigError);
    expect(() => new VideoClassifier({ featureSize: 4, classes: 2, temporal: 'lstm' as never })).toThrow(/temporal/);
    expect(() => new VideoClassifier({ featureSize: 4, classes: 2, classNames: ['a'] })).toThrow(/classNames/);
    expect(() => new VideoClassifier({ featureSize: 4, classes: 2, unit: 3 } as never)).toThrow(/unit/);
    expect(() =>
      VideoClassifier.weightShapes({ type: 'video-classifier', featureSize: 4, classes: 2, units: 1e9 }),
    ).toThrow(/units/);
  });

  it('names bad clips and labels with a ShapeError', () => {
    const model = new VideoClassifier({ featureSize: SIZE, classes: 2, units: 4 });
    const good = movingBumps(new Rng(2), 2);
    expect(() => model.loss({ ...good, shape: [2, FRAMES, SIZE + 1] })).toThrow(/batch.shape/);
    expect(() => model.loss({ ...good, features: good.features.subarray(1) })).toThrow(ShapeError);
    expect(() => model.loss({ ...good, labels: [0, 2] })).toThrow(/labels\[1\]/);
    expect(() => model.loss({ ...good, labels: [0] })).toThrow(/batch.labels/);
    const wrong = tf.zeros([1, FRAMES, 3]) as tf.Tensor3D;
    expect(() => model.logits(wrong)).toThrow(ShapeError);
    wrong.dispose();
    model.dispose();
    expect(() => model.logits(wrong)).toThrow(/disposed/);
  });
});
