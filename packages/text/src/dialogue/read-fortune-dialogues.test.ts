import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readFortuneDialogues } from './read-fortune-dialogues.js';

const fortunes = readFileSync(new URL('./test-fixtures/fortunes-irc.txt', import.meta.url));

describe('readFortuneDialogues', () => {
  it('reads IRC and Speaker: exchanges and skips monologues, quotes and shell sessions', () => {
    const conversations = readFortuneDialogues(fortunes, { name: 'fortunes-irc' });
    expect(conversations.map((c) => c.id)).toEqual(['fortunes-irc:2', 'fortunes-irc:3', 'fortunes-irc:6']);
    expect(conversations[1]?.turns).toEqual([
      { speaker: 'sel', text: 'need help: my first packet to my provider gets lost :-(' },
      { speaker: 'netgod', text: 'sel: dont send the first one, start with #2' },
    ]);
    // `* nick acts` lines are turns of that nick; indented lines continue the turn.
    expect(conversations[0]?.turns.map((t) => t.speaker)).toEqual(['james', 'netgod']);
    expect(conversations[0]?.turns[0]?.text).toBe(
      "* james would be more impressed if netgod's magic powers could stop the splits in the first place...",
    );
    expect(conversations[2]?.turns).toEqual([
      {
        speaker: 'Prof',
        text: 'So the American government went to IBM to come up with a data encryption standard and they came up with ...',
      },
      { speaker: 'Student', text: 'EBCDIC!"' },
    ]);
  });

  it('drops a trailing attribution and needs two speakers', () => {
    const text = '<a> hi\n<b> hello\n\t\t-- #debian\n%\n<a> talking\n<a> to myself\n%\n';
    expect(readFortuneDialogues(text).map((c) => c.turns.length)).toEqual([2]);
    expect(readFortuneDialogues('')).toEqual([]);
  });
});
