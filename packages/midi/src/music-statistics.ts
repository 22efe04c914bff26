import { type MusicalKey, scalePitchClasses } from './musical-key.js';
import { assertNoteSequence, type NoteSequence } from './note-sequence.js';

/**
 * Statistics that compare generated music with a training set (the eval of
 * a music model): pitch-class histogram, note density, polyphony and
 * in-key ratio. Drum notes are left out of all of them (their pitch names a
 * drum, not a pitch), and each note counts once, whatever its length.
 */
export type MusicStatistics = {
  /** Share of pitched notes in each pitch class (C … B), summing to 1 (all 0 for no notes). */
  pitchClassHistogram: number[];
  /** Pitched notes per second of music. */
  noteDensity: number;
  /** Mean number of pitched notes sounding while at least one sounds. */
  polyphony: number;
  /** Share of pitched notes whose pitch class is in `key`'s scale (NaN when no key was given). */
  inKeyRatio: number;
};

/** {@link MusicStatistics} of a sequence; `key` gives the in-key ratio. */
export function musicStatistics(sequence: NoteSequence, key?: MusicalKey): MusicStatistics {
  assertNoteSequence(sequence);
  const notes = sequence.notes.filter((n) => !n.isDrum);
  const histogram = new Array<number>(12).fill(0);
  for (const n of notes) histogram[n.pitch % 12] = (histogram[n.pitch % 12] as number) + 1;
  const pitchClassHistogram = histogram.map((c) => (notes.length ? c / notes.length : 0));
  const scale = key ? new Set(scalePitchClasses(key)) : undefined;
  const inKey = scale ? notes.filter((n) => scale.has(n.pitch % 12)).length : Number.NaN;
  // Polyphony: sounding time summed over notes, divided by the time at least one note sounds.
  const marks = notes.flatMap((n) => [
    { t: n.start, d: 1 },
    { t: n.end, d: -1 },
  ]);
  marks.sort((a, b) => a.t - b.t || a.d - b.d);
  let sounding = 0;
  let covered = 0;
  let weighted = 0;
  let last = 0;
  for (const { t, d } of marks) {
    if (sounding > 0) {
      covered += t - last;
      weighted += (t - last) * sounding;
    }
    sounding += d;
    last = t;
  }
  return {
    pitchClassHistogram,
    noteDensity: sequence.totalTime > 0 ? notes.length / sequence.totalTime : 0,
    polyphony: covered > 0 ? weighted / covered : 0,
    inKeyRatio: scale ? (notes.length ? inKey / notes.length : 0) : Number.NaN,
  };
}

/** Total-variation distance of two histograms (half the L1 distance): 0 for equal, 1 for disjoint. */
export function histogramDistance(a: readonly number[], b: readonly number[]): number {
  const length = Math.max(a.length, b.length);
  let sum = 0;
  for (let i = 0; i < length; i++) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return sum / 2;
}

/**
 * The key whose scale holds the largest share of the pitched notes (ties go
 * to major, then to the lower tonic): a simple estimate, enough to constrain
 * generation to the key of a primer.
 */
export function estimateKey(sequence: NoteSequence): MusicalKey {
  const { pitchClassHistogram } = musicStatistics(sequence);
  let best: MusicalKey = { tonic: 0, mode: 'major' };
  let bestShare = -1;
  for (const mode of ['major', 'minor'] as const) {
    for (let tonic = 0; tonic < 12; tonic++) {
      const share = scalePitchClasses({ tonic, mode }).reduce((s, pc) => s + (pitchClassHistogram[pc] as number), 0);
      // Minor relatives share a scale with a major key: prefer the tonic that is played most.
      const score = share + 1e-3 * (pitchClassHistogram[tonic] as number);
      if (score > bestShare + 1e-12) {
        best = { tonic, mode };
        bestShare = score;
      }
    }
  }
  return best;
}
