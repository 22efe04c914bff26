import { initBackend, Rng, ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beamSearchBatch } from './beam-search.js';
import { generate, generateBatch } from './generate.js';
import type { GeneratedSequence } from './generation-setup.js';
import { stream } from './stream.js';
import { HistoryModel } from './test-fixtures/history-model.js';

const V = 7;
const DECAY = 0.6;

/** HistoryModel's state row after reading `inputs`: h = Σ_j DECAY^(n-1-j) · onehot(inputs[j]). */
function historyVector(inputs: readonly number[]): number[] {
  const h = new Array<number>(V).fill(0);
  for (const token of inputs) {
    for (let k = 0; k < V; k++) h[k] = (h[k] as number) * DECAY;
    h[token] = (h[token] as number) + 1;
  }
  return h;
}

/**
 * Token i was chosen from the logits of the step that read the prompt and
 * tokens 0…i−1, so its traced row is the history vector of exactly that input.
 */
function expectTraceFollowsTokens(prompt: readonly number[], sequence: GeneratedSequence, scale = 1): void {
  expect(sequence.trace).toHaveLength(sequence.tokens.length);
  sequence.tokens.forEach((_, i) => {
    const expected = historyVector([...prompt, ...sequence.tokens.slice(0, i)]).map((v) => v * scale);
    const row = Array.from(sequence.trace?.[i] as Float32Array);
    row.forEach((v, k) => {
      expect(v).toBeCloseTo(expected[k] as number, 5);
    });
  });
}

/** The state holds the history vector `[rows, V]` itself. */
const traceHistory = (state: tf.Tensor[]) => state[0] as tf.Tensor;

describe('GenerateOptions.trace', () => {
  let model: HistoryModel;
  beforeAll(async () => {
    await initBackend();
    model = new HistoryModel(new Rng(17), V, DECAY);
  });
  afterAll(() => model.dispose());

  it('greedy and sampling: one traced row per token, of the step that chose it, for prompts of any length', async () => {
    const prompts = [[1, 2, 3], [4], [0, 6]];
    const greedy = await generateBatch(model, prompts, { temperature: 0, maxNewTokens: 6 }, { trace: traceHistory });
    const sampled = await generateBatch(
      model,
      prompts,
      { maxNewTokens: 5, numReturnSequences: 2, seed: 9, stopTokens: [5] },
      { trace: traceHistory },
    );
    prompts.forEach((prompt, p) => {
      for (const s of greedy[p]!.sequences) expectTraceFollowsTokens(prompt, s);
      for (const s of sampled[p]!.sequences) expectTraceFollowsTokens(prompt, s);
    });
    // Without trace, sequences carry none.
    expect((await generate(model, [1], { temperature: 0, maxNewTokens: 2 })).sequences[0]).not.toHaveProperty('trace');
  });

  it("beam search: each hypothesis's trace follows its own beam's parents", async () => {
    const before = tf.memory().numTensors;
    const prompts = [[2, 5], [3], [6, 1]];
    const config = { numBeams: 4, numReturnSequences: 4, maxNewTokens: 6, stopTokens: [0] };
    // A trace that makes a new tensor (disposed by the sampler) rather than returning one the state holds.
    const results = await beamSearchBatch(model, prompts, config, {
      trace: (state: tf.Tensor[]) => tf.mul(state[0] as tf.Tensor, 2),
    });
    prompts.forEach((prompt, p) => {
      const { sequences } = results[p]!;
      expect(new Set(sequences.map((s) => s.tokens.join())).size).toBe(4);
      for (const s of sequences) expectTraceFollowsTokens(prompt, s, 2);
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stream: every streamed token carries the row generate traces for it', async () => {
    const config = { maxNewTokens: 8, seed: 4 };
    const expected = (await generate(model, [3, 4], config, { trace: traceHistory })).sequences[0]!;
    const traces: Float32Array[] = [];
    for await (const item of stream(model, [3, 4], config, { trace: traceHistory })) traces.push(item.trace!);
    expect(traces).toEqual(expected.trace);
    expectTraceFollowsTokens([3, 4], expected);
  });

  it('a trace that is not [rows, K] is a ShapeError naming trace, and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const flat = (state: tf.Tensor[]) => tf.sum(state[0] as tf.Tensor, 1);
    await expect(generate(model, [1], { temperature: 0 }, { trace: flat })).rejects.toThrow(ShapeError);
    await expect(beamSearchBatch(model, [[1]], { numBeams: 2 }, { trace: flat })).rejects.toThrow(/trace/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
