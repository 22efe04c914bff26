import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointError, ConfigError, initBackend, type ModelConfig, ShapeError, saveCheckpoint } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelFromCheckpoint, modelFromConfig } from '../model-registry.js';
import { Seq2Seq } from './seq2seq.js';
import { seq2seqBatches } from './seq2seq-batches.js';
import { resolveSeq2SeqConfig, type Seq2SeqOptions } from './seq2seq-config.js';
import { translateBatch } from './translate-batch.js';

const base: Seq2SeqOptions = { sourceVocabSize: 10, targetVocabSize: 11, embeddingSize: 4, hiddenSize: 6 };
let dir: string;
let counter = 0;

beforeAll(async () => {
  await initBackend();
  dir = mkdtempSync(join(tmpdir(), 'seq2seq-config-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('Seq2Seq config', () => {
  it('fills defaults, round-trips through the registry, and its weight shapes are the variables', () => {
    const config = resolveSeq2SeqConfig(base);
    expect(config).toMatchObject({ type: 'seq2seq', cell: 'gru', attention: 'bahdanau', inputFeeding: true, padId: 0 });
    for (const extra of [
      {},
      {
        cell: 'lstm' as const,
        bidirectional: true,
        encoderLayers: 2,
        decoderLayers: 3,
        attention: 'luong-general' as const,
      },
      { attention: 'none' as const, embeddingSize: 6, tieWeights: true },
    ]) {
      const model = modelFromConfig({ ...resolveSeq2SeqConfig({ ...base, ...extra }) }) as Seq2Seq;
      expect(model).toBeInstanceOf(Seq2Seq);
      const shapes = Object.fromEntries(Object.entries(model.variables).map(([k, v]) => [k, v.shape]));
      expect(shapes).toEqual(Seq2Seq.weightShapes(model.getConfig()));
      expect(Seq2Seq.fromConfig(JSON.parse(JSON.stringify(model.getConfig()))).getConfig()).toEqual(model.getConfig());
      model.dispose();
    }
  });

  it('refuses hostile or mistyped configs with a ConfigError naming the field, before allocating', () => {
    const before = tf.memory().numTensors;
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ hiddenSize: '256' }, /hiddenSize: must be a positive integer/],
      [{ hiddenSize: 1e9 }, /hiddenSize: must be at most 65536/],
      [{ targetVocabSize: 2 ** 30 }, /targetVocabSize: must be at most/],
      [{ decoderLayers: 5000 }, /decoderLayers: must be at most 1024/],
      [{ sourceVocabSize: 1e6, embeddingSize: 4096 }, /config: asks for \d+ parameters/],
      [{ cell: 'rnn' }, /cell: must be "lstm" or "gru"/],
      [{ attention: 'luong' }, /attention: must be "bahdanau"/],
      [{ attention: 'luong-dot', bidirectional: true }, /attention: "luong-dot" needs the memory width \(12/],
      [{ tieWeights: true }, /tieWeights: needs embeddingSize \(4\) to equal hiddenSize \(6\)/],
      [{ dropout: 1 }, /dropout: must be a number in \[0, 1\)/],
      [{ scheduledSampling: -0.1 }, /scheduledSampling: must be a number in \[0, 1\)/],
      [{ labelSmoothing: Number.NaN }, /labelSmoothing/],
      [{ eosId: 11 }, /eosId: must be a token id in \[0, 11\)/],
      [{ padId: 10 }, /padId: must also be a source token id in \[0, 10\)/],
      [{ bidirectional: 'yes' }, /bidirectional: must be true or false/],
      [{ embedingSize: 4 }, /embedingSize: is not a seq2seq setting/],
      [{ type: 'recurrent-lm' }, /type: expected "seq2seq"/],
    ];
    for (const [edit, message] of cases) {
      expect(() => Seq2Seq.create({ ...base, ...edit } as Seq2SeqOptions), JSON.stringify(edit)).toThrow(ConfigError);
      expect(() => Seq2Seq.create({ ...base, ...edit } as Seq2SeqOptions), JSON.stringify(edit)).toThrow(message);
    }
    expect(() => Seq2Seq.create(null as unknown as Seq2SeqOptions)).toThrow(/config: must be an object/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a checkpoint whose config disagrees with its weights, or is hostile, fails before anything is built', async () => {
    const model = Seq2Seq.create(base);
    const weights = model.variables;
    const write = async (edit: Record<string, unknown>) => {
      const path = join(dir, `ckpt-${counter++}`);
      await saveCheckpoint(path, { config: { ...model.getConfig(), ...edit } as ModelConfig, weights });
      return path;
    };
    const before = tf.memory().numTensors;
    const big = await modelFromCheckpoint(await write({ hiddenSize: 4096 })).catch((e: unknown) => e);
    expect(big).toBeInstanceOf(CheckpointError);
    expect((big as CheckpointError).reason).toBe('invalid-weights');
    expect(String(big)).toMatch(/"encoder\/embedding"|has shape \[[\d,]+\], the model needs \[[\d,]+\]/);
    const hostile = await Seq2Seq.load(await write({ decoderLayers: 1e6 })).catch((e: unknown) => e);
    expect(hostile).toBeInstanceOf(CheckpointError);
    expect(String(hostile)).toMatch(/config\.decoderLayers: must be at most 1024/);
    const other = await modelFromCheckpoint(await write({ attention: 'none' })).catch((e: unknown) => e);
    expect(String(other)).toMatch(/which the model does not have/);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('batches: BOS/EOS added, padded, bucketed by length, seeded; bad pairs are ShapeErrors', () => {
    const ids = { padId: 0, bosId: 1, eosId: 2 };
    const pairs = [
      { source: [3, 4, 5], target: [6] },
      { source: [3], target: [7, 8] },
      { source: [4, 4], target: [9, 9, 9] },
      { source: [5, 5, 5, 5], target: [3] },
    ];
    const batches = seq2seqBatches(pairs, { batchSize: 2, ...ids });
    expect(batches.map((b) => b.sourceLengths)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    const [first] = batches;
    expect(first!.sourceLength).toBe(2);
    expect(Array.from(first!.sources)).toEqual([3, 0, 4, 4]);
    expect(first!.targetLength).toBe(4);
    expect(Array.from(first!.targetInputs)).toEqual([1, 7, 8, 0, 1, 9, 9, 9]);
    expect(Array.from(first!.targetOutputs)).toEqual([7, 8, 2, 0, 9, 9, 9, 2]);
    expect(Array.from(first!.targetMask)).toEqual([1, 1, 1, 0, 1, 1, 1, 1]);
    const shuffled = seq2seqBatches(pairs, { batchSize: 1, shuffle: true, seed: 4, bucketByLength: false, ...ids });
    expect(seq2seqBatches(pairs, { batchSize: 1, shuffle: true, seed: 4, bucketByLength: false, ...ids })).toEqual(
      shuffled,
    );
    expect(() => seq2seqBatches([], { batchSize: 2, ...ids })).toThrow(ShapeError);
    expect(() => seq2seqBatches([{ source: [], target: [1] }], { batchSize: 2, ...ids })).toThrow(/pairs\[0\]\.source/);
    expect(() => seq2seqBatches([{ source: [1, -1], target: [1] }], { batchSize: 2, ...ids })).toThrow(
      /pairs\[0\]\.source\[1\]/,
    );
    expect(() => seq2seqBatches(pairs, { batchSize: 0, ...ids })).toThrow(ConfigError);
  });

  it('refuses bad batches and sources with typed errors', async () => {
    const model = Seq2Seq.create(base);
    const [batch] = seq2seqBatches([{ source: [3, 4], target: [5] }], { batchSize: 1, padId: 0, bosId: 1, eosId: 2 });
    expect(() => model.loss({ ...batch!, sources: Int32Array.from([3, 10]) })).toThrow(
      /batch.sources must be token ids in \[0, 10\), got 10 at 1/,
    );
    expect(() => model.loss({ ...batch!, targetMask: new Float32Array(1) })).toThrow(ShapeError);
    expect(() => model.loss({ ...batch!, sourceLengths: [3] })).toThrow(/sourceLengths\[0\]/);
    expect(() => model.encode([])).toThrow(ShapeError);
    expect(() => model.encode([[3], []])).toThrow(/sources\[1\] must be a non-empty array/);
    expect(() => model.encode([[3, 12]])).toThrow(/sources\[0\]\[1\] must be a token id in \[0, 10\)/);
    expect(() => model.initialState(1)).toThrow(/pass model.encode\(sources\)/);
    await expect(translateBatch(model, [[3]], { numBeams: 2, temperature: 0.5 })).rejects.toThrow(ConfigError);
    const plain = Seq2Seq.create({ ...base, attention: 'none' });
    await expect(translateBatch(plain, [[3]], { returnAttention: true })).rejects.toThrow(/returnAttention/);
    const before = tf.memory().numTensors;
    const out = await translateBatch(plain, [[3, 4], [5]], { maxLength: 3 });
    expect(out).toHaveLength(2);
    expect(out[0]!.sequences[0]!.tokens.length).toBeLessThanOrEqual(3);
    // Beams, n-best and attention rows (over each source's own length) leave no tensor behind either.
    const beams = await translateBatch(model, [[3, 4, 5], [6]], {
      numBeams: 3,
      numReturnSequences: 2,
      maxLength: 4,
      returnAttention: true,
    });
    expect(beams.map((r) => r.sequences.length)).toEqual([2, 2]);
    for (const [i, r] of beams.entries()) {
      for (const seq of r.sequences) {
        expect(seq.attention).toHaveLength(seq.tokens.length);
        for (const row of seq.attention ?? []) expect(row).toHaveLength(i === 0 ? 3 : 1);
      }
    }
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    plain.dispose();
  });
});
