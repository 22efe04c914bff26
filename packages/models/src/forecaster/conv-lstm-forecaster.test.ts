import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CheckpointError,
  ConfigError,
  encodeCheckpoint,
  initBackend,
  type ModelConfig,
  Rng,
  ShapeError,
} from '@seqgen/core';
import { generateFrames } from '@seqgen/samplers';
import { checkGradient, maxAbsDiff, rejected, thrown } from '@seqgen/test-utils';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelFromCheckpoint } from '../model-registry.js';
import { ConvLstmForecaster } from './conv-lstm-forecaster.js';
import type { ForecastBatch } from './forecast-batch.js';
import { type ConvLstmForecasterOptions, DEFAULT_CONV_LSTM_FORECASTER_CONFIG } from './forecaster-config.js';

const TINY: ConvLstmForecasterOptions = {
  height: 4,
  width: 4,
  patchSize: 2,
  hiddenChannels: [3, 2],
  kernelSize: 3,
  contextFrames: 2,
  seed: 3,
};

/** Seeded frames in [0, 1]. */
function randomBatch(seed: number, shape: [number, number, number, number, number]): ForecastBatch {
  const rng = new Rng(seed);
  return { shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.float()) };
}

describe('ConvLstmForecaster', () => {
  let dir: string;
  beforeAll(async () => {
    await initBackend();
    dir = mkdtempSync(join(tmpdir(), 'seqgen-forecaster-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("gives the loss's exact gradient through the patches, the layers and the rolled-out frames (finite differences)", async () => {
    // 2 context frames, then 2 frames fed the model's own predictions.
    const model = new ConvLstmForecaster({ ...TINY, outputActivation: 'linear' });
    const batch = randomBatch(1, [2, 4, 4, 4, 1]);
    const variables = model.variables;
    const { grads } = tf.variableGrads(() => model.loss(batch).loss, Object.values(variables));
    for (const [name, v] of Object.entries(variables)) {
      const r = await checkGradient(() => model.loss(batch).loss, v, grads[v.name] as tf.Tensor, {
        maxEntries: 3,
        step: 5e-2,
        atol: 5e-3,
      });
      expect(r.ratio, `${name}: ${r.worst}`).toBeLessThanOrEqual(1);
    }
    tf.dispose(Object.values(grads));
    model.dispose();
  });

  it('rolls out the same frames through predict and, frame by frame, through samplers generateFrames', async () => {
    const model = new ConvLstmForecaster(TINY);
    const batch = randomBatch(2, [2, 3, 4, 4, 1]);
    const context = tf.tensor5d(batch.data, batch.shape as [number, number, number, number, number]);
    const before = tf.memory().numTensors;
    const predicted = model.predict(context, 4);
    expect(predicted.shape).toEqual([2, 4, 4, 4, 1]);
    expect(tf.memory().numTensors).toBe(before + 1);
    const per = 16;
    const primer = [0, 1].map((b) =>
      [0, 1, 2].map((t) => batch.data.subarray((b * 3 + t) * per, (b * 3 + t + 1) * per)),
    );
    const generated = await generateFrames(model, { primer, maxLength: 4 });
    expect(tf.memory().numTensors).toBe(before + 1);
    const values = await predicted.data();
    generated.forEach((row, b) => {
      expect(row.frames).toHaveLength(4);
      row.frames.forEach((frame, k) => {
        const expected = values.subarray((b * 4 + k) * per, (b * 4 + k + 1) * per);
        for (const [i, v] of frame.entries()) expect(v).toBeCloseTo(expected[i] as number, 5);
      });
    });
    // Sigmoid head: pixels in (0, 1).
    expect(Math.min(...values)).toBeGreaterThan(0);
    expect(Math.max(...values)).toBeLessThan(1);
    tf.dispose([context, predicted]);
    model.dispose();
  });

  it('with scheduled sampling, feeds rolled-out positions the true frame at the trainer ratio', async () => {
    const batch = randomBatch(5, [2, 4, 4, 4, 1]);
    const sampled = new ConvLstmForecaster({ ...TINY, scheduledSampling: true });
    // Same weights, every position teacher-forced: the loss of ratio 1.
    const forced = new ConvLstmForecaster({ ...TINY, contextFrames: 3 });
    const value = (m: ConvLstmForecaster, context: Parameters<ConvLstmForecaster['loss']>[2] = {}) =>
      tf.tidy(() => m.loss(batch, undefined, context).loss.dataSync()[0] as number);
    const rng = new Rng(1);
    expect(value(sampled, { training: true, teacherForcingRatio: 1, rng })).toBeCloseTo(value(forced), 6);
    expect(value(sampled, { training: true, teacherForcingRatio: 0, rng })).toBeCloseTo(value(sampled), 6);
    // Without it the rolled-out positions see the model's own (different) predictions.
    expect(Math.abs(value(sampled) - value(forced))).toBeGreaterThan(1e-6);
    sampled.dispose();
    forced.dispose();
  });

  it('round-trips through a checkpoint, and modelFromCheckpoint returns a forecaster', async () => {
    const model = new ConvLstmForecaster(TINY);
    const path = join(dir, 'forecaster');
    await model.save(path, { metadata: { note: 'tiny' } });
    const loaded = await modelFromCheckpoint(path);
    expect(loaded.model).toBeInstanceOf(ConvLstmForecaster);
    const copy = loaded.model as ConvLstmForecaster;
    expect(copy.getConfig()).toEqual(model.getConfig());
    expect(loaded.metadata).toEqual({ note: 'tiny' });
    const batch = randomBatch(4, [1, 2, 4, 4, 1]);
    const context = tf.tensor5d(batch.data, batch.shape as [number, number, number, number, number]);
    const [a, b] = [model.predict(context, 2), copy.predict(context, 2)];
    expect(await maxAbsDiff(a, b)).toBe(0);
    const fromBytes = await ConvLstmForecaster.load(await model.toBytes());
    expect(Object.keys(fromBytes.model.variables).sort()).toEqual(Object.keys(model.variables).sort());
    tf.dispose([context, a, b]);
    for (const m of [model, copy, fromBytes.model]) m.dispose();
  });

  it('refuses a checkpoint whose config disagrees with its weights, or is hostile, before building anything', async () => {
    const model = new ConvLstmForecaster(TINY);
    const bytesWith = (edit: Record<string, unknown>) =>
      encodeCheckpoint({ config: { ...model.getConfig(), ...edit } as ModelConfig, weights: model.variables });
    const before = tf.memory().numTensors;
    const wider = await rejected(modelFromCheckpoint(await bytesWith({ hiddenChannels: [3, 5] })), CheckpointError);
    expect(wider.message).toMatch(/layers\.1\/kernel.*has shape \[3,3,3,8\], the model needs \[3,3,3,20\]/);
    const huge = await rejected(
      modelFromCheckpoint(await bytesWith({ hiddenChannels: [65_536, 65_536] })),
      CheckpointError,
    );
    expect(huge.message).toMatch(/config\.config: asks for \d+ parameters/);
    const lm = await rejected(ConvLstmForecaster.load(await bytesWith({ type: 'recurrent-lm' })), CheckpointError);
    expect(lm.message).toMatch(/not "conv-lstm-forecaster"/);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('refuses hostile configs with a ConfigError naming the field', () => {
    const field = (options: Record<string, unknown>) =>
      thrown(() => new ConvLstmForecaster({ ...TINY, ...options } as ConvLstmForecasterOptions), ConfigError).field;
    expect(field({ height: 0 })).toBe('height');
    expect(field({ width: '8' })).toBe('width');
    expect(field({ patchSize: 3 })).toBe('patchSize');
    expect(field({ kernelSize: 4 })).toBe('kernelSize');
    expect(field({ hiddenChannels: [] })).toBe('hiddenChannels');
    expect(field({ hiddenChannels: [4, 2.5] })).toBe('hiddenChannels[1]');
    expect(field({ hiddenChannels: new Array(300).fill(1) })).toBe('hiddenChannels.length');
    expect(field({ outputActivation: 'relu' })).toBe('outputActivation');
    expect(field({ scheduledSampling: 1 })).toBe('scheduledSampling');
    expect(field({ contextFrames: -1 })).toBe('contextFrames');
    expect(field({ height: 1e9 })).toBe('height');
    expect(field({ dropout: 0.1 })).toBe('dropout');
    expect(field({ type: 'seq2seq' })).toBe('type');
    expect(field({ hiddenChannels: [60_000, 60_000] })).toBe('config');
    expect(thrown(() => ConvLstmForecaster.fromConfig({ type: 'recurrent-lm' }), ConfigError).field).toBe('type');
    // The defaults are OpenSTL's Moving MNIST ConvLSTM.
    expect(DEFAULT_CONV_LSTM_FORECASTER_CONFIG).toMatchObject({
      patchSize: 4,
      hiddenChannels: [64, 64, 64, 64],
      kernelSize: 5,
    });
    const weights = ConvLstmForecaster.weightShapes({ type: 'conv-lstm-forecaster', height: 64, width: 64 });
    expect(weights['layers.0/kernel']).toEqual([5, 5, 16, 256]);
    expect(weights['head/kernel']).toEqual([64, 16]);
  });

  it('refuses wrong-shaped frames and state with a ShapeError naming the argument', () => {
    const model = new ConvLstmForecaster(TINY);
    const loss = (batch: unknown) => thrown(() => model.loss(batch as ForecastBatch), ShapeError);
    expect(loss(randomBatch(1, [1, 4, 4, 8, 1])).message).toMatch(/frames of 4×4×1.*got 4×8×1/);
    expect(loss(randomBatch(1, [1, 2, 4, 4, 1])).message).toMatch(/at least 3 frames/);
    expect(loss({ shape: [1, 3, 4, 4, 1], data: new Float32Array(5) }).argument).toBe('batch.data');
    expect(loss({ shape: [1, 3, 4, 4], data: new Float32Array(48) }).argument).toBe('batch.shape');
    expect(thrown(() => model.predict(tf.zeros([1, 2, 4, 4, 2]) as tf.Tensor5D, 2), ShapeError).argument).toBe(
      'context',
    );
    expect(thrown(() => model.predict(tf.zeros([1, 2, 4, 4]) as unknown as tf.Tensor5D, 2), ShapeError).argument).toBe(
      'context',
    );
    const state = model.initialState(2);
    expect(thrown(() => model.step(tf.zeros([2, 15]) as tf.Tensor2D, state), ShapeError).argument).toBe('frames');
    expect(thrown(() => model.step(tf.zeros([3, 16]) as tf.Tensor2D, state), ShapeError).argument).toBe('state[0]');
    expect(thrown(() => model.step(tf.zeros([2, 16]) as tf.Tensor2D, state.slice(1)), ShapeError).argument).toBe(
      'state',
    );
    expect(thrown(() => model.initialState(1, {} as never), ConfigError).field).toBe('condition');
    tf.dispose(state);
    model.dispose();
    expect(thrown(() => model.predict(tf.zeros([1, 2, 4, 4, 1]) as tf.Tensor5D, 1), ConfigError).field).toBe('model');
  });
});
