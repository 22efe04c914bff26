import { assertInRange, assertPositiveInteger, ConfigError } from '@seqgen/base';
import { CHORD_INTERVALS, CHORD_QUALITIES, type Chord, type ChordQuality } from './chord-symbols.js';
import { MidiError } from './midi-error.js';
import { assertQuantized, type QuantizedNoteSequence } from './quantize.js';

/** Options of {@link inferChords} and {@link chordTrack}. */
export type ChordInferenceOptions = {
  /** Steps each chord covers (default: the sequence's steps per quarter, one chord per beat). */
  stepsPerChord?: number;
  /** Qualities the templates may match (default: major, minor, diminished, augmented, 7, maj7, m7). */
  qualities?: readonly ChordQuality[];
  /** Keep the previous chord unless another scores this much better (0–1, default 0.05): chords change less often than notes. */
  stickiness?: number;
  /** Most chords one sequence may yield (default 100,000), so that no input runs without bound. */
  maxChords?: number;
};

const DEFAULT_QUALITIES: readonly ChordQuality[] = ['maj', 'min', 'dim', 'aug', '7', 'maj7', 'm7'];

/**
 * Infers a chord per window (one per beat by default) from the notes, by
 * template matching over pitch classes: each window's non-drum notes give a
 * pitch-class profile weighted by how long each sounds in the window (the
 * lowest note counted twice, as the bass often names the root), and the
 * chord whose template (its tones, equally weighted) has the highest cosine
 * similarity wins; a window with no notes is `null` (N.C.).
 */
export function inferChords(sequence: QuantizedNoteSequence, options: ChordInferenceOptions = {}): Array<Chord | null> {
  assertQuantized(sequence);
  const stepsPerChord = options.stepsPerChord ?? sequence.stepsPerQuarter;
  const qualities = options.qualities ?? DEFAULT_QUALITIES;
  const stickiness = options.stickiness ?? 0.05;
  const maxChords = options.maxChords ?? 100_000;
  assertPositiveInteger('stepsPerChord', stepsPerChord);
  assertInRange('stickiness', stickiness, 0, 1);
  assertPositiveInteger('maxChords', maxChords);
  if (!Array.isArray(qualities) || qualities.length === 0 || qualities.some((q) => !CHORD_QUALITIES.includes(q))) {
    throw new ConfigError('qualities', `must be a non-empty list of ${CHORD_QUALITIES.join(', ')}`);
  }
  const windows = chordCount(sequence, stepsPerChord, maxChords);
  const profiles = Array.from({ length: windows }, () => new Float64Array(12));
  const bass = new Array<number>(windows).fill(128);
  for (const note of sequence.notes) {
    if (note.isDrum) continue;
    const first = Math.floor(note.quantizedStart / stepsPerChord);
    const last = Math.min(windows - 1, Math.floor((note.quantizedEnd - 1) / stepsPerChord));
    for (let w = first; w <= last; w++) {
      const from = Math.max(note.quantizedStart, w * stepsPerChord);
      const to = Math.min(note.quantizedEnd, (w + 1) * stepsPerChord);
      const profile = profiles[w] as Float64Array;
      profile[note.pitch % 12] = (profile[note.pitch % 12] as number) + to - from;
      bass[w] = Math.min(bass[w] as number, note.pitch);
    }
  }
  const templates = (qualities as readonly ChordQuality[]).flatMap((quality: ChordQuality) =>
    Array.from({ length: 12 }, (_, root) => ({
      chord: { root, quality } as Chord,
      tones: CHORD_INTERVALS[quality].map((i) => (root + i) % 12),
    })),
  );
  const chords: Array<Chord | null> = [];
  let previous: { chord: Chord; tones: number[] } | undefined;
  profiles.forEach((profile, w) => {
    const bassClass = (bass[w] as number) % 12;
    if (bass[w] !== 128) profile[bassClass] = 2 * (profile[bassClass] as number);
    const norm = Math.hypot(...profile);
    if (norm === 0) {
      chords.push(null);
      previous = undefined;
      return;
    }
    const score = (tones: number[]) =>
      tones.reduce((s, pc) => s + (profile[pc] as number), 0) / (norm * Math.sqrt(tones.length));
    let best = templates[0] as (typeof templates)[number];
    let bestScore = -1;
    for (const t of templates) {
      const s = score(t.tones);
      if (s > bestScore) {
        best = t;
        bestScore = s;
      }
    }
    if (previous && score(previous.tones) >= bestScore - stickiness) best = previous;
    chords.push(best.chord);
    previous = best;
  });
  return chords;
}

/**
 * The chord of every window (one per beat by default) for conditioning: the
 * chord symbols the file carries, each held until the next, or — when it has
 * none — {@link inferChords}.
 */
export function chordTrack(sequence: QuantizedNoteSequence, options: ChordInferenceOptions = {}): Array<Chord | null> {
  assertQuantized(sequence);
  if (sequence.chords.length === 0) return inferChords(sequence, options);
  const stepsPerChord = options.stepsPerChord ?? sequence.stepsPerQuarter;
  assertPositiveInteger('stepsPerChord', stepsPerChord);
  const windows = chordCount(sequence, stepsPerChord, options.maxChords ?? 100_000);
  const annotations = [...sequence.chords].sort((a, b) => a.quantizedStep - b.quantizedStep);
  const chords: Array<Chord | null> = [];
  let next = 0;
  let current: Chord | null = null;
  for (let w = 0; w < windows; w++) {
    while (next < annotations.length && (annotations[next]?.quantizedStep as number) <= w * stepsPerChord) {
      current = annotations[next++]?.chord ?? null;
    }
    chords.push(current);
  }
  return chords;
}

function chordCount(sequence: QuantizedNoteSequence, stepsPerChord: number, maxChords: number): number {
  const windows = Math.ceil(sequence.totalSteps / stepsPerChord);
  if (windows > maxChords) {
    throw new MidiError(
      'too-many-events',
      'sequence',
      `spans ${windows} chords of ${stepsPerChord} steps, over maxChords ${maxChords}`,
    );
  }
  return windows;
}
