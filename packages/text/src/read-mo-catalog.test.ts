import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataError } from './data-error.js';
import { type MoEntry, readMoCatalog } from './read-mo-catalog.js';

// Catalogs compiled by GNU msgfmt from the .po files beside them (test-fixtures/make-mo-fixtures.sh).
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./test-fixtures/${name}`, import.meta.url)));

const GERMAN: MoEntry[] = [
  {
    msgid: '%d file copied',
    msgstr: '%d Datei kopiert',
    plural: { msgid: '%d files copied', msgstr: ['%d Datei kopiert', '%d Dateien kopiert'] },
  },
  { msgid: 'Cannot open %s: %s', msgstr: '%s kann nicht geöffnet werden: %s' },
  { msgid: 'Open', msgstr: 'Öffnen' },
  { msgid: '_File', msgstr: '_Datei' },
  { msgid: 'Close', msgstr: 'Ende', context: 'noun' },
  { msgid: 'Close', msgstr: 'Schließen', context: 'verb' },
];

/** A copy of `bytes` with the 32-bit word at `offset` replaced (little-endian, as the fixture is). */
function patched(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setUint32(offset, value, true);
  return copy;
}

function failure(bytes: Uint8Array, name = 'evil.mo'): DataError {
  try {
    readMoCatalog(bytes, { name });
  } catch (error) {
    if (error instanceof DataError) return error;
    throw error;
  }
  throw new Error('expected a DataError');
}

describe('readMoCatalog', () => {
  it('reads messages, contexts and plural forms of a little-endian catalog', () => {
    expect(readMoCatalog(fixture('sample.de.mo'), { name: 'sample.de.mo' })).toEqual(GERMAN);
  });

  it('reads the same catalog written big-endian', () => {
    expect(readMoCatalog(fixture('sample.de.be.mo'), { name: 'sample.de.be.mo' })).toEqual(GERMAN);
  });

  it('decodes the charset named in the header (ISO-8859-1)', () => {
    const entries = readMoCatalog(fixture('sample.latin1.mo'), { name: 'sample.latin1.mo' });
    expect(entries.find((e) => e.msgid === 'Open')?.msgstr).toBe('Öffnen');
    expect(entries.find((e) => e.context === 'verb')?.msgstr).toBe('Schließen');
  });

  it('refuses a charset TextDecoder lacks, naming it', () => {
    const error = failure(fixture('sample.armscii8.mo'), 'hy.mo');
    expect(error.reason).toBe('unsupported-charset');
    expect(error.message).toBe('hy.mo: charset "armscii-8" is not supported by TextDecoder');
  });

  it('refuses bytes that are not valid in the charset', () => {
    const bytes = fixture('sample.de.mo');
    // The first byte of "Öffnen" (0xC3 0x96 in UTF-8) becomes an invalid lead byte.
    const at = bytes.findIndex((b, i) => b === 0xc3 && bytes[i + 1] === 0x96);
    const broken = bytes.slice();
    broken[at] = 0xff;
    expect(failure(broken).reason).toBe('bad-encoding');
  });

  it('names a file that is too short, or not a catalog', () => {
    expect(failure(new Uint8Array(10)).message).toBe('evil.mo: 10 bytes is shorter than the 28-byte .mo header');
    const text = new TextEncoder().encode('msgid "Open"\nmsgstr "Öffnen"\n');
    expect(failure(text, 'de.po').message).toBe(
      'de.po: not a gettext .mo file (magic 0x6d736769, expected 0x950412de)',
    );
  });

  it('refuses an unknown major revision', () => {
    const error = failure(patched(fixture('sample.de.mo'), 4, 2 << 16));
    expect(error.reason).toBe('unsupported-revision');
    expect(error.message).toContain('major revision 2');
  });

  it('refuses a huge message count without allocating for it', () => {
    const error = failure(patched(fixture('sample.de.mo'), 8, 0xffffffff));
    expect(error.reason).toBe('out-of-bounds');
    expect(error.message).toContain('the original strings table (4294967295 entries at offset 28)');
  });

  it('refuses table offsets past the end', () => {
    const error = failure(patched(fixture('sample.de.mo'), 16, 0x7fffffff));
    expect(error.reason).toBe('out-of-bounds');
    expect(error.message).toContain('translated strings table');
  });

  it('refuses string offsets and lengths past the end', () => {
    const bytes = fixture('sample.de.mo');
    const originals = new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);
    const farOffset = failure(patched(bytes, originals + 8 + 4, 1_000_000));
    expect(farOffset.reason).toBe('out-of-bounds');
    expect(farOffset.message).toContain('original string 1 (');
    const longString = failure(patched(bytes, originals + 8, 0xfffffff0));
    expect(longString.message).toContain('original string 1 (4294967280 bytes');
  });

  it('refuses a truncated catalog', () => {
    const bytes = fixture('sample.de.mo');
    for (const length of [40, 120, bytes.length - 20]) {
      const error = failure(bytes.subarray(0, length), 'cut.mo');
      expect(error).toBeInstanceOf(DataError);
      expect(error.reason).toBe('out-of-bounds');
      expect(error.source).toBe('cut.mo');
    }
  });

  it('answers every mutated or truncated catalog with entries or a DataError, never another error', () => {
    const original = fixture('sample.de.mo');
    // A small xorshift stream: reproducible mutations without a dependency.
    let state = 0x9e3779b9;
    const random = (below: number) => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) % below;
    };
    const outcomes = { parsed: 0, rejected: 0 };
    for (let trial = 0; trial < 400; trial++) {
      const bytes = original.slice(0, trial % 4 === 0 ? random(original.length) : original.length);
      for (let flips = 1 + random(4); flips > 0 && bytes.length > 0; flips--) {
        // Aim half the mutations at the 28-byte header and the two string tables.
        bytes[random(trial % 2 === 0 ? Math.min(bytes.length, 84) : bytes.length)] = random(256);
      }
      let result: MoEntry[] | unknown;
      try {
        result = readMoCatalog(bytes, { name: `mutant-${trial}.mo` });
      } catch (error) {
        result = error;
      }
      if (Array.isArray(result)) {
        // Each entry is two table rows of 8 bytes: a mutated count can never yield more than the file holds.
        expect(result.length).toBeLessThanOrEqual(bytes.length / 8);
        expect(result.every((e) => typeof e.msgid === 'string' && typeof e.msgstr === 'string')).toBe(true);
        outcomes.parsed++;
      } else {
        expect(result).toBeInstanceOf(DataError);
        expect((result as DataError).source).toBe(`mutant-${trial}.mo`);
        outcomes.rejected++;
      }
    }
    expect(outcomes.parsed).toBeGreaterThan(0);
    expect(outcomes.rejected).toBeGreaterThan(0);
  });

  it('reads a real installed catalog when the machine has one', () => {
    // Debian ships gettext catalogs with its packages; sed's is small and stable.
    const path = '/usr/share/locale/de/LC_MESSAGES/sed.mo';
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(path));
    } catch {
      return; // No German locale installed: the fixtures above cover the format.
    }
    const entries = readMoCatalog(bytes, { name: path });
    expect(entries.length).toBeGreaterThan(50);
    expect(entries.every((e) => e.msgid !== '' && typeof e.msgstr === 'string')).toBe(true);
    expect(entries.some((e) => e.msgid === 'no previous regular expression')).toBe(true);
  });
});
