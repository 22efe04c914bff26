import { ConfigError, initBackend, Rng, ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, generateBatch } from '../generate.js';
import type { GenerationConfig } from '../generation-config.js';
import { disposeState } from '../model-state.js';
import { ConditionedModel, favouring } from '../test-fixtures/conditioned-model.js';
import { HistoryModel } from '../test-fixtures/history-model.js';
import { type BatchToken, ContinuousBatcher } from './continuous-batcher.js';
import { QueueFullError } from './queue-full-error.js';

const V = 12;
const LETTERS = (ids: readonly number[]) => ids.map((i) => 'abcdefghijkl'[i]).join('');

async function collect(tokens: AsyncIterable<BatchToken>): Promise<BatchToken[]> {
  const out: BatchToken[] = [];
  for await (const t of tokens) out.push(t);
  return out;
}

describe('ContinuousBatcher', () => {
  let model: HistoryModel;
  beforeAll(async () => {
    await initBackend();
    model = new HistoryModel(new Rng(3), V);
  });
  afterAll(() => model.dispose());

  it('requests arriving together get what generateBatch gives each alone, sharing one step per token', async () => {
    const before = tf.memory().numTensors;
    const requests: { prompt: number[]; config: Partial<GenerationConfig> }[] = [
      { prompt: [1, 2, 3, 4, 5], config: { temperature: 0, maxNewTokens: 6 } },
      { prompt: [7], config: { temperature: 1.3, seed: 11, maxNewTokens: 9 } },
      { prompt: [0, 9], config: { temperature: 0.8, topP: 0.9, seed: 5, maxNewTokens: 7 } },
      { prompt: [4, 4, 4], config: { temperature: 1, seed: 5, maxNewTokens: 8, stopTokens: [3] } },
    ];
    const batcher = new ContinuousBatcher(model, { maxBatch: 8 });
    const streams = requests.map((r) => batcher.submit({ promptIds: r.prompt, config: r.config }));
    const got = await Promise.all(streams.map(collect));
    for (const [i, r] of requests.entries()) {
      const [expected] = await generateBatch(model, [r.prompt], r.config);
      const seq = expected!.sequences[0]!;
      const tokens = got[i]!;
      expect(tokens.map((t) => t.token)).toEqual(seq.tokens);
      expect(tokens.reduce((sum, t) => sum + t.logProb, 0)).toBeCloseTo(seq.logProb, 4);
      expect(tokens.at(-1)).toMatchObject({ done: true, finishReason: seq.finishReason });
      expect(tokens.slice(0, -1).every((t) => !t.done)).toBe(true);
    }
    // Greedy rows also match one generateBatch call over all their prompts.
    const greedy = await generateBatch(model, [[1, 2], [6], [3, 3, 3]], { temperature: 0, maxNewTokens: 5 });
    const together = await Promise.all(
      [[1, 2], [6], [3, 3, 3]].map((p) =>
        collect(batcher.submit({ promptIds: p, config: { temperature: 0, maxNewTokens: 5 } })),
      ),
    );
    expect(together.map((ts) => ts.map((t) => t.token))).toEqual(greedy.map((g) => g.sequences[0]!.tokens));
    const stats = batcher.stats();
    const tokenCount = got.flat().length + together.flat().length;
    expect(stats.tokens).toBe(tokenCount);
    // Shared steps: far fewer decoding steps than tokens (9 + 5 is the fewest possible in two rounds).
    expect(stats.decodeSteps).toBeLessThanOrEqual(9 + 5 + 2);
    expect(stats).toMatchObject({ decoding: 0, priming: 0, waiting: 0, completed: 7, cancelled: 0 });
    await batcher.close();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a request arriving mid-stream joins the running batch; both get their own results', async () => {
    const before = tf.memory().numTensors;
    const batcher = new ContinuousBatcher(model, { maxBatch: 4, primeStepsPerTick: 1 });
    const a = { prompt: [2, 5], config: { temperature: 1, seed: 21, maxNewTokens: 30 } };
    const b = { prompt: [8, 1, 1, 0], config: { temperature: 1, seed: 22, maxNewTokens: 10 } };
    const first = batcher.submit({ promptIds: a.prompt, config: a.config });
    const early: BatchToken[] = [];
    for (let i = 0; i < 5; i++) early.push((await first.next()).value as BatchToken);
    const second = collect(batcher.submit({ promptIds: b.prompt, config: b.config }));
    expect(batcher.stats().waiting + batcher.stats().priming).toBe(1);
    const rest = await collect(first);
    const [soloA, soloB] = await Promise.all([
      generate(model, a.prompt, a.config),
      generate(model, b.prompt, b.config),
    ]);
    expect([...early, ...rest].map((t) => t.token)).toEqual(soloA.sequences[0]!.tokens);
    expect((await second).map((t) => t.token)).toEqual(soloB.sequences[0]!.tokens);
    // B's 10 tokens were decoded alongside A's 30: one step each for A plus none extra for B.
    expect(batcher.stats().decodeSteps).toBe(30);
    await batcher.close();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaving early or aborting cancels the row and frees its tensors; the others go on', async () => {
    const before = tf.memory().numTensors;
    const batcher = new ContinuousBatcher(model);
    const config = { temperature: 1, seed: 4, maxNewTokens: 200 };
    const kept = collect(batcher.submit({ promptIds: [1], config: { ...config, maxNewTokens: 40 } }));
    const left = batcher.submit({ promptIds: [2, 3], config });
    const controller = new AbortController();
    const aborted = collect(batcher.submit({ promptIds: [5], config, signal: controller.signal }));
    await left.next();
    await left.return?.();
    controller.abort(new Error('client went away'));
    await expect(aborted).rejects.toThrow('client went away');
    expect(await kept).toHaveLength(40);
    expect(batcher.stats()).toMatchObject({ cancelled: 2, completed: 1, decoding: 0 });
    expect(tf.memory().numTensors).toBe(before);
    await batcher.close();
  });

  it('refuses a request beyond maxBatch + maxQueue with QueueFullError, and bad requests with typed errors', async () => {
    const batcher = new ContinuousBatcher(model, { maxBatch: 1, maxQueue: 1 });
    const config = { temperature: 0, maxNewTokens: 3 };
    const held = [batcher.submit({ promptIds: [1], config }), batcher.submit({ promptIds: [2], config })];
    expect(() => batcher.submit({ promptIds: [3], config })).toThrow(QueueFullError);
    expect(() => batcher.submit({ promptIds: [3], config })).toThrow(/queue is full \(2 requests held\)/);
    await Promise.all(held.map(collect));
    expect(await collect(batcher.submit({ promptIds: [3], config }))).toHaveLength(3);
    expect(() => batcher.submit({ promptIds: [], config })).toThrow(ShapeError);
    expect(() => batcher.submit({ promptIds: [V], config })).toThrow(/promptIds: token ids must be integers/);
    expect(() => batcher.submit({ promptIds: [1], config: { numBeams: 2 } })).toThrow(ConfigError);
    expect(() => batcher.submit({ promptIds: [1], config: { numReturnSequences: 2 } })).toThrow(/numReturnSequences/);
    expect(() => batcher.submit({ promptIds: [1], config: { stopSequences: ['x'] } })).toThrow(/decode function/);
    expect(() => new ContinuousBatcher(model, { maxBatch: 0 })).toThrow(ConfigError);
    // A refused request's condition is freed too: the batcher owned it from submit on.
    const before = tf.memory().numTensors;
    const refused = tf.zeros([1, 3]);
    expect(() => batcher.submit({ promptIds: [1], config: { numBeams: 2 }, condition: refused as never })).toThrow(
      ConfigError,
    );
    expect(refused.isDisposed).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    await batcher.close();
    expect(() => batcher.submit({ promptIds: [1], config })).toThrow(/closed/);
  });

  it('streams whole text deltas and stops on a string', async () => {
    const batcher = new ContinuousBatcher(model);
    const config = { temperature: 0, maxNewTokens: 40 };
    const [solo] = await generateBatch(model, [[0, 1]], config, { decode: LETTERS });
    const text = solo!.sequences[0]!.text as string;
    const stopAt = text.slice(6, 8);
    const tokens = await collect(
      batcher.submit({ promptIds: [0, 1], config: { ...config, stopSequences: [stopAt] }, decode: LETTERS }),
    );
    const streamed = tokens.map((t) => t.text).join('');
    expect(streamed).toBe(LETTERS(tokens.map((t) => t.token)));
    expect(streamed.includes(stopAt)).toBe(true);
    expect(tokens.at(-1)?.finishReason).toBe('stop-sequence');
    await batcher.close();
  });

  it('conditioned rows with sources of different lengths share the batch (padded and masked)', async () => {
    const conditioned = new ConditionedModel(new Rng(9), 6);
    const before = tf.memory().numTensors;
    const batcher = new ContinuousBatcher(conditioned);
    const config = { temperature: 0, maxNewTokens: 4 };
    const sources = [
      { favoured: 2, length: 3 },
      { favoured: 4, length: 5 },
      { favoured: 1, length: 1 },
    ];
    const streams = sources.map(({ favoured, length }) =>
      collect(batcher.submit({ promptIds: [0], config, condition: favouring(6, [favoured], length) })),
    );
    const got = await Promise.all(streams);
    expect(got.map((ts) => ts.map((t) => t.token))).toEqual([
      [2, 2, 2, 2],
      [4, 4, 4, 4],
      [1, 1, 1, 1],
    ]);
    for (const [i, { favoured, length }] of sources.entries()) {
      const condition = favouring(6, [favoured], length);
      const solo = await generate(conditioned, [0], config, { condition });
      disposeState(condition);
      expect(got[i]!.reduce((s, t) => s + t.logProb, 0)).toBeCloseTo(solo.sequences[0]!.logProb, 4);
    }
    await batcher.close();
    // The batcher disposed every condition it was given.
    expect(tf.memory().numTensors).toBe(before);
    conditioned.dispose();
  });
});
