import { type AttentionMemory, initBackend, Rng, ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beamSearch } from './beam-search.js';
import { generate, generateBatch } from './generate.js';
import { conditionRow, disposeState } from './model-state.js';
import { stream } from './stream.js';
import { ConditionedModel, favouring } from './test-fixtures/conditioned-model.js';
import { HistoryModel } from './test-fixtures/history-model.js';

const V = 6;

describe('conditioned discrete decoding', () => {
  let model: ConditionedModel;
  beforeAll(async () => {
    await initBackend();
    model = new ConditionedModel(new Rng(5), V);
  });
  afterAll(() => model.dispose());

  it('generate follows the condition, and the mask hides padded memory', async () => {
    const padded = favouring(V, [2], 3, 2);
    const trimmed = favouring(V, [2], 3, 0);
    const other = favouring(V, [4], 3, 2);
    const config = { temperature: 0, maxNewTokens: 5 };
    const a = await generate(model, [0], config, { condition: padded });
    const b = await generate(model, [0], config, { condition: trimmed });
    const c = await generate(model, [0], config, { condition: other });
    expect(a.sequences[0]!.tokens).toEqual([2, 2, 2, 2, 2]);
    expect(b.sequences[0]!.tokens).toEqual(a.sequences[0]!.tokens);
    expect(a.sequences[0]!.logProb).toBeCloseTo(b.sequences[0]!.logProb, 4);
    expect(c.sequences[0]!.tokens).toEqual([4, 4, 4, 4, 4]);
    for (const m of [padded, trimmed, other]) disposeState(m);
  });

  it('generateBatch: one condition row per prompt, asked of the model once, repeated for numReturnSequences', async () => {
    // Moderate preference so samples vary, yet stay recognisably on their row's token.
    const condition = favouring(V, [1, 3, 5]);
    const scaled = { memory: tf.mul(condition.memory, 0.15) as tf.Tensor3D, mask: condition.mask };
    model.initRows.length = 0;
    model.stepRows.length = 0;
    const results = await generateBatch(
      model,
      [[0], [0, 2], [4]],
      { maxNewTokens: 40, numReturnSequences: 4, seed: 9 },
      { condition: scaled },
    );
    expect(model.initRows).toEqual([3]);
    expect(new Set(model.stepRows)).toEqual(new Set([12]));
    const favoured = [1, 3, 5];
    results.forEach((result, p) => {
      expect(result.sequences).toHaveLength(4);
      for (const seq of result.sequences) {
        const share = seq.tokens.filter((t) => t === favoured[p]).length / seq.tokens.length;
        // 4.5 logits of preference: most tokens are the row's own, whichever copy.
        expect(share).toBeGreaterThan(0.5);
      }
      // Copies are independent samples, not one sample four times.
      expect(new Set(result.sequences.map((s) => s.tokens.join(','))).size).toBeGreaterThan(1);
    });
    // Greedy over the batch equals greedy over each row alone.
    const greedy = await generateBatch(
      model,
      [[0], [0, 2], [4]],
      { temperature: 0, maxNewTokens: 8 },
      { condition: scaled },
    );
    for (let p = 0; p < 3; p++) {
      const row = conditionRow(scaled, p);
      const alone = await generate(
        model,
        p === 1 ? [0, 2] : p === 0 ? [0] : [4],
        { temperature: 0, maxNewTokens: 8 },
        { condition: row },
      );
      expect(greedy[p]!.sequences[0]!.tokens).toEqual(alone.sequences[0]!.tokens);
      disposeState(row);
    }
    disposeState([condition, scaled.memory]);
  });

  it('beam search copies the condition row to every beam; generateBatch gives each prompt its own row', async () => {
    const condition = favouring(V, [3, 1]);
    const scaled = { memory: tf.mul(condition.memory, 0.1) as tf.Tensor3D, mask: condition.mask };
    const config = { numBeams: 4, numReturnSequences: 2, maxNewTokens: 6 };
    model.initRows.length = 0;
    model.stepRows.length = 0;
    const rows = [conditionRow(scaled, 0), conditionRow(scaled, 1)];
    const alone = [
      await beamSearch(model, [0], config, { condition: rows[0] }),
      await beamSearch(model, [2], config, { condition: rows[1] }),
    ];
    expect(model.initRows).toEqual([1, 1]);
    expect(Math.max(...model.stepRows)).toBe(4);
    const batched = await generateBatch(model, [[0], [2]], config, { condition: scaled });
    expect(batched).toEqual(alone);
    expect(alone[0]!.sequences[0]!.tokens).not.toEqual(alone[1]!.sequences[0]!.tokens);
    // The best beam is at least as likely as greedy decoding under the same condition.
    const greedy = await generate(model, [0], { temperature: 0, maxNewTokens: 6 }, { condition: rows[0] });
    expect(alone[0]!.sequences[0]!.logProb).toBeGreaterThanOrEqual(greedy.sequences[0]!.logProb - 1e-4);
    disposeState([rows, condition, scaled.memory]);
  });

  it('stream takes a condition', async () => {
    const condition = favouring(V, [5]);
    const tokens: number[] = [];
    for await (const { token } of stream(model, [0], { temperature: 0, maxNewTokens: 4 }, { condition }))
      tokens.push(token);
    expect(tokens).toEqual([5, 5, 5, 5]);
    disposeState(condition);
  });

  it('a condition with the wrong number of rows is a ShapeError naming condition', async () => {
    const two = favouring(V, [1, 2]);
    const config = { temperature: 0, maxNewTokens: 2 };
    const named = (e: unknown) => e instanceof ShapeError && /condition/.test(e.message);
    await expect(generate(model, [0], config, { condition: two })).rejects.toSatisfy(named);
    await expect(generateBatch(model, [[0], [1], [2]], config, { condition: two })).rejects.toSatisfy(named);
    await expect(generateBatch(model, [[0]], { numBeams: 2, maxNewTokens: 2 }, { condition: two })).rejects.toSatisfy(
      named,
    );
    await expect(beamSearch(model, [0], { numBeams: 2, maxNewTokens: 2 }, { condition: two })).rejects.toSatisfy(named);
    expect(() => stream(model, [0], config, { condition: two })).toThrow(ShapeError);
    const scalar = tf.scalar(1);
    await expect(generate(model, [0], config, { condition: scalar as unknown as AttentionMemory })).rejects.toSatisfy(
      named,
    );
    disposeState([two, scalar]);
  });

  it("leaves the caller's condition alive and leaks nothing", async () => {
    const condition = favouring(V, [1, 4]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      await generateBatch(model, [[0], [1]], { maxNewTokens: 5, numReturnSequences: 2, seed: i }, { condition });
      await generateBatch(model, [[0], [1]], { numBeams: 3, maxNewTokens: 5 }, { condition });
      const row = conditionRow(condition, 1);
      await generate(model, [0], { temperature: 0, maxNewTokens: 5 }, { condition: row });
      for await (const _ of stream(model, [0], { maxNewTokens: 5, seed: 1 }, { condition: row })) break;
      disposeState(row);
      expect(tf.memory().numTensors).toBe(before);
    }
    expect(condition.memory.isDisposed || condition.mask!.isDisposed).toBe(false);
    disposeState(condition);
  });

  it('an unconditioned model with numReturnSequences still samples independent rows', async () => {
    const plain = new HistoryModel(new Rng(3), 8);
    const { sequences } = await generate(plain, [0], { maxNewTokens: 12, numReturnSequences: 3, seed: 4 });
    expect(sequences).toHaveLength(3);
    expect(new Set(sequences.map((s) => s.tokens.join(','))).size).toBeGreaterThan(1);
    plain.dispose();
  });
});
