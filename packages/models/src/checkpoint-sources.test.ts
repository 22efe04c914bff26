import { CheckpointError, initBackend } from '@seqgen/core';
import { CharTokenizer } from '@seqgen/tokenizers';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeModel, loadModel } from './checkpoint-io.js';
import { modelFromCheckpoint } from './model-registry.js';
import { RecurrentLanguageModel } from './recurrent-lm.js';

const tokenizer = CharTokenizer.fromText('abcdefgh', { specialTokens: [] });

function logitsOf(model: RecurrentLanguageModel): number[] {
  return tf.tidy(() => Array.from(model.forward(tf.tensor2d([[0, 3, 5, 1]], undefined, 'int32')).logits.dataSync()));
}

describe('language model checkpoints as bytes', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('toBytes → load from Uint8Array, ArrayBuffer and Blob gives the same logits, tokenizer and metadata', async () => {
    const model = new RecurrentLanguageModel({
      vocabSize: tokenizer.vocabSize,
      embeddingSize: 6,
      hiddenSize: 5,
      cell: 'gru',
      seed: 4,
    });
    const expected = logitsOf(model);
    const bytes = await model.toBytes({ tokenizer, metadata: { note: 'bytes' } });
    expect(await encodeModel(model, { tokenizer })).toBeInstanceOf(Uint8Array);
    for (const source of [bytes, bytes.slice().buffer, new Blob([bytes])]) {
      const loaded = await RecurrentLanguageModel.load(source);
      expect(logitsOf(loaded.model)).toEqual(expected);
      expect(loaded.tokenizer?.decode(loaded.tokenizer.encode('hag'))).toBe('hag');
      expect(loaded.metadata).toEqual({ note: 'bytes' });
      loaded.model.dispose();
    }
    const any = await modelFromCheckpoint(bytes);
    expect(any.model).toBeInstanceOf(RecurrentLanguageModel);
    any.model.dispose();
    model.dispose();
  });

  it('names "(checkpoint bytes)" when bytes hold another model type or damaged weights', async () => {
    const model = new RecurrentLanguageModel({
      vocabSize: tokenizer.vocabSize,
      embeddingSize: 4,
      hiddenSize: 4,
      seed: 1,
    });
    const bytes = await model.toBytes({ tokenizer });
    const damaged = bytes.slice();
    damaged[damaged.byteLength - 1] = (damaged[damaged.byteLength - 1] as number) ^ 8;
    const error = await RecurrentLanguageModel.load(damaged).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as CheckpointError).reason).toBe('hash-mismatch');
    expect((error as Error).message).toContain('(checkpoint bytes)');
    const wrongType = await loadModel(
      bytes,
      () => model,
      {},
      () => ({ other: [1] }),
    ).catch((e: unknown) => e);
    expect((wrongType as CheckpointError).reason).toBe('invalid-weights');
    expect((wrongType as Error).message).toContain('(checkpoint bytes)');
    model.dispose();
  });
});
