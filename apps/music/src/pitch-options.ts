import { UsageError } from '@seqgen/app-kit';

const LETTER: Readonly<Record<string, number>> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

/** `--scale "C D E G A"`: note names (A–G with optional #/b) → pitch classes; anything else is a usage error. */
export function parsePitchClasses(text: string): number[] {
  const names = text.split(/[\s,]+/).filter((s) => s !== '');
  if (names.length === 0) throw new UsageError('--scale: give note names, e.g. "C D E G A"');
  return [
    ...new Set(
      names.map((name) => {
        const m = /^([A-Ga-g])([#b]?)$/.exec(name);
        if (!m) throw new UsageError(`--scale: ${JSON.stringify(name)} is not a note name (A–G, optional # or b)`);
        const accidental = m[2] === '#' ? 1 : m[2] === 'b' ? -1 : 0;
        return ((LETTER[(m[1] as string).toUpperCase()] as number) + accidental + 12) % 12;
      }),
    ),
  ];
}

/** `--pitch-range 48-84`: two MIDI pitches, low ≤ high, in 0–127; anything else is a usage error. */
export function parsePitchRange(text: string): [number, number] {
  const m = /^\s*(\d{1,3})\s*-\s*(\d{1,3})\s*$/.exec(text);
  const lo = m ? Number(m[1]) : Number.NaN;
  const hi = m ? Number(m[2]) : Number.NaN;
  if (!(lo >= 0 && hi <= 127 && lo <= hi)) {
    throw new UsageError(
      `--pitch-range: expected LOW-HIGH MIDI pitches with 0 ≤ LOW ≤ HIGH ≤ 127, got ${JSON.stringify(text)}`,
    );
  }
  return [lo, hi];
}
