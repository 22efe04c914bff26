import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CheckpointError,
  ConfigError,
  initBackend,
  loadCheckpoint,
  registerConfigType,
  type Tokenizer,
  unregisterConfigType,
} from '@seqgen/core';
import { CharTokenizer, WordTokenizer } from '@seqgen/tokenizers';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel, saveModel } from './checkpoint-io.js';
import { modelFromCheckpoint } from './model-registry.js';
import { RecurrentLanguageModel } from './recurrent-lm.js';

/** The checkpoint apps/text ships, written in checkpoint format version 1 (one `tokenizer` slot). */
/** apps/text's shipped Moby-Dick char-LSTM as it was in format version 1 (1 × 256; the app now ships a newer one). */
const V1_CHECKPOINT = fileURLToPath(new URL('./test-fixtures/moby-char-lstm-v1', import.meta.url));

let dir: string;
beforeAll(async () => {
  await initBackend();
  dir = mkdtempSync(join(tmpdir(), 'seqgen-checkpoint-io-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('saveModel / loadModel: named preprocessors', () => {
  it('loads the shipped version-1 checkpoint: its tokenizer becomes the `tokenizer` preprocessor', async () => {
    const raw = await loadCheckpoint(V1_CHECKPOINT);
    expect(raw.manifest.formatVersion).toBe(1);
    const { model, tokenizer, preprocessors, metadata } = await RecurrentLanguageModel.load(V1_CHECKPOINT);
    try {
      expect(model.getConfig()).toMatchObject({ type: 'recurrent-lm', cell: 'lstm', vocabSize: 84, hiddenSize: 256 });
      expect(tokenizer).toBeInstanceOf(CharTokenizer);
      expect(Object.keys(preprocessors)).toEqual(['tokenizer']);
      expect(preprocessors.tokenizer).toBe(tokenizer);
      expect(metadata.corpus).toBeDefined();
      const text = 'Call me Ishmael. Some years ago';
      const ids = (tokenizer as CharTokenizer).encode(text);
      expect(ids.length).toBe(text.length);
      expect((tokenizer as CharTokenizer).decode(ids)).toBe(text);
      // The weights are the trained ones: a forward pass is finite and prefers plausible next characters.
      const input = tf.tensor2d([ids], undefined, 'int32');
      const { logits, state } = model.forward(input);
      const values = await logits.data();
      expect(logits.shape).toEqual([1, ids.length, 84]);
      expect(values.every(Number.isFinite)).toBe(true);
      const loss = model.sequenceLoss(
        tf.tensor2d([ids.slice(0, -1)], undefined, 'int32'),
        tf.tensor2d([ids.slice(1)], undefined, 'int32'),
      ).loss;
      // Uniform guessing over 84 tokens is ln 84 ≈ 4.43 nats; the trained model does far better.
      expect((await loss.data())[0]).toBeLessThan(3);
      tf.dispose([input, logits, ...state, loss]);
    } finally {
      model.dispose();
    }
  });

  it('writes preprocessors by name and rebuilds each through the registry', async () => {
    const model = new RecurrentLanguageModel({ vocabSize: 6, embeddingSize: 3, hiddenSize: 4 });
    const target = CharTokenizer.fromText('abc', { specialTokens: ['<pad>', '<unk>', '<eos>'] });
    const source = WordTokenizer.train('the whale the sea');
    const path = join(dir, 'named');
    const manifest = await saveModel(path, model, {
      preprocessors: { tokenizer: target, source: source.toJSON() },
      metadata: { note: 'two codecs' },
    });
    expect(manifest.preprocessors).toEqual({ tokenizer: target.toJSON(), source: source.toJSON() });
    const loaded = await loadModel(path, (config) => RecurrentLanguageModel.fromConfig(config));
    expect(loaded.tokenizer).toBeInstanceOf(CharTokenizer);
    expect(loaded.preprocessors.source).toBeInstanceOf(WordTokenizer);
    expect((loaded.preprocessors.source as WordTokenizer).encode('the sea')).toEqual(source.encode('the sea'));
    expect(loaded.metadata).toEqual({ note: 'two codecs' });
    loaded.model.dispose();
    // The `tokenizer` option is shorthand for preprocessors.tokenizer; both at once is refused.
    await expect(
      saveModel(join(dir, 'twice'), model, { tokenizer: target, preprocessors: { tokenizer: target } }),
    ).rejects.toThrow(ConfigError);
    model.dispose();
  });

  it('rebuilds a codec type another package registered, and names one nobody registered', async () => {
    /** A third-party codec: notes of a scale ⇄ ids. */
    class ScaleCodec implements Tokenizer {
      readonly type = 'scale';
      readonly vocabSize = 7;
      encode(text: string) {
        return [...text].map((n) => 'CDEFGAB'.indexOf(n));
      }
      decode(ids: number[]) {
        return ids.map((i) => 'CDEFGAB'[i]).join('');
      }
      toJSON() {
        return { type: 'scale', version: 1 };
      }
    }
    const model = new RecurrentLanguageModel({ vocabSize: 7, embeddingSize: 2, hiddenSize: 2 });
    const path = join(dir, 'scale');
    registerConfigType('codec', 'scale', () => new ScaleCodec());
    try {
      await saveModel(path, model, { preprocessors: { events: new ScaleCodec() } });
      const loaded = await modelFromCheckpoint(path);
      expect(loaded.preprocessors.events).toBeInstanceOf(ScaleCodec);
      expect(loaded.preprocessors.events?.decode([0, 4, 6])).toBe('CGB');
      expect(loaded.tokenizer).toBeNull();
      loaded.model.dispose();
    } finally {
      unregisterConfigType('codec', 'scale');
    }
    const before = tf.memory().numTensors;
    await expect(modelFromCheckpoint(path)).rejects.toThrow(CheckpointError);
    await expect(modelFromCheckpoint(path)).rejects.toThrow(/preprocessor "events" has codec type "scale"/);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
