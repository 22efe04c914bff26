import { ConfigError, initBackend, Rng, ShapeError } from '@seqgen/core';
import { ConvLstmForecaster, Tacotron } from '@seqgen/models';
import { thrown } from '@seqgen/test-utils';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameGradientTimesInput, frameIntegratedGradients } from './frame-saliency.js';
import { rankUnits } from './neuron-search.js';
import { unitActivations } from './sequence-trace.js';
import { speechFeatures } from './speech-features.js';
import { traceForecaster } from './trace-forecaster.js';
import { traceTacotron } from './trace-tacotron.js';

beforeAll(async () => {
  await initBackend();
});

describe('traceTacotron: the speech decoder per decoder step', () => {
  const model = Tacotron.create({
    vocabSize: 8,
    melBins: 4,
    reduction: 2,
    embeddingSize: 8,
    encoderConvLayers: 1,
    encoderUnits: 4,
    prenetUnits: 8,
    attentionUnits: 8,
    locationFilters: 2,
    locationKernel: 3,
    decoderUnits: 6,
    postnetLayers: 1,
    postnetChannels: 4,
    prenetDropout: 0,
    seed: 4,
  });
  afterAll(() => model.dispose());
  const rng = new Rng(2);
  const symbols = [1, 5, 2, 7, 3];
  const mel = Array.from({ length: 9 }, () => Float32Array.from({ length: 4 }, () => rng.float()));

  it('records the decoder LSTM gates, the alignment and the stop probability of every step', () => {
    const before = tf.memory().numTensors;
    const trace = traceTacotron(model, symbols, mel);
    expect(tf.memory().numTensors).toBe(before);
    expect(trace.steps).toBe(5); // 9 frames, 2 per step
    expect(trace.frames).toBe(9);
    expect(Object.keys(trace.layers[0]?.quantities ?? {}).sort()).toEqual(['c', 'f', 'g', 'h', 'i', 'o']);
    const q = trace.layers[0]?.quantities ?? {};
    for (let k = 0; k < 5 * 6; k++) {
      expect(q.h?.values[k]).toBeCloseTo((q.o?.values[k] as number) * Math.tanh(q.c?.values[k] as number), 5);
    }
    // The same alignment as the model's own teacher-forced pass.
    const expected = tf.tidy(() => {
      const padded = tf.tensor3d([...mel.flatMap((f) => Array.from(f)), 0, 0, 0, 0], [1, 10, 4]);
      return model.forward(tf.tensor2d([symbols], [1, 5], 'int32'), [5], padded, [9]).alignment.dataSync();
    });
    trace.alignment.forEach((w, k) => {
      expect(w).toBeCloseTo(expected[k] as number, 5);
    });
    for (let n = 0; n < 5; n++) {
      const row = trace.alignment.slice(n * 5, (n + 1) * 5).reduce((a, b) => a + b, 0);
      expect(row).toBeCloseTo(1, 5);
      expect(trace.stopProbabilities[n]).toBeGreaterThan(0);
      expect(trace.stopProbabilities[n]).toBeLessThan(1);
    }
    const features = speechFeatures(trace);
    expect(features['stop-probability']).toEqual(trace.stopProbabilities);
    expect(Math.min(...features['text-progress'])).toBeGreaterThanOrEqual(0);
    expect(Math.max(...features['text-progress'])).toBeLessThanOrEqual(1);
    expect(rankUnits(trace, features['text-progress'], { top: 2 })).toHaveLength(2);
  });

  it('refuses no symbols, no frames, frames of the wrong width and a model without tracing', () => {
    expect(thrown(() => traceTacotron(model, [], mel), ShapeError).message).toContain('ids must be at least one');
    expect(thrown(() => traceTacotron(model, symbols, []), ShapeError).message).toContain(
      'mel must be at least one mel frame',
    );
    expect(thrown(() => traceTacotron(model, symbols, [new Float32Array(3)]), ShapeError).message).toContain(
      'mel[0] must be 4 values (melBins), got 3',
    );
    const untraced = {
      vocabSize: 8,
      config: model.config,
      forward: (ids: tf.Tensor2D, lengths: readonly number[], mels: tf.Tensor3D, frames: readonly number[]) => {
        const { alignment, stopLogits } = model.forward(ids, lengths, mels, frames);
        return { alignment, stopLogits };
      },
    };
    expect(thrown(() => traceTacotron(untraced, symbols, mel), ConfigError).message).toContain('returned no trace');
  });
});

describe('traceForecaster and frame saliency: the video forecaster', () => {
  const model = new ConvLstmForecaster({
    height: 4,
    width: 4,
    patchSize: 2,
    hiddenChannels: [3, 2],
    kernelSize: 3,
    contextFrames: 2,
    seed: 3,
  });
  afterAll(() => model.dispose());
  const rng = new Rng(8);
  const frames = Array.from({ length: 4 }, () => Float32Array.from({ length: 16 }, () => rng.float()));

  it('records per-channel means of every gate and state, the full maps and the predictions', () => {
    const before = tf.memory().numTensors;
    const trace = traceForecaster(model, frames);
    expect(tf.memory().numTensors).toBe(before);
    expect(trace.steps).toBe(4);
    expect(trace.layers.map((l) => l.quantities.c?.size)).toEqual([3, 2]);
    const map = trace.maps[1]?.c;
    expect([map?.height, map?.width, map?.channels]).toEqual([2, 2, 2]);
    // A unit is a channel: its value is the mean of its map over the 2×2 grid.
    const channel1 = unitActivations(trace, { layer: 1, quantity: 'c', unit: 1 });
    for (let t = 0; t < 4; t++) {
      let sum = 0;
      for (let cell = 0; cell < 4; cell++) sum += map?.values[(t * 4 + cell) * 2 + 1] as number;
      expect(channel1[t]).toBeCloseTo(sum / 4, 5);
    }
    const predicted = tf.tidy(() =>
      model
        .predict(tf.tensor5d(Float32Array.from(frames.flatMap((f) => Array.from(f))), [1, 4, 4, 4, 1]), 1)
        .dataSync(),
    );
    trace.predictions[3]?.forEach((v, k) => {
      expect(v).toBeCloseTo(predicted[k] as number, 5);
    });
    expect(trace.predictionErrors).toHaveLength(3);
    expect(thrown(() => rankUnits(trace, [1, 2, 3]), ShapeError).message).toContain(
      'feature must be 4 values (one per traced step), got 3',
    );
  });

  it('integrated gradients over the frames are complete and see no frame after the explained one', () => {
    // A fresh head predicts ≈ 0.5 everywhere: make the frames matter as a trained model's do.
    const head = model.variables['head/kernel'] as tf.Variable;
    tf.tidy(() => head.assign(tf.mul(head, 10)));
    const before = tf.memory().numTensors;
    const ig = frameIntegratedGradients(model, frames, { position: 2 }, { steps: 32 });
    expect(tf.memory().numTensors).toBe(before);
    const difference = ig.output - ig.baselineOutput;
    expect(Math.abs(difference)).toBeGreaterThan(1e-3);
    expect(Math.abs(ig.completenessGap)).toBeLessThan(0.01 * Math.abs(difference) + 1e-5);
    expect(ig.attributions[3]).toBe(0);
    expect(ig.pixelAttributions[0]).toHaveLength(16);
    const region = Float32Array.from({ length: 16 }, (_, k) => (k < 4 ? 1 : 0));
    const gi = frameGradientTimesInput(model, frames, { position: 2, pixels: region });
    expect(gi.attributions).toHaveLength(4);
    expect(gi.attributions[3]).toBe(0);
  });

  it('refuses no frames, frames of the wrong size, a bad target and a model without tracing', () => {
    expect(thrown(() => traceForecaster(model, []), ShapeError).message).toContain('frames must be at least one frame');
    expect(thrown(() => traceForecaster(model, [new Float32Array(15)]), ShapeError).message).toContain(
      'frames[0] must be 16 values',
    );
    expect(thrown(() => frameIntegratedGradients(model, frames, { position: 4 }), ShapeError).message).toContain(
      'target.position must be an integer in [0, 4)',
    );
    expect(
      thrown(() => frameGradientTimesInput(model, frames, { position: 1, pixels: [1] }), ShapeError).message,
    ).toContain('target.pixels must be 16 weights');
    const untraced = {
      frameSize: 16,
      config: model.config,
      forward: (x: tf.Tensor5D) => ({ predictions: model.forward(x).predictions }),
    };
    expect(thrown(() => traceForecaster(untraced, frames), ConfigError).message).toContain('returned no trace');
  });
});
