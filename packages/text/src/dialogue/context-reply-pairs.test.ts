import { ConfigError } from '@seqgen/base';
import { describe, expect, it } from 'vitest';
import { contextReplyPairs, formatContext } from './context-reply-pairs.js';

const scene = {
  id: 'httt#1',
  turns: [
    { speaker: 'narrator', text: 'Orcs attack.' },
    { speaker: 'Konrad', text: 'What shall we do?' },
    { speaker: 'Delfador', text: 'We must escape!' },
    { speaker: 'Konrad', text: 'But to where?' },
  ],
};

describe('contextReplyPairs', () => {
  it('makes each non-narrator turn a reply to the turns before it, marked relative to the replier', () => {
    expect(contextReplyPairs([scene], { turns: 2 })).toEqual([
      { context: 'A: Orcs attack.', reply: 'What shall we do?', conversation: 'httt#1' },
      { context: 'A: Orcs attack.\nA: What shall we do?', reply: 'We must escape!', conversation: 'httt#1' },
      { context: 'B: What shall we do?\nA: We must escape!', reply: 'But to where?', conversation: 'httt#1' },
    ]);
    expect(contextReplyPairs([scene], { turns: 1, format: 'plain' }).map((p) => p.context)).toEqual([
      'Orcs attack.',
      'What shall we do?',
      'We must escape!',
    ]);
  });

  it('refuses a turn count below 1 and an unknown format', () => {
    expect(() => contextReplyPairs([scene], { turns: 0 })).toThrow(ConfigError);
    expect(() => formatContext(scene.turns, 'Konrad', { turns: 2, format: 'xml' as never })).toThrow(/format/);
  });
});
