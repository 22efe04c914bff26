import { type AttentionMemory, initBackend, type ModelConfig, Rng, type SequenceModel, ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beamSearch, beamSearchBatch } from './beam-search.js';
import { generateBatch } from './generate.js';
import { conditionRow, disposeState } from './model-state.js';
import { ConditionedModel, favouring } from './test-fixtures/conditioned-model.js';
import { HistoryModel } from './test-fixtures/history-model.js';

/** Records the batch size of every `model.step` of a real model it forwards to. */
class StepCounter<State, Condition> implements SequenceModel<State, Condition> {
  readonly stepRows: number[] = [];
  constructor(private readonly inner: SequenceModel<State, Condition>) {}
  get vocabSize(): number {
    return this.inner.vocabSize;
  }
  initialState(batchSize: number, condition?: Condition): State {
    return this.inner.initialState(batchSize, condition);
  }
  step(tokens: tf.Tensor1D, state: State): { logits: tf.Tensor2D; state: State } {
    this.stepRows.push(tokens.shape[0]);
    return this.inner.step(tokens, state);
  }
  getConfig(): ModelConfig {
    return this.inner.getConfig();
  }
  dispose(): void {
    this.inner.dispose();
  }
}

const V = 9;
const PROMPTS = [[1, 2], [3, 0, 4], [5, 6], [7]];

describe('beamSearchBatch', () => {
  let history: HistoryModel;
  beforeAll(async () => {
    await initBackend();
    history = new HistoryModel(new Rng(31), V, 0.7);
  });
  afterAll(() => history.dispose());

  it('equals per-prompt beam search on prompts of different lengths, one model.step per token for all', async () => {
    const model = new StepCounter(history);
    const config = { numBeams: 3, numReturnSequences: 3, maxNewTokens: 7, lengthPenalty: 0.6 };
    const alone = [];
    for (const p of PROMPTS) alone.push(await beamSearch(history, p, config));
    const batched = await beamSearchBatch(model, PROMPTS, config);
    expect(batched).toEqual(alone);
    // Priming per length group ([1,2],[5,6] | [3,0,4] | [7]), then 6 decoding steps of 4 prompts × 3 beams.
    expect(model.stepRows).toEqual([2, 2, 1, 1, 1, 1, 12, 12, 12, 12, 12, 12]);
    expect(batched.map((r) => r.sequences.length)).toEqual([3, 3, 3, 3]);
    for (const r of batched) {
      expect(r.sequences.map((s) => s.score)).toEqual([...r.sequences.map((s) => s.score)].sort((a, b) => b - a));
    }
  });

  it('keeps per-prompt stops, processors and early stopping; finished prompts leave the batch', async () => {
    const model = new StepCounter(history);
    const base = { numBeams: 2, numReturnSequences: 2, maxNewTokens: 12, repetitionPenalty: 1.4, noRepeatNgramSize: 2 };
    // A stop token that the first prompt's best beam reaches early, so prompts finish at different times.
    const stopToken = (await beamSearch(history, PROMPTS[0]!, base)).sequences[0]!.tokens[2]!;
    const config = {
      ...base,
      stopTokens: [stopToken],
      stopSequences: [[2, 2]],
      earlyStopping: true,
    };
    const alone = [];
    for (const p of PROMPTS) alone.push(await beamSearch(history, p, config));
    const batched = await generateBatch(model, PROMPTS, config);
    expect(batched).toEqual(alone);
    const decodeSteps = model.stepRows.slice(6);
    const longest = Math.max(...alone.flatMap((r) => r.sequences.map((s) => s.tokens.length)));
    // At most one step per generated position for the whole batch, and the batch never grows.
    expect(decodeSteps.length).toBeLessThanOrEqual(longest - 1);
    decodeSteps.forEach((rows, i) => {
      expect(rows).toBeLessThanOrEqual(i === 0 ? 8 : (decodeSteps[i - 1] as number));
    });
    expect(batched[0]!.sequences.some((s) => s.finishReason === 'stop-token')).toBe(true);
    expect(decodeSteps.at(-1)).toBeLessThan(8);
    for (const r of batched) {
      for (const s of r.sequences) {
        const pairs = s.tokens.slice(1).map((t, i) => `${s.tokens[i]},${t}`);
        expect(new Set(pairs).size).toBe(pairs.length);
      }
    }
  });

  it('a conditioned model gets one condition row per prompt, primed per length group', async () => {
    const conditioned = new ConditionedModel(new Rng(8), 6);
    const model = new StepCounter(conditioned);
    const raw = favouring(6, [3, 1, 5]);
    const condition: AttentionMemory = { memory: tf.mul(raw.memory, 0.1) as tf.Tensor3D, mask: raw.mask };
    const prompts = [[0], [2, 4], [1]];
    const config = { numBeams: 3, numReturnSequences: 2, maxNewTokens: 5 };
    const before = tf.memory().numTensors;
    const alone = [];
    for (const [p, prompt] of prompts.entries()) {
      const row = conditionRow(condition, p);
      alone.push(await beamSearch(conditioned, prompt, config, { condition: row }));
      disposeState(row);
    }
    conditioned.initRows.length = 0;
    const batched = await beamSearchBatch(model, prompts, config, { condition });
    expect(batched).toEqual(alone);
    expect(conditioned.initRows).toEqual([2, 1]);
    expect(model.stepRows).toEqual([2, 1, 1, 9, 9, 9, 9]);
    expect(new Set(batched.map((r) => r.sequences[0]!.tokens.join()))).toHaveProperty('size', 3);
    expect(tf.memory().numTensors).toBe(before);
    disposeState([raw, condition]);
    conditioned.dispose();
  });

  it('refuses bad prompts and conditions, honours abort, and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    await expect(beamSearchBatch(history, [], { numBeams: 2 })).rejects.toThrow(ShapeError);
    await expect(beamSearchBatch(history, [[1], [V]], { numBeams: 2 })).rejects.toThrow(/prompts\[1\]/);
    const conditioned = new ConditionedModel(new Rng(1), 6);
    const condition = favouring(6, [1, 2]);
    await expect(beamSearchBatch(conditioned, [[0], [1], [2]], { numBeams: 2 }, { condition })).rejects.toMatchObject({
      name: 'ShapeError',
      message: expect.stringMatching(/condition/),
    });
    const controller = new AbortController();
    controller.abort();
    await expect(beamSearchBatch(history, PROMPTS, { numBeams: 2 }, { signal: controller.signal })).rejects.toThrow(
      /abort/i,
    );
    disposeState(condition);
    conditioned.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
