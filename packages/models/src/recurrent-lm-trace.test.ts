import { initBackend, ShapeError } from '@seqgen/core';
import { thrown } from '@seqgen/test-utils';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecurrentLanguageModel } from './recurrent-lm.js';

beforeAll(async () => {
  await initBackend();
});

describe('RecurrentLanguageModel.forward trace and inputEmbeddings (what @seqgen/interpret reads)', () => {
  const model = new RecurrentLanguageModel({ vocabSize: 7, embeddingSize: 4, hiddenSize: 5, numLayers: 2, seed: 3 });
  afterAll(() => model.dispose());
  const ids = () => tf.tensor2d([[1, 2, 3, 4, 5, 6]], [1, 6], 'int32');

  it('traces every layer per step, with the same logits as untraced and reset segments joined', () => {
    tf.tidy(() => {
      const plain = model.forward(ids());
      const traced = model.forward(ids(), { trace: true, resets: [0, 0, 0, 1, 0, 0] });
      const reset = model.forward(ids(), { resets: [0, 0, 0, 1, 0, 0] });
      expect(plain.trace).toBeUndefined();
      expect(traced.trace).toHaveLength(2);
      const top = traced.trace?.[1] as Record<string, tf.Tensor3D>;
      expect(Object.keys(top).sort()).toEqual(['c', 'f', 'g', 'h', 'i', 'o']);
      expect(top.h?.shape).toEqual([1, 6, 5]);
      expect(tf.max(tf.abs(tf.sub(traced.logits, reset.logits))).dataSync()[0]).toBeLessThan(1e-5);
      // A reset at step 3 makes the traced state differ from the unreset run there.
      const unreset = model.forward(ids(), { trace: true }).trace?.[1]?.h as tf.Tensor3D;
      expect(tf.max(tf.abs(tf.sub(top.h as tf.Tensor, unreset))).dataSync()[0]).toBeGreaterThan(1e-4);
    });
  });

  it('runs on given input embeddings: the looked-up rows give the same logits, zeros give others', () => {
    tf.tidy(() => {
      const rows = tf.expandDims(
        tf.gather(model.variables.embedding as tf.Tensor2D, [1, 2, 3, 4, 5, 6]),
        0,
      ) as tf.Tensor3D;
      const same = model.forward(ids(), { inputEmbeddings: rows }).logits;
      const zeros = model.forward(ids(), { inputEmbeddings: tf.zerosLike(rows) }).logits;
      const plain = model.forward(ids()).logits;
      expect(tf.max(tf.abs(tf.sub(same, plain))).dataSync()[0]).toBeLessThan(1e-5);
      expect(tf.max(tf.abs(tf.sub(zeros, plain))).dataSync()[0]).toBeGreaterThan(1e-3);
    });
  });

  it('refuses input embeddings of the wrong shape with a ShapeError naming them', () => {
    const bad = tf.zeros([1, 6, 3]) as tf.Tensor3D;
    const error = thrown(() => model.forward(ids(), { inputEmbeddings: bad }), ShapeError);
    expect(error.message).toContain('inputEmbeddings must be float32 of shape [1, 6, 4], got float32 [1, 6, 3]');
    bad.dispose();
  });
});
