import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointError, initBackend, loadCheckpoint, saveCheckpoint, TokenizerError } from '@seqgen/core';
import { CharTokenizer } from '@seqgen/tokenizers';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecurrentLanguageModel } from './recurrent-lm.js';

let dir: string;
const tokenizer = CharTokenizer.fromText('call me ishmael.', { specialTokens: [] });
const V = tokenizer.vocabSize;

beforeAll(async () => {
  await initBackend();
  dir = mkdtempSync(join(tmpdir(), 'seqgen-models-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('RecurrentLanguageModel checkpoints', () => {
  it.each(['folder', 'single.seqgen'])(
    'saves and loads (%s) to identical logits, tokenizer and metadata',
    async (name) => {
      const model = new RecurrentLanguageModel({
        vocabSize: V,
        embeddingSize: 6,
        hiddenSize: 6,
        numLayers: 2,
        cell: 'gru',
        tieWeights: true,
        seed: 21,
      });
      // Move the weights away from their seeded init so that a load that re-inits would be caught.
      for (const v of Object.values(model.variables)) tf.tidy(() => v.assign(tf.add(v, 0.01)));
      const path = join(dir, name);
      const manifest = await model.save(path, { tokenizer, metadata: { corpus: 'moby-dick' } });
      expect(manifest.weightsManifest[0]?.weights.map((w) => w.name)).toEqual(Object.keys(model.variables));

      const loaded = await RecurrentLanguageModel.load(path);
      expect(loaded.model.getConfig()).toEqual(model.getConfig());
      expect(loaded.metadata).toEqual({ corpus: 'moby-dick' });
      expect(loaded.tokenizer?.encode('ishmael')).toEqual(tokenizer.encode('ishmael'));
      const ids = tf.tensor2d([tokenizer.encode('call me'), tokenizer.encode('ishmael')], undefined, 'int32');
      const a = model.forward(ids).logits;
      const b = loaded.model.forward(ids).logits;
      expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
      tf.dispose([ids, a, b]);
      model.dispose();
      loaded.model.dispose();
    },
  );

  it('refuses a checkpoint of another model type', async () => {
    const path = join(dir, 'seq2seq');
    await saveCheckpoint(path, { config: { type: 'seq2seq' }, weights: {} });
    const error = await rejection(RecurrentLanguageModel.load(path));
    expect(error).toBeInstanceOf(CheckpointError);
    expect(error.message).toMatch(/holds a "seq2seq" model, not "recurrent-lm"/);
  });

  it('refuses a tokenizer whose vocabulary does not fit the model, when saving and when loading', async () => {
    const model = new RecurrentLanguageModel({ vocabSize: V + 1, embeddingSize: 4, hiddenSize: 4 });
    const saveError = await rejection(model.save(join(dir, 'never-written'), { tokenizer: tokenizer.toJSON() }));
    expect(saveError).toBeInstanceOf(TokenizerError);
    expect((saveError as TokenizerError).reason).toBe('vocab-mismatch');
    // A checkpoint written by other means, with a mismatched tokenizer.
    const path = join(dir, 'mismatch');
    await saveCheckpoint(path, {
      config: model.getConfig(),
      preprocessors: { tokenizer: tokenizer.toJSON() },
      weights: model.variables,
    });
    const before = tf.memory().numTensors;
    const loadError = await rejection(RecurrentLanguageModel.load(path));
    expect(loadError).toBeInstanceOf(TokenizerError);
    expect((loadError as TokenizerError).reason).toBe('vocab-mismatch');
    // The half-built model was disposed.
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('refuses weights that do not fit the config, naming the weight', async () => {
    const model = new RecurrentLanguageModel({ vocabSize: V, embeddingSize: 4, hiddenSize: 4 });
    const path = join(dir, 'bad-weights');
    const weights: Record<string, tf.Tensor> = { ...model.variables, embedding: tf.zeros([V, 5]) };
    await saveCheckpoint(path, { config: model.getConfig(), weights });
    const error = await rejection(RecurrentLanguageModel.load(path));
    expect(error).toBeInstanceOf(CheckpointError);
    expect(error.message).toMatch(/"embedding" has shape \[\d+,5\], the model needs \[\d+,4\]/);
    const { 'output/bias': _dropped, ...missing } = model.variables;
    await saveCheckpoint(join(dir, 'missing'), { config: model.getConfig(), weights: missing });
    expect((await rejection(RecurrentLanguageModel.load(join(dir, 'missing')))).message).toMatch(
      /lacks weight "output\/bias"/,
    );
    tf.dispose(weights.embedding);
    model.dispose();
  });

  it('loads a training checkpoint, skipping the trainer entries (@optimizer/…, @state/…)', async () => {
    const model = new RecurrentLanguageModel({ vocabSize: V, embeddingSize: 4, hiddenSize: 4 });
    const path = join(dir, 'trainer');
    const extra = tf.zeros([2, 4]);
    await saveCheckpoint(path, {
      config: model.getConfig(),
      weights: { ...model.variables, '@optimizer/embedding/m': extra, '@state/0': extra },
    });
    expect(Object.keys((await loadCheckpoint(path)).weights)).toContain('@state/0');
    const loaded = await RecurrentLanguageModel.load(path);
    expect(Object.keys(loaded.model.variables)).toEqual(Object.keys(model.variables));
    expect(loaded.tokenizer).toBeNull();
    loaded.model.dispose();
    model.dispose();
    extra.dispose();
  });
});
