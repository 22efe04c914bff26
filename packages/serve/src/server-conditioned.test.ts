import { initBackend } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from './server.js';
import { echoSeq2Seq } from './test-fixtures/echo-seq2seq.js';

describe('startServer with a conditioned (sequence-to-sequence) model', () => {
  let server: RunningServer;
  let client: OpenAI;
  beforeAll(async () => {
    await initBackend();
    server = await startServer({ models: [echoSeq2Seq()] });
    client = new OpenAI({ baseURL: server.url, apiKey: 'x', maxRetries: 0 });
  });
  afterAll(() => server.close());

  it('prepare gives each request its own condition; sources of different lengths share the batch', async () => {
    const before = tf.memory().numTensors;
    const sources = ['aab', 'hhhhhhhhhg', 'cdc', 'eeeeeffe'];
    const replies = await Promise.all(
      sources.map((content) =>
        client.chat.completions.create({
          model: 'echo-seq2seq',
          messages: [{ role: 'user', content }],
          temperature: 0,
          max_tokens: 6,
        }),
      ),
    );
    expect(replies.map((r) => r.choices[0]?.message.content)).toEqual(['aaaaaa', 'hhhhhh', 'cccccc', 'eeeeee']);
    const stats = server.stats().models['echo-seq2seq']!;
    expect(stats.decodeSteps).toBeLessThan(4 * 6);
    // Every condition the server made was disposed with its request.
    expect(tf.memory().numTensors).toBe(before);
  });
});
