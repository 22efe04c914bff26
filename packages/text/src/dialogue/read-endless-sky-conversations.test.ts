import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readEndlessSkyConversations } from './read-endless-sky-conversations.js';

const data = readFileSync(new URL('./test-fixtures/endless-sky-intro-missions.txt', import.meta.url));

describe('readEndlessSkyConversations', () => {
  it('turns each choice option into narration → player → the narration it leads to', () => {
    const conversations = readEndlessSkyConversations(data, { name: 'intro' });
    expect(conversations.map((c) => [c.id, c.group, c.turns.map((t) => t.speaker)])).toEqual([
      ['intro:7', 'intro:2', ['game', 'player', 'game']],
      ['intro:8', 'intro:2', ['game', 'player']],
    ]);
    const [accept] = conversations;
    expect(accept?.turns[0]?.text).toMatch(/^You're absolutely sure that your shuttle/);
    expect(accept?.turns[1]?.text).toBe('"Sure, welcome aboard!"');
    // The option has no lines of its own: the story falls through to the text after the choice.
    expect(accept?.turns[2]?.text).toMatch(/^James helps the older woman up the steps/);
  });

  it('finds nothing in a file without conversations', () => {
    expect(readEndlessSkyConversations('ship "Shuttle"\n\tattributes\n\t\tcost 1\n')).toEqual([]);
  });
});
