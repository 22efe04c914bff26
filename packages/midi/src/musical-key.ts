import { ConfigError } from '@seqgen/base';

/** A key: its tonic pitch class (0 = C … 11 = B) and mode. */
export type MusicalKey = {
  /** Pitch class of the tonic, 0–11. */
  tonic: number;
  /** Major (Ionian) or natural minor (Aeolian). */
  mode: 'major' | 'minor';
};

const MAJOR = [0, 2, 4, 5, 7, 9, 11];
const MINOR = [0, 2, 3, 5, 7, 8, 10];
const LETTER: Readonly<Record<string, number>> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };
const NAMES = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'] as const;

/**
 * Parses a key such as `"C"`, `"C major"`, `"Am"`, `"F# minor"`, `"Bb"`:
 * a tonic `A`–`G` with an optional `#`/`b`, then `major`/`maj`/`M` (or
 * nothing) or `minor`/`min`/`m`. Anything else is a `ConfigError` on `field`
 * (a key is an option, such as a CLI's `--key`).
 */
export function parseKey(text: string, field = 'key'): MusicalKey {
  const match = typeof text === 'string' ? /^\s*([A-Ga-g])([#♯b♭]?)\s*(major|maj|M|minor|min|m)?\s*$/.exec(text) : null;
  if (!match) {
    throw new ConfigError(
      field,
      `must be a key such as "C", "C major", "Am" or "F# minor", got ${JSON.stringify(text)}`,
    );
  }
  const accidental = match[2] === '#' || match[2] === '♯' ? 1 : match[2] ? -1 : 0;
  const tonic = ((LETTER[(match[1] as string).toUpperCase()] as number) + accidental + 12) % 12;
  const mode = match[3] === 'minor' || match[3] === 'min' || match[3] === 'm' ? 'minor' : 'major';
  return { tonic, mode };
}

/** A key's name: "C major", "F# minor". */
export function keyName(key: MusicalKey): string {
  return `${NAMES[key.tonic] ?? '?'} ${key.mode}`;
}

/** The seven pitch classes of a key's scale, ascending from the tonic. */
export function scalePitchClasses(key: MusicalKey): number[] {
  if (!(Number.isInteger(key?.tonic) && key.tonic >= 0 && key.tonic <= 11)) {
    throw new ConfigError('key.tonic', `must be an integer pitch class in [0, 11], got ${String(key?.tonic)}`);
  }
  return (key.mode === 'minor' ? MINOR : MAJOR).map((i) => (key.tonic + i) % 12);
}
