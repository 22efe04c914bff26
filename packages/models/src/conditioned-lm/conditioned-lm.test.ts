import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointError, ConfigError, initBackend, MANIFEST_FILE, ShapeError } from '@seqgen/core';
import { beamSearch, generate } from '@seqgen/samplers';
import { rejected, thrown } from '@seqgen/test-utils';
import { CharTokenizer } from '@seqgen/tokenizers';
import { StreamBatcher } from '@seqgen/trainer';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelFromCheckpoint, modelFromConfig } from '../model-registry.js';
import { RecurrentLanguageModel } from '../recurrent-lm.js';
import { ConditionedStreamSource } from './conditioned-batch.js';
import { ConditionedLanguageModel } from './conditioned-lm.js';
import { type ConditionOn, resolveConditionedLMConfig } from './conditioned-lm-config.js';

const sizes = { vocabSize: 6, conditionVocabSize: 4, embeddingSize: 5, conditionEmbeddingSize: 3, hiddenSize: 7 };
let dir = '';

beforeAll(async () => {
  await initBackend();
  dir = mkdtempSync(join(tmpdir(), 'seqgen-conditioned-lm-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const int2d = (rows: number[][]) => tf.tensor2d(rows, undefined, 'int32');

describe('ConditionedLanguageModel: teacher forcing and stepping agree', () => {
  for (const conditionOn of ['current', 'next'] as ConditionOn[]) {
    it(`conditionOn '${conditionOn}': forward logits equal step logits, the last id holding past the end`, () => {
      const model = new ConditionedLanguageModel({ ...sizes, numLayers: 2, conditionOn, seed: 4 });
      const ids = [
        [1, 5, 2, 0],
        [3, 3, 4, 1],
      ];
      // Three conditioning ids for four steps: the last one holds.
      const sequence = [
        [0, 3, 1],
        [2, 1, 2],
      ];
      const at = (t: number) => Math.min(t + (conditionOn === 'next' ? 1 : 0), 2);
      const read = sequence.map((row) => ids[0]?.map((_, t) => row[at(t)] as number) as number[]);
      const { logits } = model.forward(int2d(ids), int2d(read));
      const condition = int2d(sequence);
      let state = model.initialState(2, condition);
      condition.dispose(); // the state holds its own copy
      const stepped: tf.Tensor2D[] = [];
      for (let t = 0; t < 4; t++) {
        const out = model.step(
          tf.tensor1d(
            ids.map((r) => r[t] as number),
            'int32',
          ),
          state,
        );
        stepped.push(out.logits);
        state = out.state;
      }
      expect(Array.from(state.position.dataSync())).toEqual([4, 4]);
      const byStep = tf.stack(stepped, 1);
      expect(tf.max(tf.abs(tf.sub(byStep, logits))).dataSync()[0]).toBeLessThan(1e-5);
      // A different conditioning id changes the logits: the condition is read.
      const other = model.forward(int2d(ids), int2d(read.map((r) => r.map((c) => (c + 1) % 4)))).logits;
      expect(tf.max(tf.abs(tf.sub(other, logits))).dataSync()[0]).toBeGreaterThan(1e-4);
      model.dispose();
    });
  }

  it("generation through the samplers leaves no tensor behind and keeps the caller's condition", async () => {
    const model = new ConditionedLanguageModel({ ...sizes, conditionOn: 'next', seed: 5 });
    const condition = int2d([[0, 1, 2, 3, 2]]);
    const before = tf.memory().numTensors;
    const greedy = await generate(model, [1, 2], { temperature: 0, maxNewTokens: 6 }, { condition });
    const beams = await beamSearch(model, [1], { numBeams: 3, numReturnSequences: 2, maxNewTokens: 4 }, { condition });
    expect(tf.memory().numTensors).toBe(before);
    expect(greedy.sequences[0]?.tokens).toHaveLength(6);
    expect(beams.sequences).toHaveLength(2);
    expect(Array.from(condition.dataSync())).toEqual([0, 1, 2, 3, 2]);
    condition.dispose();
    model.dispose();
  });

  it('loss over a batch counts masked tokens only, carries state, and resets rows', () => {
    const model = new ConditionedLanguageModel({ ...sizes, cell: 'gru', seed: 2 });
    const batch = {
      batchSize: 1,
      seqLength: 3,
      inputs: [1, 2, 3],
      targets: [2, 3, 4],
      conditions: [0, 1, 9], // 9 is out of range but masked out
      mask: [1, 1, 0],
      resets: [1, 0, 0],
    };
    const { loss, tokens, state } = model.loss(batch);
    expect(tokens).toBe(2);
    expect(state).toHaveLength(1);
    expect(loss.dataSync()[0]).toBeGreaterThan(Math.log(6) * 0.5);
    // A reset at the first position makes the carried state irrelevant.
    const again = model.loss(batch, [tf.ones([1, 7])]);
    expect(again.loss.dataSync()[0]).toBeCloseTo(loss.dataSync()[0] as number, 5);
    model.dispose();
  });
});

describe('ConditionedStreamSource', () => {
  it("zips token and condition streams, taking the condition of the input ('current') or the target ('next')", () => {
    const tokens = [[0, 1, 2, 3, 4, 5, 0, 1, 2, 3]];
    const conditions = [[10, 11, 12, 13, 14, 15, 16, 17, 18, 19]];
    const cut = { batchSize: 1, seqLength: 4, randomOffset: false };
    for (const [on, first] of [
      ['current', 10],
      ['next', 11],
    ] as const) {
      const source = new ConditionedStreamSource(
        new StreamBatcher({ documents: tokens, ...cut }),
        new StreamBatcher({ documents: conditions, ...cut }),
        { conditionOn: on },
      );
      const batch = source.next();
      expect(Array.from(batch.inputs)).toEqual([0, 1, 2, 3]);
      expect(Array.from(batch.conditions)).toEqual([first, first + 1, first + 2, first + 3]);
      const state = source.getState();
      const next = source.next();
      source.setState(state);
      expect(Array.from(source.next().conditions)).toEqual(Array.from(next.conditions));
    }
    const misaligned = new ConditionedStreamSource(
      new StreamBatcher({
        documents: [
          [0, 1, 2],
          [3, 4, 5, 0, 1, 2, 3],
        ],
        ...cut,
      }),
      new StreamBatcher({
        documents: [
          [0, 1, 2, 3],
          [3, 4, 5, 0, 1, 2],
        ],
        ...cut,
      }),
      { conditionOn: 'current' },
    );
    expect(thrown(() => misaligned.next(), ShapeError).message).toMatch(/document/);
  });
});

describe('ConditionedLanguageModel checkpoints', () => {
  it('round-trips config, both vocabularies and weights through save and modelFromCheckpoint', async () => {
    const model = new ConditionedLanguageModel({
      ...sizes,
      conditionOn: 'next',
      tieWeights: true,
      hiddenSize: 5,
      seed: 9,
    });
    const tokens = CharTokenizer.fromText('abcdef', { specialTokens: [] });
    const chords = CharTokenizer.fromText('CGAF', { specialTokens: [] });
    const path = join(dir, 'cond');
    await model.save(path, { preprocessors: { tokens, conditions: chords }, metadata: { task: 'test' } });
    const loaded = await modelFromCheckpoint(path);
    const restored = loaded.model as ConditionedLanguageModel;
    expect(restored).toBeInstanceOf(ConditionedLanguageModel);
    expect(restored.getConfig()).toEqual(model.getConfig());
    expect(Object.keys(restored.variables).sort()).toEqual(Object.keys(model.variables).sort());
    expect(loaded.preprocessors.conditions?.toJSON()).toEqual(chords.toJSON());
    expect(loaded.preprocessors.tokens?.toJSON()).toEqual(tokens.toJSON());
    expect(loaded.metadata).toEqual({ task: 'test' });
    const ids = int2d([[1, 2, 3]]);
    const conds = int2d([[3, 0, 2]]);
    const a = model.forward(ids, conds).logits.dataSync();
    expect(Array.from(restored.forward(ids, conds).logits.dataSync())).toEqual(Array.from(a));
    // Bytes and the class's own loader read the same checkpoint.
    const { model: fromBytes } = await ConditionedLanguageModel.load(await model.toBytes());
    expect(fromBytes.getConfig()).toEqual(model.getConfig());
    // Another model type is refused by the class loader.
    const lm = new RecurrentLanguageModel({ vocabSize: 4, embeddingSize: 3, hiddenSize: 3 });
    await lm.save(join(dir, 'lm'));
    expect((await rejected(ConditionedLanguageModel.load(join(dir, 'lm')), CheckpointError)).message).toMatch(
      /recurrent-lm/,
    );
    for (const m of [model, restored, fromBytes, lm]) m.dispose();
  });

  it('refuses a checkpoint whose config disagrees with its weights, before building', async () => {
    const path = join(dir, 'bad');
    const wide = new ConditionedLanguageModel({ ...sizes, conditionEmbeddingSize: 4, seed: 1 });
    await wide.save(path);
    wide.dispose();
    // Rewrite the saved config so that it no longer fits its weights.
    const manifestPath = join(path, MANIFEST_FILE);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.config.conditionEmbeddingSize = 3;
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const error = await rejected(modelFromCheckpoint(path), CheckpointError);
    expect(error.reason).toBe('invalid-weights');
    expect(error.message).toMatch(/conditionEmbedding/);
  });
});

describe('ConditionedLanguageModel refuses bad input with typed errors', () => {
  it('hostile configs are ConfigErrors naming the field', () => {
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ ...sizes, conditionVocabSize: 0 }, 'conditionVocabSize'],
      [{ ...sizes, conditionVocabSize: 2 ** 30 }, 'conditionVocabSize'],
      [{ ...sizes, conditionEmbeddingSize: '3' }, 'conditionEmbeddingSize'],
      [{ ...sizes, conditionOn: 'previous' }, 'conditionOn'],
      [{ ...sizes, hiddenSize: -1 }, 'hiddenSize'],
      [{ ...sizes, condtionOn: 'next' }, 'condtionOn'],
      [{ ...sizes, type: 'recurrent-lm' }, 'type'],
      [{ ...sizes, tieWeights: true }, 'tieWeights'],
      [{ ...sizes, conditionVocabSize: 60_000, conditionEmbeddingSize: 60_000 }, 'config'],
    ];
    for (const [options, field] of bad) {
      const error = thrown(() => resolveConditionedLMConfig(options as never), ConfigError);
      expect(error.field).toBe(field);
    }
    expect(thrown(() => modelFromConfig({ ...sizes, type: 'conditioned-lm', conditionOn: 1 }), ConfigError).field).toBe(
      'conditionOn',
    );
  });

  it('a missing or malformed condition, and bad conditions in forward and loss, are typed errors', () => {
    const model = new ConditionedLanguageModel({ ...sizes, seed: 3 });
    expect(thrown(() => model.initialState(1), ConfigError).field).toBe('condition');
    const cases: Array<[unknown, RegExp]> = [
      [tf.tensor2d([[0, 1]]), /int32/], // float32
      [tf.tensor1d([0, 1], 'int32'), /rank 2/],
      [int2d([[0, 4]]), /\[0, 4\)/], // id out of range
      [int2d([[0], [1]]), /1 rows/], // two rows for a batch of one
      [int2d([[]]), /non-empty/],
    ];
    for (const [condition, message] of cases) {
      const error = thrown(() => model.initialState(1, condition as tf.Tensor2D), ShapeError);
      expect(error.message).toMatch(message);
    }
    const ids = int2d([[1, 2, 3]]);
    expect(thrown(() => model.forward(ids, int2d([[1, 2]])), ShapeError).message).toMatch(/conditions/);
    expect(thrown(() => model.forward(ids, int2d([[1, 2, 7]])), ShapeError).message).toMatch(/\[0, 4\)/);
    const batch = { batchSize: 1, seqLength: 3, inputs: [1, 2, 3], targets: [2, 3, 4] };
    expect(thrown(() => model.loss({ ...batch, conditions: [0, 1] }), ShapeError).message).toMatch(/batch\.conditions/);
    expect(thrown(() => model.loss({ ...batch, conditions: [0, 1, 5] }), ShapeError).message).toMatch(/conditions/);
    // A state without its conditioning sequence cannot be stepped.
    const state = model.initialState(1, int2d([[0, 1]]));
    const tokens = tf.tensor1d([1], 'int32');
    expect(thrown(() => model.step(tokens, { ...state, conditions: undefined as never }), ShapeError).message).toMatch(
      /state\.conditions/,
    );
    expect(
      thrown(() => model.step(tokens, { ...state, position: tf.zeros([1]) as tf.Tensor1D }), ShapeError).message,
    ).toMatch(/state\.position/);
    model.dispose();
    expect(thrown(() => model.step(tokens, state), ConfigError).field).toBe('model');
  });
});
