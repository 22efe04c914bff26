import { ConfigError } from '@seqgen/base';
import { describe, expect, it } from 'vitest';
import type { Conversation } from './conversation.js';
import { splitConversations } from './split-conversations.js';

const conversation = (id: string, group?: string): Conversation => ({
  id,
  ...(group ? { group } : {}),
  turns: [{ speaker: 'a', text: id }],
});

describe('splitConversations', () => {
  const all = Array.from({ length: 40 }, (_, i) => conversation(`c${i}`, i < 10 ? `scenario${i % 2}` : undefined));

  it('keeps every conversation once and a group in one part, reproducibly', () => {
    const split = splitConversations(all, { test: 5, valid: 5, seed: 3 });
    const ids = [...split.train, ...split.valid, ...split.test].map((c) => c.id).sort();
    expect(ids).toEqual(all.map((c) => c.id).sort());
    for (const group of ['scenario0', 'scenario1']) {
      const parts = [split.train, split.valid, split.test].filter((p) => p.some((c) => c.group === group));
      expect(parts).toHaveLength(1);
    }
    expect(split.test.length).toBeGreaterThanOrEqual(5);
    expect(split.valid.length).toBeGreaterThanOrEqual(5);
    expect(splitConversations(all, { test: 5, valid: 5, seed: 3 })).toEqual(split);
    expect(splitConversations(all, { test: 5, valid: 5, seed: 4 }).test).not.toEqual(split.test);
  });

  it('refuses sizes that leave nothing to train on, or are not sizes', () => {
    expect(() => splitConversations(all, { test: 30, valid: 10 })).toThrow(ConfigError);
    expect(() => splitConversations(all, { test: -1 })).toThrow(/test/);
    expect(() => splitConversations(all, { test: 2.5 })).toThrow(/whole number/);
    expect(() => splitConversations(all, { test: 2, seed: 0.5 })).toThrow(/seed/);
  });
});
