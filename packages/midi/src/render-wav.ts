import { assertInRange, assertPositiveInteger } from '@seqgen/base';
import { runFluidsynth } from './platform/node.js';

/** Options of {@link renderWav}. */
export type RenderWavOptions = {
  /** The General MIDI sound font (default Debian's `fluid-soundfont-gm`: `/usr/share/sounds/sf2/FluidR3_GM.sf2`). */
  soundFont?: string;
  /** The `fluidsynth` executable (default: `fluidsynth` on the PATH). */
  fluidsynth?: string;
  /** Samples per second (default 44,100). */
  sampleRate?: number;
  /** Synthesizer gain, 0–10 (default 0.6: fluidsynth's 0.2 is quiet for one instrument). */
  gain?: number;
  /** Longest the synthesizer may run, in ms (default 120,000). */
  timeoutMs?: number;
};

/** Debian's General MIDI sound font (package `fluid-soundfont-gm`). */
export const DEFAULT_SOUND_FONT = '/usr/share/sounds/sf2/FluidR3_GM.sf2';

/**
 * Renders Standard MIDI File bytes to a 16-bit WAV file at `out` with a real
 * General MIDI synthesizer, FluidSynth (Debian `fluidsynth`). The WAV is
 * written beside `out` and renamed into place, so `out` is never left half
 * written. A missing `fluidsynth` or sound font, or a failed render, is a
 * {@link MidiError} with reason `synthesizer` saying what to install (in the
 * browser build, always: FluidSynth runs only under Node).
 */
export function renderWav(midi: Uint8Array, out: string, options: RenderWavOptions = {}): void {
  const soundFont = options.soundFont ?? DEFAULT_SOUND_FONT;
  const executable = options.fluidsynth ?? 'fluidsynth';
  const sampleRate = options.sampleRate ?? 44_100;
  const gain = options.gain ?? 0.6;
  const timeoutMs = options.timeoutMs ?? 120_000;
  assertPositiveInteger('sampleRate', sampleRate);
  assertInRange('sampleRate', sampleRate, 8000, 192_000);
  assertInRange('gain', gain, 0, 10);
  assertPositiveInteger('timeoutMs', timeoutMs);
  runFluidsynth(midi, out, { soundFont, executable, sampleRate, gain, timeoutMs });
}
