import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { generate } from '@seqgen/samplers';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatChatPrompt } from './chat-template.js';
import type { LoadedServedModel } from './load-served-model.js';
import type { RunningServer } from './server.js';
import { loadMoby, serve } from './test-fixtures/moby-server.js';

const run = promisify(execFile);

describe('startServer with the official openai client and curl', () => {
  let served: LoadedServedModel;
  let server: RunningServer;
  let client: OpenAI;
  /** What samplers' generate gives for the same prompt and settings: the reference the server must match. */
  const reference = async (prompt: string, config: Record<string, unknown>) => {
    const { sequences } = await generate(served.model, served.tokenizer.encode(prompt), config);
    return served.tokenizer.decode(sequences[0]!.tokens);
  };

  beforeAll(async () => {
    served = await loadMoby();
    server = await serve(served);
    client = new OpenAI({ baseURL: server.url, apiKey: 'not-checked', maxRetries: 0 });
  });
  afterAll(async () => {
    await server.close();
    served.dispose();
  });

  it('lists the checkpoint under its folder name', async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['moby-char-lstm']);
    expect((await client.models.retrieve('moby-char-lstm')).owned_by).toBe('seqgen');
  });

  it('completions: the text generate gives for the same seed, streamed or not, n choices seeded seed+i', async () => {
    const prompt = 'Call me Ishmael. ';
    const settings = { temperature: 0.8, top_p: 0.95, seed: 42, max_tokens: 48 };
    const expected = await reference(prompt, { temperature: 0.8, topP: 0.95, seed: 42, maxNewTokens: 48 });
    const second = await reference(prompt, { temperature: 0.8, topP: 0.95, seed: 43, maxNewTokens: 48 });

    const whole = await client.completions.create({ model: 'moby-char-lstm', prompt, ...settings, n: 2 });
    expect(whole.object).toBe('text_completion');
    expect(whole.choices.map((c) => c.text)).toEqual([expected, second]);
    expect(whole.choices.map((c) => c.finish_reason)).toEqual(['length', 'length']);
    expect(whole.usage).toEqual({
      prompt_tokens: prompt.length,
      completion_tokens: 96,
      total_tokens: prompt.length + 96,
    });

    const chunks = await client.completions.create({ model: 'moby-char-lstm', prompt, ...settings, stream: true });
    let streamed = '';
    let count = 0;
    let finish: string | null = null;
    for await (const chunk of chunks) {
      streamed += chunk.choices[0]?.text ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      count++;
    }
    expect(streamed).toBe(expected);
    expect(count).toBeGreaterThan(30); // token by token, not one lump
    expect(finish).toBe('length');
  });

  it('chat: the documented template, stop strings cut out of the reply, streaming with usage', async () => {
    const messages = [
      { role: 'system' as const, content: 'You are a sailor.' },
      { role: 'user' as const, content: 'Where is the whale?' },
    ];
    const { prompt } = formatChatPrompt(messages);
    expect(prompt).toBe('System: You are a sailor.\nUser: Where is the whale?\nAssistant:');
    const expected = await reference(prompt, { temperature: 0, maxNewTokens: 80 });
    // A stop string taken from the greedy reply itself, so it certainly occurs.
    const stop = expected.slice(20, 23);
    const cut = expected.slice(0, expected.indexOf(stop));
    const reply = await client.chat.completions.create({
      model: 'moby-char-lstm',
      messages,
      temperature: 0,
      max_tokens: 80,
      stop: [stop],
    });
    expect(reply.choices[0]?.message).toEqual({ role: 'assistant', content: cut, refusal: undefined });
    expect(reply.choices[0]?.finish_reason).toBe('stop');

    const stream = await client.chat.completions.create({
      model: 'moby-char-lstm',
      messages,
      temperature: 0,
      max_tokens: 80,
      stop: stop,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let role: string | undefined;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      role ??= chunk.choices[0]?.delta.role;
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(role).toBe('assistant');
    expect(text).toBe(cut);
    expect(usage?.prompt_tokens).toBe(prompt.length);
  });

  it('curl -N receives server-sent events as they are made, ending with [DONE]', async () => {
    const body = JSON.stringify({ model: 'moby-char-lstm', prompt: 'The sea', max_tokens: 20, seed: 3, stream: true });
    const { stdout } = await run('curl', [
      '-sS',
      '-N',
      '--max-time',
      '20',
      '-H',
      'Content-Type: application/json',
      '-d',
      body,
      `${server.url}/completions`,
    ]);
    const events = stdout.split('\n\n').filter((e) => e.startsWith('data: '));
    expect(events.at(-1)).toBe('data: [DONE]');
    const text = events
      .slice(0, -1)
      .map((e) => JSON.parse(e.slice(6)).choices[0].text)
      .join('');
    expect(text).toBe(await reference('The sea', { temperature: 1, seed: 3, maxNewTokens: 20 }));
  });

  it('concurrent requests share the batch and each still gets its own seeded text', async () => {
    const prompts = ['Ahab ', 'The white whale', 'Queequeg said', 'Starbuck'];
    const before = server.stats().models['moby-char-lstm']!;
    const replies = await Promise.all(
      prompts.map((prompt, i) =>
        client.completions.create({ model: 'moby-char-lstm', prompt, max_tokens: 30, seed: i, temperature: 0.7 }),
      ),
    );
    for (const [i, prompt] of prompts.entries()) {
      expect(replies[i]!.choices[0]!.text).toBe(
        await reference(prompt, { temperature: 0.7, seed: i, maxNewTokens: 30 }),
      );
    }
    const after = server.stats().models['moby-char-lstm']!;
    expect(after.tokens - before.tokens).toBe(120);
    // Four requests of 30 tokens in far fewer than 120 shared steps.
    expect(after.decodeSteps - before.decodeSteps).toBeLessThan(60);
  });
});
