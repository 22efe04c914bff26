import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointError, ConfigError, initBackend, Rng, ShapeError, saveCheckpoint } from '@seqgen/core';
import { CharTokenizer } from '@seqgen/tokenizers';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelFromCheckpoint, modelFromConfig } from '../model-registry.js';
import { alignmentQuality, stopTokenAccuracy } from './alignment-metrics.js';
import { guidedAttentionWeights } from './guided-attention.js';
import { Tacotron } from './tacotron.js';
import { tacotronBatches } from './tacotron-batches.js';
import { resolveTacotronConfig, type TacotronOptions } from './tacotron-config.js';

const base: TacotronOptions = {
  vocabSize: 6,
  melBins: 4,
  embeddingSize: 8,
  encoderConvLayers: 1,
  encoderUnits: 4,
  prenetUnits: 8,
  attentionUnits: 8,
  locationFilters: 2,
  locationKernel: 3,
  decoderUnits: 8,
  postnetLayers: 2,
  postnetChannels: 4,
};
let dir: string;

beforeAll(async () => {
  await initBackend();
  dir = mkdtempSync(join(tmpdir(), 'tacotron-config-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('Tacotron config, checkpoints and metrics', () => {
  it('fills defaults, its weight shapes are its variables, and a checkpoint round-trips with its symbol table', async () => {
    const config = resolveTacotronConfig(base);
    expect(config).toMatchObject({ type: 'tacotron', reduction: 2, melLoss: 'l1', guidedAttentionSigma: 0.2 });
    const model = modelFromConfig(config) as Tacotron;
    expect(model).toBeInstanceOf(Tacotron);
    expect(model.frameSize).toBe(8);
    const shapes = Object.fromEntries(Object.entries(model.variables).map(([k, v]) => [k, v.shape]));
    expect(shapes).toEqual(Tacotron.weightShapes(model.getConfig()));

    // Padding changes nothing: a padded batch encodes each text as it encodes alone.
    const alone = model.encode([[1, 2]]);
    const padded = model.encode([
      [1, 2],
      [3, 4, 5, 1],
    ]);
    const a = (await alone.memory.array())[0]!;
    const p = (await padded.memory.array())[0]!.slice(0, 2);
    expect(Math.max(...a.flat().map((v, i) => Math.abs(v - p.flat()[i]!)))).toBeLessThan(1e-5);
    tf.dispose([alone.memory, alone.mask, padded.memory, padded.mask]);

    const symbols = CharTokenizer.fromText('_abcde', { specialTokens: [] });
    const path = join(dir, 'tts');
    await model.save(path, { tokenizer: symbols, metadata: { corpus: 'synthetic' } });
    const loaded = await Tacotron.load(path);
    expect(loaded.model.getConfig()).toEqual(model.getConfig());
    expect(loaded.tokenizer?.encode('abc')).toEqual(symbols.encode('abc'));
    expect(loaded.metadata).toEqual({ corpus: 'synthetic' });
    const batch = tacotronBatches(
      [
        {
          ids: [1, 2, 3],
          mel: [
            [0, 1, 0, 1],
            [1, 0, 1, 0],
            [0.5, 0.5, 0.5, 0.5],
          ],
        },
      ],
      {
        batchSize: 1,
        reduction: 2,
        melBins: 4,
      },
    );
    // The same weights: the same loss under the same dropout draws (the pre-net's stays on in evaluation).
    const before = model.loss(batch[0]!, undefined, { rng: new Rng(5) }).loss;
    const after = loaded.model.loss(batch[0]!, undefined, { rng: new Rng(5) }).loss;
    expect(before.dataSync()[0]).toBeGreaterThan(0);
    expect(after.dataSync()[0]).toBe(before.dataSync()[0]);
    const generic = await modelFromCheckpoint(path);
    expect(generic.model).toBeInstanceOf(Tacotron);
    tf.dispose([before, after]);
    generic.model.dispose();
    loaded.model.dispose();

    // A symbol table of the wrong size is refused.
    await expect(
      model.save(join(dir, 'bad'), { tokenizer: CharTokenizer.fromText('abc', { specialTokens: [] }) }),
    ).rejects.toThrow(/has 3 tokens but the model/);
    model.dispose();
  });

  it('refuses hostile or mistyped configs with a ConfigError naming the field, before allocating', async () => {
    const before = tf.memory().numTensors;
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ melBins: '80' }, /melBins: must be a positive integer/],
      [{ decoderUnits: 1e9 }, /decoderUnits: must be at most 65536/],
      [{ vocabSize: 2 ** 30 }, /vocabSize: must be at most/],
      [{ reduction: 0 }, /reduction: must be a positive integer/],
      [{ reduction: 1000 }, /reduction: must be at most 64/],
      [{ decoderLayers: 5000 }, /decoderLayers: must be at most 1024/],
      [{ postnetLayers: -1 }, /postnetLayers: must be a non-negative integer/],
      [{ locationKernel: 4 }, /locationKernel: must be odd/],
      [{ decoderUnits: 20000, prenetUnits: 20000 }, /config: asks for \d+ parameters/],
      [{ prenetDropout: 1 }, /prenetDropout: must be a number in \[0, 1\)/],
      [{ melLoss: 'l2' }, /melLoss: must be "l1" or "mse"/],
      [{ guidedAttentionSigma: 0 }, /guidedAttentionSigma/],
      [{ stopWeight: Number.NaN }, /stopWeight/],
      [{ maxFramesPerSymbol: Number.POSITIVE_INFINITY }, /maxFramesPerSymbol/],
      [{ padId: 6 }, /padId: must be a symbol id in \[0, 6\)/],
      [{ prenetDropoutAtInference: 'yes' }, /prenetDropoutAtInference: must be true or false/],
      [{ scheduledSampling: 1.5 }, /scheduledSampling: must be a number in \[0, 1\]/],
      [{ melbins: 4 }, /melbins: is not a tacotron setting/],
      [{ type: 'seq2seq' }, /type: expected "tacotron"/],
    ];
    for (const [edit, message] of cases) {
      expect(() => Tacotron.create({ ...base, ...edit } as TacotronOptions), JSON.stringify(edit)).toThrow(ConfigError);
      expect(() => Tacotron.create({ ...base, ...edit } as TacotronOptions), JSON.stringify(edit)).toThrow(message);
    }
    expect(() => Tacotron.create(null as unknown as TacotronOptions)).toThrow(/config: must be an object/);
    expect(tf.memory().numTensors).toBe(before);

    // A checkpoint whose config disagrees with its weights fails before anything is built.
    const model = Tacotron.create(base);
    const path = join(dir, 'mismatch');
    await saveCheckpoint(path, { config: { ...model.getConfig(), decoderUnits: 4096 }, weights: model.variables });
    const hostile = join(dir, 'hostile');
    await saveCheckpoint(hostile, { config: { ...model.getConfig(), reduction: -2 }, weights: model.variables });
    const count = tf.memory().numTensors;
    await expect(Tacotron.load(path)).rejects.toThrow(CheckpointError);
    await expect(Tacotron.load(path)).rejects.toThrow(/decoder\/frames\/kernel.*has shape/);
    await expect(modelFromCheckpoint(hostile)).rejects.toThrow(/config\.reduction/);
    expect(tf.memory().numTensors).toBe(count);

    // Bad inputs are ShapeErrors naming the argument.
    expect(() => model.encode([[1, 9]])).toThrow(/texts\[0\]\[1\] must be a symbol id in \[0, 6\)/);
    expect(() => model.encode([])).toThrow(ShapeError);
    const condition = model.encode([[1, 2]]);
    const state = model.initialState(1, condition);
    expect(() => model.step(tf.zeros([1, 5]), state)).toThrow(/frames must be float32 of shape \[1, 8\]/);
    expect(() => model.initialState(2, condition)).toThrow(/condition.memory/);
    expect(() => model.initialState(1)).toThrow(ConfigError);
    const [batch] = tacotronBatches([{ ids: [1, 2], mel: [[0, 0, 0, 0]] }], { batchSize: 1, reduction: 2, melBins: 4 });
    expect(() => model.loss({ ...batch!, frameLength: 3 })).toThrow(
      /batch.frameLength must be a multiple of the reduction factor 2/,
    );
    expect(() => model.loss({ ...batch!, frameLengths: [5] })).toThrow(/batch.frameLengths\[0\]/);
    expect(() => tacotronBatches([{ ids: [1], mel: [[0, 0]] }], { batchSize: 1, reduction: 2, melBins: 4 })).toThrow(
      /utterances\[0\].mel\[0\] must be 4 values/,
    );
    await expect(model.synthesize([[1]], { maxFramesPerSymbol: 0 })).rejects.toThrow(/maxFramesPerSymbol/);
    tf.dispose([
      condition.memory,
      condition.mask as tf.Tensor,
      ...state.layers,
      state.context,
      state.cumulative,
      state.weights,
      state.keys,
      state.memory,
    ]);
    model.dispose();
  });

  it('guided-attention weights, alignment quality and stop accuracy give the known answers', () => {
    const W = guidedAttentionWeights([2], [2], 3, 3, 0.2);
    // Row n = 0, s = 0: on the diagonal; s = 1: (1/2 − 0)² away; padding (s = 2, n = 2) is 0.
    expect(W[0]).toBe(0);
    expect(W[1]).toBeCloseTo(1 - Math.exp(-0.25 / 0.08), 6);
    expect(W[2]).toBe(0);
    expect(W[6]).toBe(0);
    const diagonal = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ];
    expect(alignmentQuality(diagonal)).toEqual({ diagonal: 1, monotonic: 1, guidedCost: 0 });
    const stuck = alignmentQuality([
      [1, 0, 0],
      [1, 0, 0],
      [1, 0, 0],
      [1, 0, 0],
    ]);
    expect(stuck.diagonal).toBe(0.5);
    expect(stuck.guidedCost).toBeGreaterThan(0.3);
    const backwards = alignmentQuality([
      [0, 0, 1],
      [0, 1, 0],
      [1, 0, 0],
    ]);
    expect(backwards.monotonic).toBe(0);
    expect(
      stopTokenAccuracy(
        [
          [0.1, 0.2, 0.9, 0.9],
          [0.7, 0.1],
        ],
        [3, 2],
      ),
    ).toBeCloseTo(3 / 5, 10);
    expect(() => alignmentQuality([])).toThrow(ShapeError);
    expect(() => alignmentQuality(diagonal, 2)).toThrow(ConfigError);
    expect(() => stopTokenAccuracy([[0.1]], [2])).toThrow(/stepLengths\[0\]/);
  });
});
