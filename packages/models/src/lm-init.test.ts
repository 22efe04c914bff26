import { ConfigError, initBackend } from '@seqgen/core';
import type * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConditionedLanguageModel } from './conditioned-lm/conditioned-lm.js';
import { RecurrentLanguageModel } from './recurrent-lm.js';

const values = (t: tf.Tensor) => Array.from(t.dataSync());
const maxAbs = (xs: number[]) => xs.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
const std = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
};

describe("the language models' init", () => {
  beforeAll(async () => {
    await initBackend();
  });

  it("defaults to 'seqgen': PyTorch's N(0, 1) embedding, Glorot / orthogonal cells and head, forget bias 1", () => {
    const H = 64;
    const model = new RecurrentLanguageModel({ vocabSize: 80, embeddingSize: 32, hiddenSize: H, seed: 1 });
    expect(model.getConfig().init).toBe('seqgen');
    expect(model.getConfig().forgetBias).toBe(1);
    const v = model.variables;
    expect(std(values(v.embedding!))).toBeGreaterThan(0.93);
    expect(std(values(v.embedding!))).toBeLessThan(1.07);
    expect(model.rnn.cellsOf(0)[0]?.getConfig().init).toBe('keras');
    const bias = values(v['rnn/layers.0/bias']!);
    expect(bias.every((b, j) => b === (j >= H && j < 2 * H ? 1 : 0))).toBe(true);
    expect(maxAbs(values(v['output/kernel']!))).toBeLessThanOrEqual(Math.sqrt(6 / (H + 80)));
    expect(values(v['output/bias']!).every((b) => b === 0)).toBe(true);
    model.dispose();
  });

  it("init 'pytorch': N(0, 1) embedding, ±1/√H cells and head, no forget bias unless given", () => {
    const V = 80;
    const H = 64;
    const model = new RecurrentLanguageModel({
      vocabSize: V,
      embeddingSize: 32,
      hiddenSize: H,
      init: 'pytorch',
      seed: 1,
    });
    expect(model.getConfig().forgetBias).toBe(0);
    const v = model.variables;
    expect(std(values(v.embedding!))).toBeGreaterThan(0.93);
    const k = 1 / Math.sqrt(H);
    for (const name of ['rnn/layers.0/kernel', 'rnn/layers.0/recurrentKernel', 'output/kernel', 'output/bias']) {
      expect(maxAbs(values(v[name]!))).toBeLessThanOrEqual(k);
      expect(maxAbs(values(v[name]!))).toBeGreaterThan(0.9 * k);
    }
    // The summed b_ih + b_hh draw, forget gate included, spans ±2/√H.
    expect(maxAbs(values(v['rnn/layers.0/bias']!))).toBeLessThanOrEqual(2 * k);
    expect(maxAbs(values(v['rnn/layers.0/bias']!))).toBeGreaterThan(k);
    const shifted = new RecurrentLanguageModel({
      vocabSize: V,
      embeddingSize: 32,
      hiddenSize: H,
      init: 'pytorch',
      forgetBias: 1,
      seed: 1,
    });
    const forget = values(shifted.variables['rnn/layers.0/bias']!).slice(H, 2 * H);
    expect(Math.min(...forget)).toBeGreaterThanOrEqual(1 - 2 * k);
    shifted.dispose();
    expect(model.rnn.cellsOf(0)[0]?.getConfig().init).toBe('pytorch');
    model.dispose();
  });

  it("init 'keras' keeps seqgen's earlier draw: U(±0.1) embedding, zero biases but the forget gate's", () => {
    const H = 16;
    const model = new RecurrentLanguageModel({ vocabSize: 30, embeddingSize: 8, hiddenSize: H, init: 'keras' });
    expect(model.getConfig().forgetBias).toBe(1);
    const v = model.variables;
    expect(maxAbs(values(v.embedding!))).toBeLessThanOrEqual(0.1);
    expect(values(v['output/bias']!).every((b) => b === 0)).toBe(true);
    const bias = values(v['rnn/layers.0/bias']!);
    expect(bias.every((b, j) => b === (j >= H && j < 2 * H ? 1 : 0))).toBe(true);
    expect(model.rnn.cellsOf(0)[0]?.getConfig().init).toBe('keras');
    model.dispose();
  });

  it('a tied embedding is drawn as the linear head it also is, so the untrained loss starts near ln(V)', async () => {
    const E = 16;
    const V = 40;
    for (const init of ['seqgen', 'pytorch', 'keras'] as const) {
      const model = new RecurrentLanguageModel({
        vocabSize: V,
        embeddingSize: E,
        hiddenSize: E,
        tieWeights: true,
        init,
        seed: 2,
      });
      if (init !== 'keras') expect(maxAbs(values(model.variables.embedding!))).toBeLessThanOrEqual(1 / Math.sqrt(E));
      const ids = Array.from({ length: 4 * 12 }, (_, i) => (i * 7) % V);
      const targets = Array.from({ length: 4 * 12 }, (_, i) => (i * 7 + 3) % V);
      const out = model.loss({
        inputs: Int32Array.from(ids),
        targets: Int32Array.from(targets),
        batchSize: 4,
        seqLength: 12,
      });
      expect(Math.abs((await out.loss.data())[0]! - Math.log(V))).toBeLessThan(0.3);
      out.loss.dispose();
      for (const t of out.state) t.dispose();
      model.dispose();
    }
  });

  it('the conditioned language model follows the same init', () => {
    const model = new ConditionedLanguageModel({
      vocabSize: 20,
      embeddingSize: 24,
      hiddenSize: 8,
      conditionVocabSize: 30,
      conditionEmbeddingSize: 16,
      init: 'keras',
    });
    expect(maxAbs(values(model.variables.embedding!))).toBeLessThanOrEqual(0.1);
    expect(model.getConfig().init).toBe('keras');
    model.dispose();
  });

  it('an unknown init is a ConfigError naming init', () => {
    expect(
      () => new RecurrentLanguageModel({ vocabSize: 5, embeddingSize: 2, hiddenSize: 2, init: 'he' as never }),
    ).toThrow(ConfigError);
    expect(() =>
      RecurrentLanguageModel.fromConfig({
        type: 'recurrent-lm',
        vocabSize: 5,
        embeddingSize: 2,
        hiddenSize: 2,
        init: 1,
      }),
    ).toThrow(/init: must be "seqgen", "pytorch" or "keras", got 1/);
  });
});
