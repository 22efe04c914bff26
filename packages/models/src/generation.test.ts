import { initBackend } from '@seqgen/core';
import { generate, generateBatch, stream } from '@seqgen/samplers';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { greedyByHand } from '../test/greedy-by-hand.js';
import { RecurrentLanguageModel } from './recurrent-lm.js';

const V = 13;
let model: RecurrentLanguageModel;

beforeAll(async () => {
  await initBackend();
  // The beam-versus-greedy check below holds for this draw (beam search is not always better than greedy).
  model = new RecurrentLanguageModel({
    vocabSize: V,
    embeddingSize: 8,
    hiddenSize: 16,
    numLayers: 2,
    init: 'keras',
    seed: 11,
  });
});
afterAll(() => model.dispose());

/** Log-probability of `continuation` after `prompt`, by running the model one token at a time (host-side log-softmax). */
function rescore(prompt: number[], continuation: number[]): number {
  const all = [...prompt, ...continuation];
  let state = model.initialState(1);
  let total = 0;
  for (let t = 0; t < all.length - 1; t++) {
    const tokens = tf.tensor1d([all[t] as number], 'int32');
    const out = model.step(tokens, state);
    const logits = Array.from(out.logits.dataSync(), Number);
    tf.dispose([tokens, state, out.logits]);
    state = out.state;
    if (t < prompt.length - 1) continue;
    const max = Math.max(...logits);
    const logZ = max + Math.log(logits.reduce((sum, v) => sum + Math.exp(v - max), 0));
    total += (logits[all[t + 1] as number] as number) - logZ;
  }
  tf.dispose(state);
  return total;
}

describe('RecurrentLanguageModel with @seqgen/samplers', () => {
  it('generates greedily the tokens a hand-written argmax loop picks', async () => {
    const prompt = [1, 2, 3];
    const result = await generate(model, prompt, { temperature: 0, maxNewTokens: 12 });
    const tokens = result.sequences[0]?.tokens ?? [];
    expect(tokens.slice(-12)).toEqual(greedyByHand(model, prompt, 12));
    expect(result.sequences[0]?.finishReason).toBe('length');
  });

  it('samples reproducibly with a seed', async () => {
    const config = { maxNewTokens: 20, topK: 5, temperature: 0.9, seed: 3 };
    const a = await generate(model, [4], config);
    const b = await generate(model, [4], config);
    expect(a.sequences[0]?.tokens).toEqual(b.sequences[0]?.tokens);
    expect(a.sequences[0]?.tokens.every((t) => Number.isInteger(t) && t >= 0 && t < V)).toBe(true);
    const c = await generate(model, [4], { ...config, seed: 4 });
    expect(c.sequences[0]?.tokens).not.toEqual(a.sequences[0]?.tokens);
  });

  it('continues each prompt of a batch exactly as a single generate call on that prompt does', async () => {
    // Prompts of different lengths, so rows read their prompts and generate at different steps.
    const prompts = [[1], [2, 3, 4], [5, 6], [7, 8, 9, 10, 11]];
    const config = { temperature: 0, maxNewTokens: 8 };
    const batch = await generateBatch(model, prompts, config);
    expect(batch).toHaveLength(prompts.length);
    const rows = batch.map((r) => r.sequences[0]?.tokens);
    for (const [i, prompt] of prompts.entries()) {
      const single = (await generate(model, prompt, config)).sequences[0];
      const row = batch[i]?.sequences[0];
      expect(row?.tokens).toEqual(single?.tokens);
      expect(row?.tokens).toEqual(greedyByHand(model, prompt, 8));
      expect(row?.logProb).toBeCloseTo(single?.logProb as number, 4);
    }
    // The rows are not all one continuation (the check above would then prove little).
    expect(new Set(rows.map((t) => t?.join(','))).size).toBeGreaterThan(1);
  });

  it('returns beams whose scores are their log-probabilities under the model, best first', async () => {
    const prompt = [1, 2];
    const beams = await generate(model, prompt, { numBeams: 3, numReturnSequences: 2, maxNewTokens: 6 });
    expect(beams.sequences).toHaveLength(2);
    const [best, second] = beams.sequences;
    expect(best?.tokens).not.toEqual(second?.tokens);
    for (const s of beams.sequences) {
      expect(s.tokens).toHaveLength(6);
      // Rescored one token at a time on a fresh single-row state: sum of log-softmax of each chosen token.
      expect(s.logProb).toBeCloseTo(rescore(prompt, s.tokens), 4);
      // Default lengthPenalty 1: the score is the mean log-probability per new token.
      expect(s.score).toBeCloseTo(s.logProb / s.tokens.length, 5);
    }
    expect(best?.score).toBeGreaterThanOrEqual(second?.score as number);
    // A 3-beam search finds a continuation at least as likely as the greedy one here.
    const greedy = (await generate(model, prompt, { temperature: 0, maxNewTokens: 6 })).sequences[0];
    expect(rescore(prompt, greedy?.tokens ?? [])).toBeCloseTo(greedy?.logProb as number, 4);
    expect(best?.logProb).toBeGreaterThanOrEqual((greedy?.logProb as number) - 1e-4);
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
