import { readFileSync } from 'node:fs';
import { readWav } from '../read-wav.js';

const here = new URL('.', import.meta.url);

/** The espeak-ng utterance every agreement test analyses (22050 Hz, 16-bit mono). */
export function speechBytes(): Uint8Array {
  return new Uint8Array(readFileSync(new URL('speech.wav', here))); // not a Buffer, whose slice() shares memory
}

/** The utterance decoded by this package. */
export function speechSignal(): Float32Array {
  return readWav(speechBytes(), { name: 'speech.wav' }).channels[0]!;
}

/** What `scripts/reference.py` computed with numpy/scipy on the same file. */
export type Reference = {
  sampleRate: number;
  samples: number;
  head: number[];
  nFft: number;
  hopLength: number;
  nMels: number;
  fMax: number;
  frames: number;
  stftFrames: number[];
  stftMagnitude: number[][];
  filterRows: number[];
  slaneyRows: number[][];
  htkRows: number[][];
  everyEighthFrame: number[];
  melDb: number[][];
  logMel: number[][];
  nMfcc: number;
  mfcc: number[];
  resampled16k: { start: number; values: number[]; length: number };
};

/** The stored reference values. */
export function reference(): Reference {
  return JSON.parse(readFileSync(new URL('reference.json', here), 'utf8')) as Reference;
}

/** max |a − b| / max |b|: the error relative to the reference's scale. */
export function relativeMaxError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return err / scale;
}

/** A sine of `frequency` Hz, `amplitude`, `length` samples at `sampleRate`. */
export function sine(frequency: number, sampleRate: number, length: number, amplitude = 1): Float32Array {
  return Float32Array.from({ length }, (_, n) => amplitude * Math.sin((2 * Math.PI * frequency * n) / sampleRate));
}
