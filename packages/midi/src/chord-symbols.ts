import { TokenizerError } from '@seqgen/base';

/** The chord qualities seqgen knows, with their suffix in a chord symbol (`''` for major: "C"). */
export const CHORD_QUALITIES = ['maj', 'min', 'dim', 'aug', '7', 'maj7', 'm7', 'dim7', 'm7b5', 'sus2', 'sus4'] as const;

/** A chord quality: triads, the common sevenths and suspended chords. */
export type ChordQuality = (typeof CHORD_QUALITIES)[number];

/** A chord: its root pitch class (0 = C … 11 = B) and quality. "No chord" (N.C.) is `null` where chords are listed. */
export type Chord = {
  /** Pitch class of the root, 0–11 (C = 0). */
  root: number;
  /** The chord's quality. */
  quality: ChordQuality;
};

/** Semitones above the root of each quality's tones: the templates chord inference matches. */
export const CHORD_INTERVALS: Readonly<Record<ChordQuality, readonly number[]>> = {
  maj: [0, 4, 7],
  min: [0, 3, 7],
  dim: [0, 3, 6],
  aug: [0, 4, 8],
  '7': [0, 4, 7, 10],
  maj7: [0, 4, 7, 11],
  m7: [0, 3, 7, 10],
  dim7: [0, 3, 6, 9],
  m7b5: [0, 3, 6, 10],
  sus2: [0, 2, 7],
  sus4: [0, 5, 7],
};

const SUFFIX: Readonly<Record<ChordQuality, string>> = {
  maj: '',
  min: 'm',
  dim: 'dim',
  aug: 'aug',
  '7': '7',
  maj7: 'maj7',
  m7: 'm7',
  dim7: 'dim7',
  m7b5: 'm7b5',
  sus2: 'sus2',
  sus4: 'sus4',
};

/** Every spelling a symbol may use for a quality (after the root). */
const SPELLINGS: ReadonlyMap<string, ChordQuality> = new Map<string, ChordQuality>([
  ['', 'maj'],
  ['M', 'maj'],
  ['maj', 'maj'],
  ['m', 'min'],
  ['min', 'min'],
  ['-', 'min'],
  ['dim', 'dim'],
  ['°', 'dim'],
  ['o', 'dim'],
  ['aug', 'aug'],
  ['+', 'aug'],
  ['7', '7'],
  ['dom7', '7'],
  ['maj7', 'maj7'],
  ['M7', 'maj7'],
  ['Δ', 'maj7'],
  ['Δ7', 'maj7'],
  ['m7', 'm7'],
  ['min7', 'm7'],
  ['-7', 'm7'],
  ['dim7', 'dim7'],
  ['°7', 'dim7'],
  ['o7', 'dim7'],
  ['m7b5', 'm7b5'],
  ['ø', 'm7b5'],
  ['ø7', 'm7b5'],
  ['sus2', 'sus2'],
  ['sus4', 'sus4'],
  ['sus', 'sus4'],
]);

/** Root names as chord symbols print them. */
const ROOT_NAMES = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'] as const;
const LETTER: Readonly<Record<string, number>> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };
const NO_CHORD = new Set(['N.C.', 'NC', 'N']);
const SYMBOL = /^([A-G])([#♯b♭]?)(.*?)(?:\/([A-G][#♯b♭]?))?$/;

/** The symbol of a chord: "C", "Am", "F7", "Bdim", "Ebmaj7"; "N.C." for `null`. */
export function chordName(chord: Chord | null): string {
  if (chord === null) return 'N.C.';
  return `${ROOT_NAMES[chord.root] ?? '?'}${SUFFIX[chord.quality] ?? '?'}`;
}

/**
 * Parses one chord symbol: a root `A`–`G` with an optional `#`/`b`, a
 * quality (`m`, `dim`, `aug`, `7`, `maj7`, `m7`, `dim7`, `m7b5`/`ø`,
 * `sus2`, `sus4` and common spellings such as `-`, `°`, `+`, `M7`, `Δ`), and
 * an optional slash bass, which is accepted and dropped ("C/E" is C major).
 * `N.C.`, `NC` and `N` mean no chord (`null`). Anything else is a
 * `TokenizerError` (`unknown-token`) naming the symbol.
 */
export function parseChordSymbol(symbol: string): Chord | null {
  if (typeof symbol !== 'string') {
    throw new TokenizerError('invalid-input', `chord symbol must be a string, got ${typeof symbol}`);
  }
  const text = symbol.trim();
  if (NO_CHORD.has(text)) return null;
  const match = SYMBOL.exec(text);
  const quality = match ? SPELLINGS.get(match[3] ?? '') : undefined;
  if (!match || quality === undefined) {
    const known = CHORD_QUALITIES.map((q) => `C${SUFFIX[q]}`).join(' ');
    throw new TokenizerError(
      'unknown-token',
      `chord symbol ${JSON.stringify(text.slice(0, 40))} is not a chord (a root A–G, optional #/b, then a quality: ${known}; or N.C.)`,
    );
  }
  const accidental = match[2] === '#' || match[2] === '♯' ? 1 : match[2] ? -1 : 0;
  return { root: ((LETTER[match[1] as string] as number) + accidental + 12) % 12, quality };
}

/**
 * Parses a chord progression such as `"C G Am F7 Bdim"` (symbols separated
 * by spaces, commas or bar lines `|`). An unknown symbol is a
 * `TokenizerError` naming it and its position.
 */
export function parseChordSymbols(progression: string): Array<Chord | null> {
  if (typeof progression !== 'string') {
    throw new TokenizerError('invalid-input', `chord progression must be a string, got ${typeof progression}`);
  }
  const symbols = progression.split(/[\s,|]+/).filter((s) => s !== '');
  return symbols.map((symbol, i) => {
    try {
      return parseChordSymbol(symbol);
    } catch (error) {
      throw new TokenizerError('unknown-token', `chord ${i + 1} of ${symbols.length}: ${(error as Error).message}`);
    }
  });
}

/** Whether `value` is a {@link Chord} (root an integer 0–11, a known quality). */
export function isChord(value: unknown): value is Chord {
  if (typeof value !== 'object' || value === null) return false;
  const { root, quality } = value as Partial<Chord>;
  return (
    Number.isInteger(root) &&
    (root as number) >= 0 &&
    (root as number) <= 11 &&
    (CHORD_QUALITIES as readonly unknown[]).includes(quality)
  );
}
