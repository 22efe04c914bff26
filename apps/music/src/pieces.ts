import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { InputError } from '@seqgen/app-kit';
import { type NoteSequence, readMidiFile } from '@seqgen/midi';

/** Debian's `openttd-openmsx`: 31 General MIDI pieces, the default training data. */
export const OPENMSX_DIR = '/usr/share/games/openttd/baseset/openmsx';

/** One piece of every this many (sorted by file name) is held out: 4 of the 31 openmsx pieces. */
const HOLD_OUT_EVERY = 8;

/** A MIDI file read into notes. */
export type Piece = { file: string; sequence: NoteSequence };

/** The pieces of a folder: trained on, validated on during training (best weights kept), held out for `eval`. */
export type PieceSplit = { dir: string; train: Piece[]; valid: Piece[]; heldOut: Piece[] };

/** Which part of the split a piece belongs to. */
export type PieceRole = 'train' | 'valid' | 'held-out';

/** The `.mid`/`.midi` files of a folder, sorted by name (a missing or empty folder is an {@link InputError}). */
export function midiFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    const hint = resolve(dir) === OPENMSX_DIR ? ' (apt-get install openttd-openmsx, or pass --midi DIR)' : '';
    throw new InputError(`--midi ${dir}: not a folder${hint}`, dir);
  }
  const files = readdirSync(dir)
    .filter((f) => /\.midi?$/i.test(f))
    .sort();
  if (files.length === 0) throw new InputError(`--midi ${dir}: no .mid files in the folder`, dir);
  return files.map((f) => join(dir, f));
}

/**
 * The role of a file by its position in the sorted list: a fixed choice, the
 * same for every run on the same folder, so that no training step (nor the
 * choice of the best weights) ever sees the pieces `eval` scores. One piece
 * in eight is held out and one in sixteen validates (3 and 2 of the 31
 * openmsx pieces); a folder too small for that holds out its last piece (if
 * it has two or more) and validates on the one before (if it has three or more).
 */
export function pieceRole(index: number, count: number): PieceRole {
  if (count < HOLD_OUT_EVERY) {
    if (count >= 2 && index === count - 1) return 'held-out';
    return count >= 3 && index === count - 2 ? 'valid' : 'train';
  }
  if (index % HOLD_OUT_EVERY === HOLD_OUT_EVERY - 1) return 'held-out';
  return index % (2 * HOLD_OUT_EVERY) === 3 ? 'valid' : 'train';
}

/** Reads every MIDI file of `dir` (a corrupt one is a `MidiError` naming it) and splits them. */
export function readPieces(dir: string): PieceSplit {
  const files = midiFiles(dir);
  const pieces = files.map((file) => ({ file: basename(file), sequence: readMidiFile(file) }));
  const of = (role: PieceRole) => pieces.filter((_, i) => pieceRole(i, files.length) === role);
  return { dir: resolve(dir), train: of('train'), valid: of('valid'), heldOut: of('held-out') };
}
