import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataError } from '../data-error.js';
import { readWesnothScenario } from './read-wesnoth-scenario.js';

const fixture = (name: string) => readFileSync(new URL(`./test-fixtures/${name}`, import.meta.url));

describe('readWesnothScenario', () => {
  it('reads each top-level [event] of a real scenario as one scene, in order', () => {
    const scenes = readWesnothScenario(fixture('httt-01-elves-besieged.cfg'), { name: 'httt-01.cfg' });
    expect(scenes.map((s) => [s.id, s.group, s.turns.length])).toEqual([
      ['httt-01.cfg#1', 'httt-01.cfg', 12],
      ['httt-01.cfg#2', 'httt-01.cfg', 5],
    ]);
    const first = scenes[0]?.turns ?? [];
    expect(first[0]?.speaker).toBe('narrator');
    expect(first[1]).toEqual({
      speaker: 'Konrad',
      text: 'Master Delfador! Look, there are orcs coming from all directions! What shall we do?',
    });
    // `#ifdef HARD … #else … #endif`: the first branch only, so one Knafa-Tan line, not two.
    expect(first.filter((t) => t.speaker === 'Knafa-Tan').map((t) => t.text)).toEqual([
      'Remember, it is rumored that the filthy mage and one that he protects are in these parts. They are the ones we want!',
    ]);
    expect(scenes[1]?.turns.at(-1)?.text).toBe(
      'Good luck, Konrad! Don’t worry about us, we will fight as best we can!',
    );
  });

  it('joins strings that span lines and strips markup and tags that share a line', () => {
    const [dm] = readWesnothScenario(fixture('dm-08-ur-thorodor.cfg'));
    expect(dm?.turns[0]?.text).toMatch(/spirit world\. But as Delfador’s meditation deepened/);
    expect(dm?.turns[1]).toEqual({ speaker: 'Delfador', text: 'Ommmmmmm...' });
    const [dw] = readWesnothScenario(fixture('dw-01-invasion.cfg'));
    expect(dw?.turns).toEqual([
      { speaker: 'Kai Krellis', text: 'He is raising the dead from every village!' },
      { speaker: 'Gwabbo', text: 'This will be a dark day, but we will prevail.' },
    ]);
  });

  it('reads "" as a quote, + joined strings, id= as the speaker, and skips [option] texts and macros', () => {
    const cfg = [
      '#define SAY',
      '[message]',
      'speaker=Ghost',
      'message=_"inside a macro"',
      '[/message]',
      '#enddef',
      '[event]',
      '[message]',
      '    id=Olurf',
      '    message= _ "He said ""go""" +',
      '        _ " and went."',
      '    [option]',
      '        message= _ "an option"',
      '    [/option]',
      '[/message]',
      '[/event]',
    ].join('\n');
    expect(readWesnothScenario(cfg)).toEqual([
      { id: '<cfg>#1', group: '<cfg>', turns: [{ speaker: 'Olurf', text: 'He said "go" and went.' }] },
    ]);
  });

  it('names the line of an unbalanced closing tag and of a string left open', () => {
    const closing = () => readWesnothScenario('[event]\n[message]\n[/event]\n', { name: 'bad.cfg' });
    expect(closing).toThrow(DataError);
    expect(closing).toThrow('bad.cfg:3: [/event] closes [message]');
    const open = () => readWesnothScenario('[message]\nspeaker=A\nmessage=_"never closed\n', { name: 'cut.cfg' });
    expect(open).toThrow(expect.objectContaining({ reason: 'truncated', line: 3 }));
    expect(() => readWesnothScenario(new Uint8Array([0xff, 0xfe]), { name: 'bin.cfg' })).toThrow(
      expect.objectContaining({ reason: 'bad-encoding', source: 'bin.cfg' }),
    );
  });
});
