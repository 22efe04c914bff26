import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { logMelSpectrogram, readWav, type WavWriteEncoding, writeWav } from '@seqgen/audio';
import type { Target } from './target.js';
import type { Seed } from './test-fixtures/seeds.js';
import { isTypedError } from './typed-error.js';

/** The espeak-ng utterance @seqgen/audio's tests analyse (22050 Hz, 16-bit mono). */
function espeakSpeech(): Uint8Array {
  const audioDir = dirname(createRequire(import.meta.url).resolve('@seqgen/audio/package.json'));
  return new Uint8Array(readFileSync(join(audioDir, 'src', 'test-fixtures', 'speech.wav')));
}

const ENCODINGS: WavWriteEncoding[] = ['pcm8', 'pcm16', 'pcm24', 'pcm32', 'float32', 'float64'];

/**
 * Small WAV files written by @seqgen/audio's `writeWav` (the `wavefile`
 * codec) in every encoding, mono and stereo, at several rates, from the start
 * of a real espeak-ng utterance, and the utterance's own first 4 KiB with its
 * chunk sizes fixed up. Small, so that mutations land in headers as often as
 * in samples.
 */
export function wavSeeds(): Seed[] {
  const speech = espeakSpeech();
  const samples = readWav(speech).channels[0]!.subarray(6000, 6300);
  const seeds: Seed[] = ENCODINGS.map((encoding, i) => {
    const channels = i % 2 === 0 ? [samples] : [samples, samples.map((v) => -v)];
    const sampleRate = [8000, 16000, 22050, 44100, 48000, 96000][i]!;
    return {
      name: `${encoding} ${channels.length}ch ${sampleRate} Hz`,
      bytes: writeWav({ sampleRate, channels }, { encoding }),
    };
  });
  const head = speech.slice(0, 4096);
  const view = new DataView(head.buffer);
  view.setUint32(4, head.length - 8, true);
  view.setUint32(40, head.length - 44, true);
  seeds.push({ name: 'espeak-ng speech, first 4 KiB', bytes: head });
  return seeds;
}

/**
 * `readWav(<bytes>)`, then the log-mel features of what it decoded: every
 * input must give audio or an `AudioError` (never an untyped error, a hang
 * or a runaway allocation), and decoded audio must go through the features.
 */
export const wav: Target = {
  name: 'wav',
  parser: 'readWav(<bytes>) + logMelSpectrogram of the first channel',
  seeds: async () => wavSeeds(),
  async parse(input) {
    const decoded = readWav(input, { name: 'fuzz.wav' });
    const channel = decoded.channels[0]!;
    // Float files may hold huge (finite) values; features must not throw on them.
    logMelSpectrogram(channel.subarray(0, 4096), {
      sampleRate: decoded.sampleRate,
      nFft: 256,
      hopLength: 64,
      nMels: 20,
    });
  },
  isTypedError,
};
