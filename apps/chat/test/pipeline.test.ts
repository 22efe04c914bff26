import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@seqgen/core';
import { distinctN } from '@seqgen/text';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoadedChatbot, loadChatbot } from '../src/checkpoint.js';
import { evaluate } from '../src/eval.js';
import { historyContext } from '../src/examples.js';
import { prepareData, readPrepared } from '../src/prepared-data.js';
import { DEFAULT_REPLY_SETTINGS, replyBatch, streamReply } from '../src/reply.js';
import { serveCheckpoint } from '../src/serve.js';
import { type TrainOptions, train } from '../src/train.js';
import { fixtureDialogue } from './run-cli.js';

let dir: string;
let data: string;
let run: string;
let bot: LoadedChatbot;
const quiet = { info: () => {}, result: () => {} };

/** The tiny model's settings; `data` is set once prepared. */
let tinyRun: TrainOptions = {
  out: '',
  turns: 2,
  format: 'speaker-markers',
  maxContext: 24,
  maxReply: 24,
  cell: 'gru',
  attention: 'bahdanau',
  layers: 1,
  hidden: 16,
  embedding: 8,
  bidirectional: false,
  dropout: 0,
  labelSmoothing: 0,
  steps: 2,
  batch: 16,
  lr: 3e-3,
  seed: 1,
  quiet: true,
  output: quiet,
};

// One tiny model trained for two steps on 24 real conversations, shared by the tests below: they check the
// pipeline and its contracts, not reply quality (the README's table does that for the shipped checkpoint).
beforeAll(async () => {
  await initBackend();
  dir = mkdtempSync(join(tmpdir(), 'seqgen-app-chat-'));
  data = join(dir, 'data');
  run = join(dir, 'run');
  prepareData({ out: data, jsonl: fixtureDialogue, test: 4, valid: 3, vocab: 300, seed: 1 });
  tinyRun = { ...tinyRun, data };
  await train({ ...tinyRun, out: run });
  bot = await loadChatbot(run);
});

afterAll(() => {
  bot?.model.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('prepare', () => {
  it('splits by conversation: no held-out conversation has a turn sequence seen in training', () => {
    const prepared = readPrepared(data);
    const { train: t, valid, test } = prepared.splits;
    expect(t.length + valid.length + test.length).toBe(24);
    expect(test.length).toBe(4);
    const trainKeys = new Set(t.map((c) => JSON.stringify(c.turns)));
    for (const c of [...valid, ...test]) expect(trainKeys.has(JSON.stringify(c.turns))).toBe(false);
    expect(prepared.record.counts.test.conversations).toBe(4);
    expect(prepared.tokenizer.vocabSize).toBeLessThanOrEqual(300);
  });
});

describe('train', () => {
  it('writes a checkpoint that records its context settings, with the held-out split beside it', () => {
    expect(bot.metadata).toMatchObject({
      turns: 2,
      format: 'speaker-markers',
      maxContextTokens: 24,
      maxReplyTokens: 24,
    });
    expect(readFileSync(join(run, 'test.jsonl'), 'utf8')).toBe(readFileSync(join(data, 'test.jsonl'), 'utf8'));
    expect(bot.model.config.targetVocabSize).toBe(bot.tokenizer.vocabSize);
  });

  it('--encoder hierarchical: each line of the context is a turn, encoded alone, then a turn encoder', async () => {
    const out = join(dir, 'hierarchical');
    await train({ ...tinyRun, out, encoder: 'hierarchical', turns: 3 });
    const loaded = await loadChatbot(out);
    try {
      expect(loaded.model.config.encoderType).toBe('hierarchical');
      expect(loaded.model.config.turnSeparatorId).toBe(loaded.tokenizer.encode('\n')[0]);
      expect(Object.keys(loaded.model.variables).some((name) => name.startsWith('encoder/turn-rnn/'))).toBe(true);
      const history = [
        { role: 'user' as const, text: 'Where to?' },
        { role: 'bot' as const, text: 'North.' },
        { role: 'user' as const, text: 'Why?' },
      ];
      const reply = await streamReply(loaded, history, { ...DEFAULT_REPLY_SETTINGS, seed: 3 });
      expect(reply.length).toBeGreaterThan(0);
    } finally {
      loaded.model.dispose();
    }
  });
});

describe('replies', () => {
  it('writes the history with relative speaker markers, the user as A and the bot as B', () => {
    const history = [
      { role: 'user' as const, text: 'Where to?' },
      { role: 'bot' as const, text: 'North.' },
      { role: 'user' as const, text: 'Why?' },
    ];
    expect(historyContext(history, { turns: 2, format: 'speaker-markers' })).toBe('B: North.\nA: Why?');
  });

  it('streams deltas that add up to the reply, reproducibly with a seed, and never a U+FFFD', async () => {
    const deltas: string[] = [];
    const settings = { ...DEFAULT_REPLY_SETTINGS, seed: 7 };
    const history = [{ role: 'user' as const, text: 'The orcs are coming!' }];
    const reply = await streamReply(bot, history, settings, { onText: (d) => deltas.push(d) });
    expect(deltas.join('').trim()).toBe(reply);
    expect(reply.length).toBeGreaterThan(0);
    expect(deltas.join('')).not.toContain('\uFFFD');
    expect(await streamReply(bot, history, settings)).toBe(reply);
  });

  it('stops a reply when its signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    await expect(
      streamReply(bot, [{ role: 'user', text: 'Hello' }], DEFAULT_REPLY_SETTINGS, { signal: controller.signal }),
    ).rejects.toThrow('stopped');
  });

  it('replies to a batch of contexts, one reply each', async () => {
    const replies = await replyBatch(bot, [[5, 6, 7], [8], []], { ...DEFAULT_REPLY_SETTINGS, seed: 1 });
    expect(replies).toHaveLength(3);
    for (const r of replies) expect(r).not.toContain('\uFFFD');
  });
});

describe('eval', () => {
  it('reports perplexity and distinct-n beside the retrieval baseline and the references, under the same names', async () => {
    const report = await evaluate({ checkpoint: run, limit: 6, samples: 2 });
    expect(report.split).toBe('test');
    expect(report.examples).toBeGreaterThan(0);
    expect(report.replied).toBeLessThanOrEqual(6);
    // Two steps from random weights: the held-out perplexity is about the vocabulary size, not far below it.
    expect(report.metrics.perplexity).toBeGreaterThan(50);
    expect(report.metrics.nats_per_token).toBeCloseTo(Math.log(report.metrics.perplexity), 6);
    const retrieval = report.baselines.retrieval_bm25;
    expect(Object.keys(retrieval ?? {}).sort()).toEqual(['bleu', 'distinct_1', 'distinct_2', 'mean_reply_words']);
    const references = report.samples.map((s) => s.reference);
    expect(report.samples).toHaveLength(2);
    expect(report.baselines.references?.distinct_1).toBeGreaterThan(0);
    expect(distinctN(references, 1).total).toBeGreaterThan(0);
  });
});

describe('serve', () => {
  it('answers an OpenAI chat completion with a reply that ends at <eos>', async () => {
    const printed: unknown[] = [];
    const { server, bot: served } = await serveCheckpoint({
      checkpoint: run,
      port: 0,
      host: '127.0.0.1',
      maxBatch: 4,
      maxQueue: 4,
      output: { info: () => {}, printJson: (v) => void printed.push(v) },
    });
    try {
      const response = await fetch(`${server.url}/chat/completions`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          model: 'run',
          messages: [
            { role: 'system', content: 'left out' },
            { role: 'user', content: 'Where do we go next?' },
          ],
          max_tokens: 12,
          seed: 1,
        }),
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { choices: { message: { content: string }; finish_reason: string }[] };
      const choice = body.choices[0];
      expect(['stop', 'length']).toContain(choice?.finish_reason);
      expect(choice?.message.content).not.toContain('\n');
      expect(printed).toEqual([{ model: 'run', url: server.url, port: server.port, host: '127.0.0.1' }]);
    } finally {
      await server.close();
      served.model.dispose();
    }
  });
});
