import { MidiError } from '../midi-error.js';
import type { FluidsynthSettings } from './fluidsynth-settings.js';

// The browser build's stand-in for ./node.ts: pages have no file paths and no FluidSynth.

/** Always a MidiError `io`: in a browser, fetch the file and pass its bytes to `readMidi`. */
export function readFileBytes(_path: string, name: string, _maxBytes: number): Uint8Array {
  throw new MidiError('io', name, 'cannot be read from a path in a browser: fetch it and pass the bytes to readMidi');
}

/** Always a MidiError `synthesizer`: FluidSynth runs only under Node (play notes with WebAudio instead). */
export function runFluidsynth(_midi: Uint8Array, out: string, _settings: FluidsynthSettings): void {
  throw new MidiError('synthesizer', out, 'FluidSynth runs only under Node; in a browser play the notes with WebAudio');
}
