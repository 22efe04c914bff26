import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataError } from '../data-error.js';
import { readChatJsonl } from './read-chat-jsonl.js';

describe('readChatJsonl', () => {
  it('reads one conversation per line, without system turns, joining text parts', () => {
    const jsonl = readFileSync(new URL('./test-fixtures/chat.jsonl', import.meta.url));
    expect(readChatJsonl(jsonl, { name: 'chat.jsonl' })).toEqual([
      {
        id: 'chat.jsonl:1',
        turns: [
          { speaker: 'user', text: 'Where do we go next?' },
          { speaker: 'assistant', text: 'North, to the Isle of Alduin.' },
        ],
      },
      {
        id: 'chat.jsonl:3',
        turns: [
          { speaker: 'user', text: 'Is it safe?' },
          { speaker: 'assistant', text: 'Safer than here.' },
        ],
      },
    ]);
    expect(readChatJsonl(jsonl, { keepSystem: true })[0]?.turns[0]).toEqual({
      speaker: 'system',
      text: 'You are terse.',
    });
  });

  it.each([
    ['{"messages":[{"role":"user","content":"hi"}]}\n{"messages": [', 2, 'not valid JSON'],
    ['{"turns":[]}', 1, 'expected an object with a "messages" array'],
    ['null', 1, 'expected an object with a "messages" array'],
    ['{"messages":[{"content":"hi"}]}', 1, 'messages[0] has no string "role"'],
    ['{"messages":[{"role":"user","content":3}]}', 1, 'messages[0] has no string "content"'],
  ])('names the line of malformed input: %s', (text, line, message) => {
    const read = () => readChatJsonl(text, { name: 'bad.jsonl' });
    expect(read).toThrow(DataError);
    expect(read).toThrow(expect.objectContaining({ reason: 'bad-line', line, source: 'bad.jsonl' }));
    expect(read).toThrow(`bad.jsonl:${line}: ${message}`);
  });
});
