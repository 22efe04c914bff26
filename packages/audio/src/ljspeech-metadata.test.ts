import { describe, expect, it } from 'vitest';
import { AudioError } from './audio-error.js';
import { parseLjspeechMetadata } from './ljspeech-metadata.js';

describe('parseLjspeechMetadata', () => {
  it('reads three-field and two-field lines, skipping blank lines and CRs', () => {
    const text =
      'LJ001-0001|Printing, in the only sense with which we are at present concerned|Printing, in the only sense with which we are at present concerned\r\n' +
      '\n' +
      'LJ001-0002|in 1450|in fourteen fifty\n' +
      'clip3|Call me Ishmael.\n';
    expect(parseLjspeechMetadata(text)).toEqual([
      {
        id: 'LJ001-0001',
        text: 'Printing, in the only sense with which we are at present concerned',
        normalizedText: 'Printing, in the only sense with which we are at present concerned',
      },
      { id: 'LJ001-0002', text: 'in 1450', normalizedText: 'in fourteen fifty' },
      { id: 'clip3', text: 'Call me Ishmael.', normalizedText: 'Call me Ishmael.' },
    ]);
  });

  it('names the file and line of a malformed entry in an AudioError', () => {
    const cases: Array<[string, RegExp]> = [
      ['a|b|c|d\n', /meta\.csv: line 1: expected id\|transcript/],
      ['ok|fine\njust-an-id\n', /meta\.csv: line 2: expected/],
      ['../etc/passwd|x\n', /line 1: the id "..\/etc\/passwd" is not a plain file name/],
      ['a|x\na|y\n', /line 2: the id "a" appears twice/],
      ['a| | \n', /line 1: clip a has no transcript/],
    ];
    for (const [text, message] of cases) {
      const error = (() => {
        try {
          parseLjspeechMetadata(text, 'meta.csv');
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(AudioError);
      expect((error as AudioError).reason).toBe('corrupt');
      expect((error as Error).message).toMatch(message);
    }
  });

  it('calls a file without clips empty', () => {
    expect(() => parseLjspeechMetadata('\n\n', 'meta.csv')).toThrow(/meta\.csv: no clip listed/);
  });

  it('reads the file as strict UTF-8 bytes: a byte-order mark is dropped, invalid bytes are refused', () => {
    const bytes = new TextEncoder().encode('\uFEFFLJ001-0001|Ωmega, 1851.|Omega, eighteen fifty-one.\n');
    expect(parseLjspeechMetadata(bytes)).toEqual([
      { id: 'LJ001-0001', text: 'Ωmega, 1851.', normalizedText: 'Omega, eighteen fifty-one.' },
    ]);
    const damaged = Uint8Array.from([...new TextEncoder().encode('LJ001-0001|Call me '), 0xc3, 0x28, 0x0a]);
    expect(() => parseLjspeechMetadata(damaged, 'meta.csv')).toThrow(/meta\.csv: is not valid UTF-8/);
  });
});
