import { Rng } from '@seqgen/core';
import {
  ChordEncoding,
  type ChordQuality,
  chordTimeline,
  chordTrack,
  eventChords,
  NO_CHORD_ID,
  type NoteSequence,
  PerformanceEncoding,
  quantizeNoteSequence,
  registerMidiCodecs,
  stretchNoteSequence,
  transposeNoteSequence,
} from '@seqgen/midi';
import type { Piece } from './pieces.js';

/** The chord qualities inferred from the notes and read by the model (`--chords` may use these). */
export const CHORD_QUALITIES_USED: readonly ChordQuality[] = ['maj', 'min', 'dim', 'aug', '7', 'maj7', 'm7'];

/** The two vocabularies of a music model: Performance-RNN events and chord symbols. */
export type MusicCodecs = { events: PerformanceEncoding; chords: ChordEncoding };

/** The codecs every model of this app reads: 388 performance events, 85 chords (N.C. + 12 roots × 7 qualities). */
export function musicCodecs(): MusicCodecs {
  // Checkpoints (the trainer's too) name these codecs: the registry must know them before one is read.
  registerMidiCodecs();
  return { events: new PerformanceEncoding(), chords: new ChordEncoding({ qualities: CHORD_QUALITIES_USED }) };
}

/** A piece as the model reads it: its events and, per event, the id of the chord sounding then. */
export type EncodedPiece = { events: number[]; chords: number[] };

/**
 * Encodes a piece: performance events (drums left out), and the chord of every
 * event — from the file's chord markers, else inferred from its notes beat by
 * beat — as chord ids, one per event.
 */
export function encodePiece(sequence: NoteSequence, codecs: MusicCodecs): EncodedPiece {
  const events = codecs.events.encode(sequence);
  const quantized = quantizeNoteSequence(sequence);
  const track = chordTrack(quantized, { qualities: CHORD_QUALITIES_USED });
  const chords = codecs.chords.encode(eventChords(codecs.events, events, chordTimeline(quantized, track)));
  return { events, chords };
}

/** How training data is augmented. */
export type AugmentOptions = {
  /** Transpose each piece by every shift in [−transpose, transpose] semitones (0: none). */
  transpose: number;
  /** Also play each piece (1 − stretch) and (1 + stretch) times as long (0: none). */
  stretch: number;
  /** Share of copies whose chords are replaced by N.C., so that the model also plays with no chords given. */
  noChordShare: number;
  /** Seed of the copy order and of which copies lose their chords. */
  seed: number;
};

/** Training documents: one per piece, shift and stretch, in a seeded random order. */
export type Documents = { tokens: number[][]; conditions: number[][]; events: number };

/** Every augmented copy of the pieces, encoded; copies with fewer than two events are left out. */
export function augmentedDocuments(pieces: readonly Piece[], codecs: MusicCodecs, o: AugmentOptions): Documents {
  const rng = new Rng(o.seed);
  const shifts = Array.from({ length: 2 * o.transpose + 1 }, (_, i) => i - o.transpose);
  const factors = o.stretch > 0 ? [1 - o.stretch, 1, 1 + o.stretch] : [1];
  const docs: EncodedPiece[] = [];
  for (const piece of pieces) {
    for (const shift of shifts) {
      const moved = shift === 0 ? piece.sequence : transposeNoteSequence(piece.sequence, shift);
      for (const factor of factors) {
        const encoded = encodePiece(factor === 1 ? moved : stretchNoteSequence(moved, factor), codecs);
        if (encoded.events.length < 2) continue;
        if (rng.float() < o.noChordShare) encoded.chords = encoded.chords.map(() => NO_CHORD_ID);
        docs.push(encoded);
      }
    }
  }
  // Lanes of a stream batch hold runs of consecutive documents: mix the copies of each piece apart.
  for (let i = docs.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [docs[i], docs[j]] = [docs[j] as EncodedPiece, docs[i] as EncodedPiece];
  }
  return {
    tokens: docs.map((d) => d.events),
    conditions: docs.map((d) => d.chords),
    events: docs.reduce((n, d) => n + d.events.length, 0),
  };
}
