import { ConfigError, initBackend, Rng, ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, generateBatch } from './generate.js';
import { logSoftmax, softmax } from './logits-math.js';
import { HistoryModel } from './test-fixtures/history-model.js';
import { LookupModel, randomTable } from './test-fixtures/lookup-model.js';

/** Row i prefers token (i + 1) mod 5, so greedy from token t walks t+1, t+2, ... */
const CHAIN = [
  [0, 3, 1, 0, -1],
  [0, 0, 2, 1, -2],
  [1, 0, 0, 4, 0],
  [-1, 0, 0, 0, 2.5],
  [1.5, 0, 0, 0, 1],
];
const LETTERS = (ids: readonly number[]) => ids.map((i) => 'abcde'[i]).join('');

describe('generate', () => {
  let model: LookupModel;
  beforeAll(async () => {
    await initBackend();
    model = new LookupModel(CHAIN);
  });
  afterAll(() => model.dispose());

  it('greedy follows the argmax chain with exact log-probs, one model step per token', async () => {
    const calls = model.stepCalls;
    const { sequences } = await generate(model, [0, 1, 2], { temperature: 0, maxNewTokens: 6 });
    expect(sequences).toHaveLength(1);
    const [seq] = sequences;
    expect(seq!.tokens).toEqual([3, 4, 0, 1, 2, 3]);
    expect(seq!.finishReason).toBe('length');
    // The prompt goes through once (3 steps, the last gives the first logits), then one step per new token.
    expect(model.stepCalls - calls).toBe(3 + 6 - 1);
    let expected = 0;
    let prev = 2;
    for (const t of seq!.tokens) {
      expected += logSoftmax(Float32Array.from(CHAIN[prev]!))[t]!;
      prev = t;
    }
    expect(seq!.logProb).toBeCloseTo(expected, 5);
    expect(seq!.score).toBe(seq!.logProb);
  });

  it('batches prompts of different lengths, one step per time step, same results as one by one', async () => {
    const prompts = [[0], [3, 4, 1], [2, 2]];
    const config = { temperature: 0, maxNewTokens: 4 };
    const single = await Promise.all(prompts.map((p) => generate(model, p, config)));
    const calls = model.stepCalls;
    const sizes = model.batchSizes.length;
    const batched = await generateBatch(model, prompts, config);
    expect(batched).toEqual(single);
    expect(model.stepCalls - calls).toBe(3 + 4 - 1); // longest prompt + new tokens − 1
    expect(model.batchSizes.slice(sizes)).toEqual(Array(6).fill(3));
  });

  it('sampling: the same seed reproduces the output, another seed changes it', async () => {
    const rng = new Rng(1);
    const random = new LookupModel(randomTable(rng, 12, 12, 1));
    const config = { maxNewTokens: 40, seed: 99 };
    const a = await generate(random, [0], config);
    const b = await generate(random, [0], config);
    const c = await generate(random, [0], { ...config, seed: 100 });
    expect(a).toEqual(b);
    expect(a.sequences[0]!.tokens).not.toEqual(c.sequences[0]!.tokens);
    // A batch of one draws exactly like generate.
    expect((await generateBatch(random, [[0]], config))[0]).toEqual(a);
    const three = await generate(random, [0], { ...config, numReturnSequences: 3 });
    expect(three.sequences).toHaveLength(3);
    expect(new Set(three.sequences.map((s) => s.tokens.join(','))).size).toBe(3);
    expect(three).toEqual(await generate(random, [0], { ...config, numReturnSequences: 3 }));
    random.dispose();
  });

  it('temperature → 0 through generate equals greedy on a stateful model', async () => {
    const history = new HistoryModel(new Rng(8), 16);
    const greedy = await generate(history, [1, 2], { temperature: 0, maxNewTokens: 60 });
    const cold = await generate(history, [1, 2], { temperature: 1e-4, maxNewTokens: 60, seed: 5 });
    expect(cold.sequences[0]!.tokens).toEqual(greedy.sequences[0]!.tokens);
    history.dispose();
  });

  it('first-token frequencies over 20,000 batched samples match softmax(logits) (χ² test)', async () => {
    const n = 20_000;
    const { sequences } = await generate(model, [2], { maxNewTokens: 1, numReturnSequences: n, seed: 3 });
    const counts = [0, 0, 0, 0, 0];
    for (const s of sequences) counts[s.tokens[0]!]! += 1;
    const probs = softmax(CHAIN[2]!);
    const chi2 = counts.reduce((sum, c, i) => sum + (c - n * probs[i]!) ** 2 / (n * probs[i]!), 0);
    expect(chi2).toBeLessThan(18.467); // 99.9 % quantile of χ²(4); the seed is fixed
  });

  it('stops at stop tokens, stop id sequences and stop strings', async () => {
    const greedy = { temperature: 0, maxNewTokens: 10 };
    const byToken = await generate(model, [0], { ...greedy, stopTokens: [3] });
    expect(byToken.sequences[0]).toMatchObject({ tokens: [1, 2, 3], finishReason: 'stop-token' });
    const bySeq = await generate(model, [0], { ...greedy, stopSequences: [[4, 0]] });
    expect(bySeq.sequences[0]).toMatchObject({ tokens: [1, 2, 3, 4, 0], finishReason: 'stop-sequence' });
    const byText = await generate(model, [0], { ...greedy, stopSequences: ['cd'] }, { decode: LETTERS });
    expect(byText.sequences[0]).toMatchObject({ tokens: [1, 2, 3], finishReason: 'stop-sequence', text: 'bcd' });
    await expect(generate(model, [0], { stopSequences: ['cd'] })).rejects.toThrow(ConfigError);
  });

  it('keeps every token inside the allowed set of each step (a musical scale)', async () => {
    const random = new LookupModel(randomTable(new Rng(4), 12, 12, 2));
    const major = [0, 2, 4, 5, 7, 9, 11];
    // Even steps: any note of the scale; odd steps: only the tonic or the fifth.
    const allowedTokens = (step: number) => (step % 2 === 0 ? major : [0, 7]);
    const { sequences } = await generate(random, [0], { maxNewTokens: 300, seed: 1, allowedTokens });
    const tokens = sequences[0]!.tokens;
    for (const [step, t] of tokens.entries()) expect(allowedTokens(step)).toContain(t);
    expect(new Set(tokens.filter((_, i) => i % 2 === 0)).size).toBe(major.length);
    random.dispose();
  });

  it('banned tokens and no-repeat-ngram hold over long samples', async () => {
    const random = new LookupModel(randomTable(new Rng(6), 10, 10, 1));
    const banned = await generate(random, [0], { maxNewTokens: 500, seed: 2, bannedTokens: [3, 7] });
    expect(banned.sequences[0]!.tokens.some((t) => t === 3 || t === 7)).toBe(false);
    const noRepeat = await generate(random, [0, 1], { maxNewTokens: 60, seed: 2, noRepeatNgramSize: 2 });
    const all = [0, 1, ...noRepeat.sequences[0]!.tokens];
    const bigrams = all.slice(1).map((t, i) => `${all[i]},${t}`);
    expect(new Set(bigrams).size).toBe(bigrams.length);
    random.dispose();
  });

  it('refuses bad prompts, ids outside the vocabulary and wrong model outputs', async () => {
    await expect(generate(model, [], {})).rejects.toThrow(ShapeError);
    await expect(generate(model, [5], {})).rejects.toMatchObject({ field: 'promptIds' });
    await expect(generate(model, [0], { stopTokens: [9] })).rejects.toMatchObject({ field: 'stopTokens' });
    await expect(generate(model, [0], { bannedTokens: [5] })).rejects.toMatchObject({ field: 'bannedTokens' });
    await expect(generate(model, [0], { topP: 1.5 })).rejects.toMatchObject({ field: 'topP' });
    const liar = Object.create(model, { vocabSize: { value: 7 } }) as LookupModel;
    const before = tf.memory().numTensors;
    await expect(generate(liar, [0], {})).rejects.toThrow(/logits must be \[1, 7\], got \[1, 5\]/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaks no tensors: greedy, sampled, batched, thrown and aborted runs', async () => {
    const before = tf.memory().numTensors;
    await generate(model, [0, 1], { temperature: 0, maxNewTokens: 30 });
    await generateBatch(model, [[0], [1, 2, 3]], { maxNewTokens: 30, numReturnSequences: 2, seed: 1 });
    await expect(generate(model, [0], { allowedTokens: () => [] })).rejects.toThrow(/every token was removed/);
    const aborted = new AbortController();
    aborted.abort();
    await expect(generate(model, [0], {}, { signal: aborted.signal })).rejects.toThrow(/abort/i);
    expect(tf.memory().numTensors).toBe(before);
  });
});
