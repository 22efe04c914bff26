import { connect } from 'node:net';
import { CheckpointError, ConfigError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoadedServedModel, loadServedModel } from './load-served-model.js';
import type { RunningServer } from './server.js';
import { startServer } from './server.js';
import { loadMoby, post, serve } from './test-fixtures/moby-server.js';

/** Waits until `check` holds (polling), or fails after `ms`. */
async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('startServer: bad input, back-pressure and disconnects', () => {
  let served: LoadedServedModel;
  let server: RunningServer;
  let completions: string;

  beforeAll(async () => {
    served = await loadMoby();
    server = await serve(served, { maxBatch: 4, maxQueue: 2, maxTokens: 1000, requestTimeoutMs: 400 });
    completions = `${server.url}/completions`;
  });
  afterAll(async () => {
    await server.close();
    served.dispose();
  });

  it('400 in OpenAI error JSON naming the field: unknown fields, wrong types, absurd values, malformed JSON', async () => {
    const base = { model: 'moby-char-lstm', prompt: 'Ahab' };
    const cases: [unknown, string | null, string][] = [
      [
        { ...base, frequency_penalty: 1 },
        'frequency_penalty',
        'Unrecognized request argument supplied: frequency_penalty',
      ],
      [{ ...base, max_tokens: 1e9 }, 'max_tokens', 'max_tokens: must be an integer from 1 to 1000, got 1000000000'],
      [{ ...base, max_tokens: 2.5 }, 'max_tokens', 'max_tokens: must be an integer, got 2.5'],
      [{ ...base, temperature: 'hot' }, 'temperature', 'temperature: must be a number, got "hot"'],
      [{ ...base, top_p: 1.5 }, 'top_p', 'top_p: must be between 0 and 1, got 1.5'],
      [{ ...base, n: 0 }, 'n', 'n: must be an integer from 1 to 8, got 0'],
      [{ ...base, stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop', 'stop: at most 4 stop sequences, got 5'],
      [{ ...base, prompt: '' }, 'prompt', 'prompt: must not be empty'],
      [{ model: 'moby-char-lstm' }, 'prompt', 'prompt: must be a string (batched prompts: send one request each)'],
      [{ prompt: 'x' }, 'model', 'model: a model id (string) is required'],
      [[1, 2], null, 'the request body must be a JSON object'],
    ];
    for (const [body, param, message] of cases) {
      const { status, body: answer } = await post(completions, body);
      expect(status, JSON.stringify(body)).toBe(400);
      expect(answer.error).toMatchObject({ type: 'invalid_request_error', param, message });
    }
    const bad = await post(completions, '{"model": "moby-char-lstm", "prompt": ');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_json' });
    const chat = await post(`${server.url}/chat/completions`, {
      model: 'moby-char-lstm',
      messages: [{ role: 'wizard', content: 'hi' }],
    });
    expect(chat.status).toBe(400);
    expect(chat.body.error).toMatchObject({ param: 'messages[0].role' });
    // A prompt longer than maxPromptTokens.
    const limited = await serve(served, { maxPromptTokens: 10 });
    const long = await post(`${limited.url}/completions`, { model: 'moby-char-lstm', prompt: 'x'.repeat(11) });
    expect(long.status).toBe(400);
    expect(long.body.error).toMatchObject({ code: 'context_length_exceeded', param: 'prompt' });
    await limited.close();
  });

  it('404 unknown model (openai client: NotFoundError) and unknown path, 405 wrong method, 413 a 1 MB prompt', async () => {
    const client = new OpenAI({ baseURL: server.url, apiKey: 'x', maxRetries: 0 });
    const missing = client.completions.create({ model: 'gpt-4', prompt: 'hi' });
    await expect(missing).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(missing).rejects.toMatchObject({ status: 404, code: 'model_not_found', param: 'model' });
    const path = await fetch(`${server.url}/embeddings`, { method: 'POST', body: '{}' });
    expect(path.status).toBe(404);
    expect(((await path.json()) as { error: { code: string } }).error.code).toBe('not_found');
    const method = await fetch(completions);
    expect(method.status).toBe(405);
    await method.body?.cancel();
    const huge = await post(completions, { model: 'moby-char-lstm', prompt: 'a'.repeat(1024 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.body.error).toMatchObject({ code: 'request_too_large' });
  });

  it('429 once maxBatch + maxQueue requests are held; the queue drains and serving goes on', async () => {
    const before = tf.memory().numTensors;
    const client = new OpenAI({ baseURL: server.url, apiKey: 'x', maxRetries: 0 });
    const long = Array.from({ length: 6 }, (_, i) =>
      client.completions.create({ model: 'moby-char-lstm', prompt: 'Ahab', max_tokens: 120, seed: i }),
    );
    await until(() => server.stats().models['moby-char-lstm']!.waiting === 2);
    const refused = client.completions.create({ model: 'moby-char-lstm', prompt: 'Ahab', max_tokens: 5 });
    await expect(refused).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    await expect(refused).rejects.toMatchObject({ status: 429, code: 'queue_full' });
    const done = await Promise.all(long);
    expect(done.map((r) => r.choices[0]!.text.length)).toEqual(Array(6).fill(120));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('client disconnects mid-stream cancel generation and free its tensors (499); the server keeps serving', async () => {
    const before = tf.memory().numTensors;
    const stats0 = server.stats();
    const disconnects = 40;
    await Promise.all(
      Array.from({ length: disconnects }, async (_, i) => {
        const controller = new AbortController();
        const res = await fetch(completions, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ model: 'moby-char-lstm', prompt: 'Call me', max_tokens: 1000, stream: true, seed: i }),
          signal: controller.signal,
        }).catch(() => null);
        // Leave after the first event (or at once when the queue refused us).
        if (res?.status === 200) await res.body?.getReader().read();
        controller.abort();
      }),
    );
    await until(() => {
      const m = server.stats().models['moby-char-lstm']!;
      return m.decoding + m.priming + m.waiting === 0;
    });
    const stats1 = server.stats();
    const left = (stats1.statuses['499'] ?? 0) - (stats0.statuses['499'] ?? 0);
    const refused = (stats1.statuses['429'] ?? 0) - (stats0.statuses['429'] ?? 0);
    expect(left + refused).toBe(disconnects);
    expect(left).toBeGreaterThanOrEqual(6); // at least a full batch and queue were streaming when they left
    expect(stats1.models['moby-char-lstm']!.cancelled - stats0.models['moby-char-lstm']!.cancelled).toBe(left);
    expect(tf.memory().numTensors).toBe(before);
    const after = await post(completions, { model: 'moby-char-lstm', prompt: 'Still', max_tokens: 4 });
    expect(after.status).toBe(200);
  });

  it('a slow-loris client that never finishes its request is answered 408 and dropped', async () => {
    const socket = connect(server.port, '127.0.0.1');
    let received = '';
    socket.on('data', (d) => {
      received += d.toString();
    });
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write(
      `POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"mo`,
    );
    const started = Date.now();
    await closed;
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('refuses bad server options and checkpoints that cannot serve', async () => {
    await expect(startServer({ models: [] })).rejects.toThrow(ConfigError);
    await expect(startServer({ models: [served, served] })).rejects.toThrow(/served twice/);
    await expect(loadServedModel('/nonexistent/checkpoint')).rejects.toBeInstanceOf(CheckpointError);
  });
});
