import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '@seqgen/core';
import { describe, expect, it } from 'vitest';
import { loadChatbot } from '../src/checkpoint.js';
import { PRETRAINED_CHECKPOINT } from '../src/eval.js';
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
      expect(bot.metadata).toMatchObject({ turns: 2, format: 'speaker-markers' });
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
});
