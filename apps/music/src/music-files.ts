import { existsSync, statSync } from 'node:fs';
import { InputError, writeOutputFile } from '@seqgen/app-kit';
import { MidiError, type NoteSequence, pianoRollImage, renderWav, writeMidi } from '@seqgen/midi';
import { PNG } from 'pngjs';

/** Where a piece goes: `<stem>.mid`, its piano roll `<stem>.png` and its audio `<stem>.wav`. */
export type MusicPaths = { midi: string; png: string; wav: string };

/** The three files of `--out x.mid` (or `--out x`). */
export function musicPaths(out: string): MusicPaths {
  const stem = out.replace(/\.midi?$/i, '');
  return { midi: `${stem}.mid`, png: `${stem}.png`, wav: `${stem}.wav` };
}

/** A piece as a piano-roll PNG. */
export function pianoRollPng(sequence: NoteSequence): Uint8Array {
  const image = pianoRollImage(sequence);
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(image.data);
  return PNG.sync.write(png);
}

/**
 * Writes the `.mid`, the piano-roll `.png` and (with `wav`) the `.wav`
 * rendered by fluidsynth. Every target is checked before anything is
 * written: none is overwritten without `force`. When fluidsynth or its sound
 * font is missing, the MIDI and PNG are still written and `warn` says why
 * there is no WAV. Returns the paths written.
 */
export function writeMusic(
  sequence: NoteSequence,
  out: string,
  options: {
    force?: boolean;
    wav: boolean;
    fluidsynth?: string;
    soundFont?: string;
    warn: (message: string) => void;
  },
): Partial<MusicPaths> {
  const paths = musicPaths(out);
  const targets = options.wav ? [paths.midi, paths.png, paths.wav] : [paths.midi, paths.png];
  for (const path of targets) {
    if (!existsSync(path)) continue;
    if (statSync(path).isDirectory()) throw new InputError(`refusing to overwrite ${path}: it is a folder`, path);
    if (!options.force) throw new InputError(`refusing to overwrite ${path}: it exists (--force replaces it)`, path);
  }
  const midi = writeMidi(sequence);
  writeOutputFile(paths.midi, midi, { force: true });
  writeOutputFile(paths.png, pianoRollPng(sequence), { force: true });
  if (!options.wav) return { midi: paths.midi, png: paths.png };
  try {
    renderWav(midi, paths.wav, {
      ...(options.fluidsynth ? { fluidsynth: options.fluidsynth } : {}),
      ...(options.soundFont ? { soundFont: options.soundFont } : {}),
    });
  } catch (error) {
    if (error instanceof MidiError && error.reason === 'synthesizer') {
      options.warn(`no WAV written: ${error.message} (the .mid and .png are written)`);
      return { midi: paths.midi, png: paths.png };
    }
    throw error;
  }
  return paths;
}
