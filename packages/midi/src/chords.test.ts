import { TokenizerError } from '@seqgen/base';
import { describe, expect, it } from 'vitest';
import { ChordEncoding } from './chord-encoding.js';
import { type Chord, chordName, parseChordSymbol, parseChordSymbols } from './chord-symbols.js';
import { chordTrack, inferChords } from './infer-chords.js';
import { quantizeNoteSequence } from './quantize.js';
import { readMidi } from './read-midi.js';
import { note, sequence } from './test-fixtures/sequences.js';
import { writeMidi } from './write-midi.js';

const names = (chords: Array<Chord | null>) => chords.map(chordName).join(' ');

/** One bar (4 beats at 120 qpm = 2 s) per chord: the chord's tones as a held triad plus a bass root. */
function progression(symbols: string): ReturnType<typeof sequence> {
  const notes = parseChordSymbols(symbols).flatMap((chord, bar) => {
    if (!chord) return [];
    const tones = { maj: [0, 4, 7], min: [0, 3, 7], '7': [0, 4, 7, 10], dim: [0, 3, 6] }[chord.quality as 'maj'] ?? [
      0, 4, 7,
    ];
    return [
      note(36 + chord.root, bar * 2, bar * 2 + 2),
      ...tones.map((i) => note(60 + ((chord.root + i) % 12), bar * 2, bar * 2 + 2)),
    ];
  });
  return sequence(notes);
}

describe('chord symbols', () => {
  it('parses a progression and names chords back', () => {
    const chords = parseChordSymbols('C G Am F7 Bdim | Ebmaj7, F#m7 Bbsus4 C/E N.C. Dø G+');
    expect(names(chords)).toBe('C G Am F7 Bdim Ebmaj7 F#m7 Bbsus4 C N.C. Dm7b5 Gaug');
    expect(parseChordSymbol('Db')).toEqual({ root: 1, quality: 'maj' });
  });

  it('an unknown symbol is a TokenizerError naming it and its position', () => {
    expect(() => parseChordSymbols('C G H7')).toThrow(TokenizerError);
    expect(() => parseChordSymbols('C G H7')).toThrow(/chord 3 of 3: chord symbol "H7" is not a chord/);
    expect(() => parseChordSymbol('C7#11')).toThrow(/"C7#11" is not a chord/);
  });
});

describe('inferChords and chordTrack', () => {
  it('infers one chord per beat by template matching over pitch classes', () => {
    const q = quantizeNoteSequence(progression('C G Am F7 Bdim'));
    const chords = inferChords(q);
    expect(chords).toHaveLength(20);
    // One bar per chord: read the first beat of each bar.
    expect(names(chords.filter((_, beat) => beat % 4 === 0))).toBe('C G Am F7 Bdim');
    expect(names(chords.slice(0, 4))).toBe('C C C C');
  });

  it('a silent beat is N.C.; a file with chord markers gives its own chords', () => {
    const s = progression('C N.C. G');
    const q = quantizeNoteSequence(s);
    expect(names(inferChords(q).filter((_, beat) => beat % 4 === 0))).toBe('C N.C. G');
    const marked = readMidi(
      writeMidi({
        ...s,
        chords: [
          { time: 0, chord: { root: 9, quality: 'min' } },
          { time: 4, chord: null },
        ],
      }),
    );
    expect(marked.chords).toHaveLength(2);
    expect(names(chordTrack(quantizeNoteSequence(marked)))).toBe('Am Am Am Am Am Am Am Am N.C. N.C. N.C. N.C.');
  });
});

describe('ChordEncoding', () => {
  const encoding = new ChordEncoding();
  it('has N.C. plus 12 roots × 11 qualities, and round-trips', () => {
    expect(encoding.vocabSize).toBe(133);
    expect(encoding.tokenNames.slice(0, 3)).toEqual(['N.C.', 'C', 'Cm']);
    const chords = parseChordSymbols('C G Am F7 Bdim N.C.');
    const ids = encoding.encode(chords);
    expect(ids[0]).toBe(1);
    expect(ids[5]).toBe(0);
    expect(encoding.decode(ids)).toEqual(chords);
  });

  it('refuses a quality outside its vocabulary and ids outside it', () => {
    const triads = new ChordEncoding({ qualities: ['maj', 'min'] });
    expect(triads.vocabSize).toBe(25);
    expect(() => triads.encode(parseChordSymbols('C F7'))).toThrow(/chord 1 \(F7\) is not in this vocabulary/);
    expect(() => triads.decode([25])).toThrow(TokenizerError);
  });
});
