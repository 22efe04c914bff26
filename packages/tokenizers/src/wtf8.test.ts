import { PROPERTY_SEED, unicodeStrings } from '@seqgen/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeWtf8, encodeWtf8 } from './wtf8.js';

describe('WTF-8', () => {
  it('is plain UTF-8 for well-formed text', () => {
    const text = 'aé漢😀\u0000';
    expect([...encodeWtf8(text)]).toEqual([...new TextEncoder().encode(text)]);
  });

  it('writes a lone surrogate as its 3-byte generalized UTF-8 form', () => {
    expect([...encodeWtf8('\uD800')]).toEqual([0xed, 0xa0, 0x80]);
    expect([...encodeWtf8('\uDFFF')]).toEqual([0xed, 0xbf, 0xbf]);
    // A reversed pair is two lone surrogates, not a character.
    expect([...encodeWtf8('\uDC00\uD800')]).toEqual([0xed, 0xb0, 0x80, 0xed, 0xa0, 0x80]);
    expect(decodeWtf8(Uint8Array.of(0x61, 0xed, 0xa0, 0x80, 0x62))).toBe('a\uD800b');
  });

  it('decodes bytes no encoder writes to U+FFFD', () => {
    expect(decodeWtf8(Uint8Array.of(0x61, 0xff, 0x62))).toBe('a\uFFFDb');
    expect(decodeWtf8(Uint8Array.of(0xe6, 0xbc))).toBe('\uFFFD');
  });

  it('round-trips every string (property)', () => {
    fc.assert(
      fc.property(unicodeStrings, (s) => decodeWtf8(encodeWtf8(s)) === s),
      { seed: PROPERTY_SEED, numRuns: 1000 },
    );
  });
});
