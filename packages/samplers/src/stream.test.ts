import { ConfigError, initBackend, Rng } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from './generate.js';
import { type StreamedToken, stream } from './stream.js';
import { LookupModel, randomTable } from './test-fixtures/lookup-model.js';

const VOCAB = 'abcdefghijkl';
const decode = (ids: readonly number[]) => ids.map((i) => VOCAB[i]).join('');

describe('stream', () => {
  let model: LookupModel;
  beforeAll(async () => {
    await initBackend();
    model = new LookupModel(randomTable(new Rng(12), 12, 12, 1.5));
  });
  afterAll(() => model.dispose());

  it('yields the tokens generate returns, with text deltas that add up to the decoded text', async () => {
    const config = { maxNewTokens: 25, seed: 42 };
    const expected = (await generate(model, [0], config, { decode })).sequences[0]!;
    const seen: StreamedToken[] = [];
    const items: StreamedToken[] = [];
    for await (const item of stream(model, [0], config, { decode, onToken: (t) => seen.push(t) })) items.push(item);
    expect(items.map((i) => i.token)).toEqual(expected.tokens);
    expect(items.map((i) => i.text).join('')).toBe(expected.text);
    expect(seen).toEqual(items);
  });

  it('runs 10,000 steps with a flat tensor count', async () => {
    const before = tf.memory().numTensors;
    const counts = new Set<number>();
    let n = 0;
    for await (const _ of stream(
      model,
      [0],
      { maxNewTokens: 10_000, seed: 1 },
      { onToken: () => counts.add(tf.memory().numTensors) },
    )) {
      n++;
    }
    expect(n).toBe(10_000);
    // Between steps only the table and the carried state are alive: one count, every step.
    expect([...counts]).toEqual([before + 1]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('an abort stops before the next model step, rejects, and disposes the state', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const calls = model.stepCalls;
    const tokens: number[] = [];
    const run = async () => {
      for await (const { token } of stream(
        model,
        [0, 1],
        { maxNewTokens: 1000, seed: 3 },
        { signal: controller.signal },
      )) {
        tokens.push(token);
        if (tokens.length === 5) controller.abort();
      }
    };
    await expect(run()).rejects.toMatchObject({ name: 'AbortError' });
    expect(tokens).toHaveLength(5);
    expect(model.stepCalls - calls).toBe(2 + 5 - 1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('an abort from a timer interrupts a long generation at its next step', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const calls = model.stepCalls;
    let stepsAtAbort = -1;
    let tokensAtAbort = -1;
    let n = 0;
    setTimeout(() => {
      stepsAtAbort = model.stepCalls - calls;
      tokensAtAbort = n;
      controller.abort();
    }, 50);
    const maxNewTokens = 200_000;
    const run = async () => {
      for await (const _ of stream(model, [0], { maxNewTokens, seed: 3 }, { signal: controller.signal })) n++;
    };
    await expect(run()).rejects.toMatchObject({ name: 'AbortError' });
    // The timer ran mid-generation, which it can only do because the loop yields to the event loop
    // (without the yield the loop would run all its steps first and finish instead of rejecting)…
    expect(tokensAtAbort).toBeGreaterThan(0);
    expect(tokensAtAbort).toBeLessThan(maxNewTokens);
    // …and once it had, not one more model step ran and not one more token came out.
    expect(model.stepCalls - calls).toBe(stepsAtAbort);
    expect(n).toBe(tokensAtAbort);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaving the loop early (break) disposes the state too', async () => {
    const before = tf.memory().numTensors;
    for await (const { token } of stream(model, [0], { maxNewTokens: 100, seed: 3 })) {
      expect(token).toBeGreaterThanOrEqual(0);
      break;
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses beam search and several sequences, up front', () => {
    expect(() => stream(model, [0], { numBeams: 2 })).toThrow(ConfigError);
    expect(() => stream(model, [0], { numReturnSequences: 2 })).toThrow(/numReturnSequences/);
  });
});
