import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@seqgen/core';
import { describe, expect, it } from 'vitest';
import { loadChatbot } from '../src/checkpoint.js';
import { evaluate, PRETRAINED_CHECKPOINT } from '../src/eval.js';
import { explainReply } from '../src/explain.js';
import { DEFAULT_REPLY_SETTINGS, streamReply } from '../src/reply.js';

describe('the shipped checkpoint', () => {
  it('fits in 5 MB with its held-out split and answers a line', async () => {
    const bytes = readdirSync(PRETRAINED_CHECKPOINT).reduce(
      (n, f) => n + statSync(join(PRETRAINED_CHECKPOINT, f)).size,
      0,
    );
    expect(bytes).toBeLessThanOrEqual(5 * 1024 * 1024);
    await initBackend();
    const bot = await loadChatbot(PRETRAINED_CHECKPOINT);
    try {
      expect(bot.metadata).toMatchObject({ turns: 3, format: 'speaker-markers' });
      const reply = await streamReply(bot, [{ role: 'user', text: 'Where do we go next?' }], {
        ...DEFAULT_REPLY_SETTINGS,
        seed: 1,
      });
      expect(reply.length).toBeGreaterThan(0);
      expect(reply).not.toContain('\uFFFD');
    } finally {
      bot.model.dispose();
    }
  });
  it('models the held-out replies: perplexity far below the 1,000-token vocabulary (README: 59.3)', async () => {
    await initBackend();
    const report = await evaluate({ limit: 10, samples: 0 });
    // Every held-out reply within 32 tokens is scored, whatever --limit; the previous checkpoint measured 285.
    expect(report.examples).toBe(312);
    expect(report.metrics.perplexity).toBeGreaterThan(40);
    expect(report.metrics.perplexity).toBeLessThan(70);
  });

  it('explain: draws where each token of its greedy reply looked in the message', async () => {
    await initBackend();
    const bot = await loadChatbot(PRETRAINED_CHECKPOINT);
    const dir = mkdtempSync(join(tmpdir(), 'seqgen-chat-explain-'));
    try {
      const out = join(dir, 'attention.svg');
      const html = join(dir, 'explorer.html');
      const r = await explainReply(bot, 'Where do we go next?', { out, html });
      expect(r.reply.length).toBeGreaterThan(0);
      expect(r.contextTokens.join('')).toContain('Where do we go next?');
      expect(r.weights).toHaveLength(r.replyTokens.length);
      for (const row of r.weights) {
        expect(row).toHaveLength(r.contextTokens.length);
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
      }
      const svg = readFileSync(out, 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg.match(/<rect /g)?.length ?? 0).toBeGreaterThanOrEqual(r.weights.length * r.contextTokens.length);
      expect(readFileSync(html, 'utf8')).toContain('seqgen-chat explain: Where do we go next?');
      await expect(explainReply(bot, 'again', { out })).rejects.toThrow(/exists/);
      await expect(explainReply(bot, '   ', { out: join(dir, 'x.svg') })).rejects.toThrow(/non-empty message/);
    } finally {
      bot.model.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
