import { initBackend, Rng, ShapeError } from '@seqgen/core';
import { thrown } from '@seqgen/test-utils';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConditionedLanguageModel } from './conditioned-lm/conditioned-lm.js';
import { ConvLstmForecaster } from './forecaster/conv-lstm-forecaster.js';
import { Tacotron } from './tacotron/tacotron.js';

// What @seqgen/interpret reads of the music, speech and video models: the
// trace on gives the same outputs as off, plus every gate and state per step.

beforeAll(async () => {
  await initBackend();
});

const int2d = (rows: number[][]) => tf.tensor2d(rows, undefined, 'int32');
/** Largest absolute difference of two tensors (inside the caller's tidy). */
const gap = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number;

describe('ConditionedLanguageModel.forward trace and embeddings', () => {
  it('traces every layer per step with the logits of the untraced pass; given embeddings replace the lookups', () => {
    const model = new ConditionedLanguageModel({
      vocabSize: 6,
      conditionVocabSize: 4,
      embeddingSize: 5,
      conditionEmbeddingSize: 3,
      hiddenSize: 7,
      numLayers: 2,
      seed: 2,
    });
    tf.tidy(() => {
      const ids = int2d([[1, 5, 2, 0, 3]]);
      const conditions = int2d([[0, 3, 3, 1, 2]]);
      const plain = model.forward(ids, conditions);
      const traced = model.forward(ids, conditions, { trace: true });
      expect(plain.trace).toBeUndefined();
      expect(traced.trace).toHaveLength(2);
      expect(Object.keys(traced.trace?.[1] ?? {}).sort()).toEqual(['c', 'f', 'g', 'h', 'i', 'o']);
      expect(traced.trace?.[0]?.c?.shape).toEqual([1, 5, 7]);
      expect(gap(traced.logits, plain.logits)).toBeLessThan(1e-5);
      const v = model.variables;
      const rows = (table: tf.Variable, at: number[]) =>
        tf.expandDims(tf.gather(table as tf.Tensor2D, at), 0) as tf.Tensor3D;
      const same = model.forward(ids, conditions, {
        inputEmbeddings: rows(v.embedding as tf.Variable, [1, 5, 2, 0, 3]),
        conditionEmbeddings: rows(v.conditionEmbedding as tf.Variable, [0, 3, 3, 1, 2]),
      });
      expect(gap(same.logits, plain.logits)).toBeLessThan(1e-5);
      const silent = model.forward(ids, conditions, { conditionEmbeddings: tf.zeros([1, 5, 3]) as tf.Tensor3D });
      expect(gap(silent.logits, plain.logits)).toBeGreaterThan(1e-4);
    });
    const bad = tf.zeros([1, 5, 4]) as tf.Tensor3D;
    const ids = int2d([[1, 2, 2, 0, 3]]);
    const error = thrown(() => model.forward(ids, ids, { conditionEmbeddings: bad }), ShapeError);
    expect(error.message).toContain('conditionEmbeddings must be float32 of shape [1, 5, 3]');
    tf.dispose([bad, ids]);
    model.dispose();
  });
});

describe('Tacotron.forward trace', () => {
  it('traces each decoder LSTM layer per decoder step, with the untraced alignment and frames', () => {
    const model = Tacotron.create({
      vocabSize: 6,
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
      decoderLayers: 2,
      postnetLayers: 1,
      postnetChannels: 4,
      prenetDropout: 0,
      seed: 3,
    });
    tf.tidy(() => {
      const ids = int2d([[1, 2, 3]]);
      const rng = new Rng(5);
      const mels = tf.tensor3d(
        Float32Array.from({ length: 8 * 4 }, () => rng.float()),
        [1, 8, 4],
      );
      const plain = model.forward(ids, [3], mels, [8]);
      const traced = model.forward(ids, [3], mels, [8], { trace: true });
      expect(plain.trace).toBeUndefined();
      expect(traced.trace).toHaveLength(2);
      expect(Object.keys(traced.trace?.[0] ?? {}).sort()).toEqual(['c', 'f', 'g', 'h', 'i', 'o']);
      expect(traced.trace?.[1]?.h?.shape).toEqual([1, 4, 6]);
      expect(gap(traced.alignment, plain.alignment)).toBeLessThan(1e-5);
      expect(gap(traced.melAfter, plain.melAfter)).toBeLessThan(1e-5);
      expect(gap(traced.stopLogits, plain.stopLogits)).toBeLessThan(1e-5);
    });
    model.dispose();
  });
});

describe('ConvLstmForecaster.forward', () => {
  it('predicts the next frame after each frame, as predict does, and traces the state maps of every layer', () => {
    const model = new ConvLstmForecaster({
      height: 4,
      width: 4,
      patchSize: 2,
      hiddenChannels: [3, 2],
      kernelSize: 3,
      contextFrames: 2,
      seed: 3,
    });
    tf.tidy(() => {
      const rng = new Rng(9);
      const frames = tf.tensor5d(
        Float32Array.from({ length: 3 * 16 }, () => rng.float()),
        [1, 3, 4, 4, 1],
      );
      const plain = model.forward(frames);
      const traced = model.forward(frames, { trace: true });
      expect(plain.trace).toBeUndefined();
      expect(plain.predictions.shape).toEqual([1, 3, 4, 4, 1]);
      // The prediction after the last frame is predict's first frame.
      const next = model.predict(frames, 1);
      expect(gap(tf.slice(plain.predictions, [0, 2], [1, 1]), next)).toBeLessThan(1e-5);
      expect(gap(traced.predictions, plain.predictions)).toBeLessThan(1e-6);
      expect(traced.trace).toHaveLength(2);
      expect(Object.keys(traced.trace?.[0] ?? {}).sort()).toEqual(['c', 'f', 'g', 'h', 'i', 'o']);
      expect(traced.trace?.[1]?.c?.shape).toEqual([1, 3, 2, 2, 2]);
      const bad = tf.zeros([1, 3, 4, 4]);
      expect(thrown(() => model.forward(bad as tf.Tensor5D), ShapeError).message).toContain('frames');
    });
    model.dispose();
  });
});
