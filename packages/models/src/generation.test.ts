import { initBackend } from '@seqgen/core';
import { generate, generateBatch, stream } from '@seqgen/samplers';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecurrentLanguageModel } from './recurrent-lm.js';

const V = 13;
let model: RecurrentLanguageModel;

beforeAll(async () => {
  await initBackend();
  model = new RecurrentLanguageModel({ vocabSize: V, embeddingSize: 8, hiddenSize: 16, numLayers: 2, seed: 11 });
});
afterAll(() => model.dispose());

/** Greedy decoding by hand: feed the prompt, then argmax after argmax, one step per token. */
function manualGreedy(prompt: number[], count: number): number[] {
  let state = model.initialState(1);
  let logits: tf.Tensor2D | undefined;
  const feed = (token: number) => {
    const tokens = tf.tensor1d([token], 'int32');
    const out = model.step(tokens, state);
    tf.dispose([tokens, state, logits]);
    state = out.state;
    logits = out.logits;
  };
  for (const t of prompt) feed(t);
  const generated: number[] = [];
  for (let i = 0; i < count; i++) {
    const next = tf.tidy(() => tf.argMax(logits as tf.Tensor2D, 1).dataSync()[0] as number);
    generated.push(next);
    if (i < count - 1) feed(next);
  }
  tf.dispose([state, logits]);
  return generated;
}

describe('RecurrentLanguageModel with @seqgen/samplers', () => {
  it('generates greedily the tokens a hand-written argmax loop picks', async () => {
    const prompt = [1, 2, 3];
    const result = await generate(model, prompt, { temperature: 0, maxNewTokens: 12 });
    const tokens = result.sequences[0]?.tokens ?? [];
    expect(tokens.slice(-12)).toEqual(manualGreedy(prompt, 12));
    expect(result.sequences[0]?.finishReason).toBe('length');
  });

  it('samples reproducibly with a seed, batched prompts and beam search included', async () => {
    const config = { maxNewTokens: 20, topK: 5, temperature: 0.9, seed: 3 };
    const a = await generate(model, [4], config);
    const b = await generate(model, [4], config);
    expect(a.sequences[0]?.tokens).toEqual(b.sequences[0]?.tokens);
    expect(a.sequences[0]?.tokens.every((t) => Number.isInteger(t) && t >= 0 && t < V)).toBe(true);
    const batch = await generateBatch(model, [[1], [2, 3, 4]], { maxNewTokens: 5, seed: 1 });
    expect(batch).toHaveLength(2);
    const beams = await generate(model, [1, 2], { numBeams: 3, numReturnSequences: 2, maxNewTokens: 6 });
    expect(beams.sequences).toHaveLength(2);
  });

  it('feeds one token per step (never the prefix) and keeps the tensor count flat over 2,000 steps', async () => {
    const counted = Object.create(model) as RecurrentLanguageModel;
    const widths = new Set<string>();
    let steps = 0;
    counted.step = (tokens, state) => {
      steps++;
      widths.add(tokens.shape.join('x'));
      return model.step(tokens, state);
    };
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    let n = 0;
    for await (const _ of stream(counted, [0, 1], { maxNewTokens: 2000, seed: 5 })) {
      n++;
      if (n % 500 === 0) counts.push(tf.memory().numTensors);
    }
    expect(n).toBe(2000);
    expect(widths).toEqual(new Set(['1']));
    // The prompt (2 tokens) and every generated token but the last go through step once each.
    expect(steps).toBe(2 + 2000 - 1);
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });
});
