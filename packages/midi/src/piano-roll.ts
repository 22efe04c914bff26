import { assertFiniteNumber, assertInRange, assertPositiveInteger } from '@seqgen/base';
import { assertNoteSequence, type NoteSequence } from './note-sequence.js';

/** Options of {@link pianoRollImage}. */
export type PianoRollOptions = {
  /** Horizontal pixels per second of music (default 40). */
  pixelsPerSecond?: number;
  /** Vertical pixels per semitone (default 4). */
  pixelsPerPitch?: number;
  /** Widest image, in pixels (default 4000): longer pieces are drawn at fewer pixels per second. */
  maxWidth?: number;
  /** Pitch range drawn, inclusive (default: the notes' range, padded to whole octaves). */
  minPitch?: number;
  /** Highest pitch drawn (see `minPitch`). */
  maxPitch?: number;
};

/** An RGBA image: `width × height` pixels, 4 bytes each, row by row from the top. */
export type RgbaImage = {
  /** Pixels per row. */
  width: number;
  /** Rows. */
  height: number;
  /** `width · height · 4` bytes: red, green, blue, alpha. */
  data: Uint8Array;
};

const BACKGROUND = [250, 250, 250];
const C_LINE = [205, 205, 215];
const SECOND_LINE = [232, 232, 236];
const DRUM = [150, 150, 150];

/**
 * A piano roll of a sequence — time to the right, pitch upwards, one bar per
 * note coloured by velocity (pale blue to dark red), drums in grey, a line at
 * every C and every second — as raw RGBA pixels to encode as PNG (for
 * instance with `pngjs`) or draw on a canvas.
 */
export function pianoRollImage(sequence: NoteSequence, options: PianoRollOptions = {}): RgbaImage {
  assertNoteSequence(sequence);
  const pixelsPerPitch = options.pixelsPerPitch ?? 4;
  const maxWidth = options.maxWidth ?? 4000;
  assertPositiveInteger('pixelsPerPitch', pixelsPerPitch);
  assertInRange('pixelsPerPitch', pixelsPerPitch, 1, 64);
  assertPositiveInteger('maxWidth', maxWidth);
  const pitches = sequence.notes.map((n) => n.pitch);
  const low = options.minPitch ?? (pitches.length ? Math.floor(Math.min(...pitches) / 12) * 12 : 48);
  // Whole octaves around the notes, but never past MIDI's top pitch (the octave of G9 ends at 131).
  const high =
    options.maxPitch ?? (pitches.length ? Math.min(127, Math.ceil((Math.max(...pitches) + 1) / 12) * 12 - 1) : 83);
  assertInRange('minPitch', low, 0, 127);
  assertInRange('maxPitch', high, low, 127);
  const seconds = Math.max(sequence.totalTime, 0.1);
  let pixelsPerSecond = options.pixelsPerSecond ?? 40;
  assertFiniteNumber('pixelsPerSecond', pixelsPerSecond);
  assertInRange('pixelsPerSecond', pixelsPerSecond, 0, 10_000, { openMin: true });
  pixelsPerSecond = Math.min(pixelsPerSecond, maxWidth / seconds);
  const width = Math.max(1, Math.ceil(seconds * pixelsPerSecond));
  const rows = high - low + 1;
  const height = rows * pixelsPerPitch;
  const data = new Uint8Array(width * height * 4);
  const fill = (x0: number, x1: number, y0: number, y1: number, rgb: readonly number[]) => {
    for (let y = Math.max(0, y0); y < Math.min(height, y1); y++) {
      for (let x = Math.max(0, x0); x < Math.min(width, x1); x++) {
        const i = (y * width + x) * 4;
        data[i] = rgb[0] as number;
        data[i + 1] = rgb[1] as number;
        data[i + 2] = rgb[2] as number;
        data[i + 3] = 255;
      }
    }
  };
  fill(0, width, 0, height, BACKGROUND);
  for (let s = 1; s < seconds; s++) {
    const x = Math.round(s * pixelsPerSecond);
    fill(x, x + 1, 0, height, SECOND_LINE);
  }
  for (let pitch = low; pitch <= high; pitch++) {
    if (pitch % 12 !== 0) continue;
    const y = (high - pitch + 1) * pixelsPerPitch - 1;
    fill(0, width, y, y + 1, C_LINE);
  }
  for (const note of sequence.notes) {
    if (note.pitch < low || note.pitch > high) continue;
    const x0 = Math.floor(note.start * pixelsPerSecond);
    const x1 = Math.max(x0 + 1, Math.ceil(note.end * pixelsPerSecond) - 1);
    const y0 = (high - note.pitch) * pixelsPerPitch;
    fill(x0, x1, y0, y0 + Math.max(1, pixelsPerPitch - 1), note.isDrum ? DRUM : velocityColour(note.velocity));
  }
  return { width, height, data };
}

/** Pale blue for soft notes to dark red for loud ones. */
function velocityColour(velocity: number): number[] {
  const t = Math.min(1, Math.max(0, (velocity - 1) / 126));
  return [Math.round(90 + 120 * t), Math.round(140 - 110 * t), Math.round(220 - 180 * t)];
}
