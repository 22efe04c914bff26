import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointError, ConfigError, initBackend, type JsonObject, NonFiniteError } from '@seqgen/core';
import { RecurrentLanguageModel } from '@seqgen/models';
import { CharTokenizer } from '@seqgen/tokenizers';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StateDictMismatchError } from './state-dict-mismatch.js';
import {
  exportTorchModel,
  importTorchModel,
  readTorchModel,
  saveTorchModel,
  torchModelToCheckpoint,
} from './torch-model.js';

const dir = mkdtempSync(join(tmpdir(), 'seqgen-torch-model-'));
beforeAll(() => initBackend());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LSTM = { vocabSize: 9, embeddingSize: 4, hiddenSize: 5, numLayers: 2, seed: 1 } as const;

describe('exportTorchModel / importTorchModel', () => {
  it('names the weights as PyTorch does and brings the same model back', async () => {
    const model = new RecurrentLanguageModel(LSTM);
    const exported = exportTorchModel(model);
    expect(Object.fromEntries(Object.entries(exported.stateDict).map(([k, v]) => [k, v.shape]))).toEqual({
      'embedding.weight': [9, 4],
      'rnn.weight_ih_l0': [20, 4],
      'rnn.weight_hh_l0': [20, 5],
      'rnn.bias_ih_l0': [20],
      'rnn.bias_hh_l0': [20],
      'rnn.weight_ih_l1': [20, 5],
      'rnn.weight_hh_l1': [20, 5],
      'rnn.bias_ih_l1': [20],
      'rnn.bias_hh_l1': [20],
      'head.weight': [9, 5],
      'head.bias': [9],
    });
    const tokenizer = { type: 'char', version: 1, vocab: ['a'] };
    saveTorchModel(model, join(dir, 'lstm'), { tokenizer });
    expect(readTorchModel(join(dir, 'lstm')).config).toMatchObject({ format: 'seqgen-torch', version: 1, tokenizer });
    const back = importTorchModel(join(dir, 'lstm')).model as RecurrentLanguageModel;
    const ids = tf.tensor2d([[1, 2, 3, 8]], undefined, 'int32');
    const a = model.forward(ids).logits.dataSync();
    const b = back.forward(ids).logits.dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
    model.dispose();
    back.dispose();
  });

  it('refuses a state dict of another architecture, listing every missing, unexpected and mis-shaped name', () => {
    const gru = new RecurrentLanguageModel({ ...LSTM, cell: 'gru', numLayers: 1, hiddenSize: 6 });
    const { stateDict } = exportTorchModel(gru);
    gru.dispose();
    const config = exportTorchModel(new RecurrentLanguageModel(LSTM)).config;
    let error: unknown;
    try {
      importTorchModel({ config, stateDict });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StateDictMismatchError);
    expect(error).toBeInstanceOf(CheckpointError);
    const mismatch = error as StateDictMismatchError;
    expect(mismatch.missing).toEqual(['rnn.weight_ih_l1', 'rnn.weight_hh_l1', 'rnn.bias_ih_l1', 'rnn.bias_hh_l1']);
    expect(mismatch.unexpected).toEqual([]);
    expect(mismatch.misshaped.map((m) => [m.name, m.expected, m.actual])).toEqual([
      ['rnn.weight_ih_l0', [20, 4], [18, 4]],
      ['rnn.weight_hh_l0', [20, 5], [18, 6]],
      ['rnn.bias_ih_l0', [20], [18]],
      ['rnn.bias_hh_l0', [20], [18]],
      ['head.weight', [9, 5], [9, 6]],
    ]);
    expect(mismatch.message).toContain('missing rnn.weight_ih_l1');
    expect(mismatch.message).toContain('mis-shaped rnn.weight_ih_l0 (expected [20,4], got [18,4])');
    // A renamed weight is both missing and unexpected.
    const renamed = Object.fromEntries(
      Object.entries(exportTorchModel(new RecurrentLanguageModel(LSTM)).stateDict).map(([k, v]) => [
        k === 'head.bias' ? 'decoder.bias' : k,
        v,
      ]),
    );
    expect(() => importTorchModel({ config, stateDict: renamed })).toThrow(
      /missing head\.bias; unexpected decoder\.bias/,
    );
  });

  it('refuses non-finite weights, unknown model types and configs PyTorch has no counterpart for', () => {
    const model = new RecurrentLanguageModel(LSTM);
    const exported = exportTorchModel(model);
    (exported.stateDict['head.bias'] as { data: Float32Array }).data[3] = Number.NaN;
    expect(() => importTorchModel(exported)).toThrow(NonFiniteError);
    expect(() =>
      importTorchModel({ ...exported, config: { ...exported.config, model: { type: 'seq2seq' } as never } }),
    ).toThrow(ConfigError);
    model.dispose();
    const normed = new RecurrentLanguageModel({ ...LSTM, layerNorm: true });
    expect(() => exportTorchModel(normed)).toThrow(/layerNorm/);
    normed.dispose();
  });

  it('reports a missing or foreign config.json as a CheckpointError naming it', () => {
    expect(() => readTorchModel(join(dir, 'nowhere'))).toThrow(/nowhere\/config\.json/);
    const foreign = join(dir, 'foreign');
    saveTorchModel(new RecurrentLanguageModel(LSTM), foreign);
    writeFileSync(join(foreign, 'config.json'), '{"architectures": ["GPT2"]}');
    expect(() => readTorchModel(foreign)).toThrow(/is not a seqgen-torch config/);
  });

  it('converts an exported folder into a seqgen checkpoint that loads with its tokenizer', async () => {
    const tokenizer = CharTokenizer.fromText('abba').toJSON() as JsonObject;
    const model = new RecurrentLanguageModel({ ...LSTM, vocabSize: CharTokenizer.fromText('abba').vocabSize });
    saveTorchModel(model, join(dir, 'small'), { tokenizer });
    await torchModelToCheckpoint(join(dir, 'small'), join(dir, 'checkpoint'), { metadata: { from: 'torch' } });
    const loaded = await RecurrentLanguageModel.load(join(dir, 'checkpoint'));
    expect(loaded.metadata).toMatchObject({ from: 'torch' });
    expect(loaded.model.getConfig()).toEqual(model.getConfig());
    expect(loaded.tokenizer?.encode('ab')).toEqual(CharTokenizer.fromText('abba').encode('ab'));
    loaded.model.dispose();
    model.dispose();
  });
});
