import { ConfigError, ShapeError } from '@seqgen/base';
import { describe, expect, it } from 'vitest';
import { AudioError } from './audio-error.js';
import { readWav } from './read-wav.js';
import { reference, sine, speechBytes } from './test-fixtures/load-fixtures.js';
import { WaveFile } from './wavefile-codec.js';
import { type WavWriteEncoding, writeWav } from './write-wav.js';

/** Asserts that `fn` throws an AudioError with `reason` and a message matching `message`. */
function expectAudioError(fn: () => unknown, reason: AudioError['reason'], message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(AudioError);
  expect((caught as AudioError).reason).toBe(reason);
  expect((caught as AudioError).code).toBe(`ERR_AUDIO_${reason.toUpperCase().replace(/-/g, '_')}`);
  expect((caught as AudioError).message).toMatch(message);
}

/** A copy of `bytes` with the little-endian integer of `size` bytes at `offset` set to `value`. */
function patched(bytes: Uint8Array, offset: number, value: number, size: 2 | 4): Uint8Array {
  const copy = bytes.slice();
  const view = new DataView(copy.buffer);
  if (size === 2) view.setUint16(offset, value, true);
  else view.setUint32(offset, value, true);
  return copy;
}

describe('readWav', () => {
  it('decodes the espeak-ng file exactly as scipy.io.wavfile does', () => {
    const ref = reference();
    const wav = readWav(speechBytes(), { name: 'speech.wav' });
    expect(wav.sampleRate).toBe(22050);
    expect(wav.encoding).toBe('pcm16');
    expect(wav.channels).toHaveLength(1);
    expect(wav.channels[0]!.length).toBe(ref.samples);
    for (const [i, v] of ref.head.entries()) expect(wav.channels[0]![i]).toBeCloseTo(v, 7);
  });

  const encodings: [WavWriteEncoding, number][] = [
    ['pcm8', 1 / 128],
    ['pcm16', 1 / 32768],
    ['pcm24', 2 ** -23],
    ['pcm32', 2 ** -31],
    ['float32', 1e-7],
    ['float64', 0],
  ];
  for (const [encoding, step] of encodings) {
    it(`round-trips ${encoding} stereo at 44.1 kHz within one quantisation step`, () => {
      const left = sine(440, 44100, 1000, 0.9);
      const right = sine(1234, 44100, 1000, -0.5);
      const bytes = writeWav({ sampleRate: 44100, channels: [left, right] }, { encoding });
      const back = readWav(bytes);
      expect(back.encoding).toBe(encoding);
      expect(back.sampleRate).toBe(44100);
      expect(back.channels.map((c) => c.length)).toEqual([1000, 1000]);
      for (const [c, original] of [left, right].entries()) {
        let worst = 0;
        for (let i = 0; i < 1000; i++) worst = Math.max(worst, Math.abs(back.channels[c]![i]! - original[i]!));
        expect(worst).toBeLessThanOrEqual(step / 2 + 1e-9);
      }
      // Reading what was read and writing it again changes nothing.
      expect(readWav(writeWav(back, { encoding })).channels[1]).toEqual(back.channels[1]);
    });
  }

  it('reads six channels, odd sample rates, and clips integer writes to [-1, 1]', () => {
    const channels = Array.from({ length: 6 }, (_, c) => sine(100 * (c + 1), 7919, 300, 0.1 * (c + 1)));
    const back = readWav(writeWav({ sampleRate: 7919, channels }, { encoding: 'pcm24' }));
    expect(back.sampleRate).toBe(7919);
    expect(back.channels).toHaveLength(6);
    expect(back.channels[5]![10]).toBeCloseTo(channels[5]![10]!, 6);
    const loud = readWav(writeWav({ sampleRate: 8000, channels: [Float32Array.of(1.5, -2, 1)] })).channels[0]!;
    expect(Array.from(loud)).toEqual([32767 / 32768, -1, 32767 / 32768]);
  });

  it('expands A-law and µ-law files through the codec', () => {
    for (const [convert, encoding] of [
      ['toALaw', 'alaw'],
      ['toMuLaw', 'mulaw'],
    ] as const) {
      const wav = new WaveFile();
      wav.fromScratch(1, 8000, '16', [0, 1000, -1000, 16000, -32768, 5]);
      wav[convert]();
      const back = readWav(wav.toBuffer());
      expect(back.encoding).toBe(encoding);
      expect(back.channels[0]!.length).toBe(6);
      const expected = [0, 1000, -1000, 16000, -32768, 5].map((v) => v / 32768);
      for (const [i, v] of back.channels[0]!.entries()) {
        expect(Math.abs(v - expected[i]!)).toBeLessThan(0.04 * Math.abs(expected[i]!) + 0.001);
      }
    }
  });

  it('reads WAVE_FORMAT_EXTENSIBLE float files as float, not as integers', () => {
    // A 40-byte extensible fmt chunk around two float32 samples.
    const bytes = new Uint8Array(12 + 8 + 40 + 8 + 8);
    const view = new DataView(bytes.buffer);
    const ascii = (at: number, s: string) => bytes.set(new TextEncoder().encode(s), at);
    ascii(0, 'RIFF');
    view.setUint32(4, bytes.length - 8, true);
    ascii(8, 'WAVE');
    ascii(12, 'fmt ');
    view.setUint32(16, 40, true);
    view.setUint16(20, 0xfffe, true);
    view.setUint16(22, 1, true); // channels
    view.setUint32(24, 48000, true);
    view.setUint32(28, 48000 * 4, true);
    view.setUint16(32, 4, true); // block align
    view.setUint16(34, 32, true); // bits
    view.setUint16(36, 22, true); // cbSize
    view.setUint16(38, 32, true); // valid bits
    view.setUint32(40, 4, true); // channel mask
    view.setUint16(44, 3, true); // sub-format GUID starts with the format code: IEEE float
    ascii(60, 'data');
    view.setUint32(64, 8, true);
    view.setFloat32(68, 0.25, true);
    view.setFloat32(72, -0.75, true);
    const back = readWav(bytes);
    expect(back.encoding).toBe('float32');
    expect(Array.from(back.channels[0]!)).toEqual([0.25, -0.75]);
  });

  it('refuses what is not a WAV file, names it, and says why', () => {
    expectAudioError(() => readWav(new Uint8Array(0), { name: 'x.wav' }), 'not-wav', /^x\.wav: 0 bytes is too short/);
    expectAudioError(
      () => readWav(new TextEncoder().encode('ID3\u0004 this is an mp3, honest')),
      'not-wav',
      /RIFF…WAVE/,
    );
    const rf64 = speechBytes().slice();
    rf64.set([0x52, 0x46, 0x36, 0x34]);
    expectAudioError(() => readWav(rf64), 'unsupported-encoding', /RF64/);
  });

  it('refuses truncated files at every cut', () => {
    const bytes = speechBytes();
    expectAudioError(
      () => readWav(bytes.subarray(0, 30)),
      'truncated',
      /"fmt " at byte 12 declares 16 bytes, but only 10 follow/,
    );
    expectAudioError(() => readWav(bytes.subarray(0, 36)), 'truncated', /no "data" chunk/);
    expectAudioError(
      () => readWav(bytes.subarray(0, bytes.length - 1)),
      'truncated',
      /"data" chunk declares 90242 bytes, but only 90241 follow/,
    );
  });

  it('refuses inconsistent, unsupported and empty files', () => {
    const bytes = speechBytes();
    expectAudioError(
      () => readWav(patched(bytes, 32, 3, 2)),
      'corrupt',
      /block align 3 does not match 1 channel\(s\) of 16 bits/,
    );
    expectAudioError(() => readWav(patched(bytes, 22, 0, 2)), 'corrupt', /0 channels/);
    expectAudioError(() => readWav(patched(bytes, 34, 12, 2)), 'unsupported-encoding', /integer PCM of 12 bits/);
    expectAudioError(() => readWav(patched(bytes, 20, 0x55, 2)), 'unsupported-encoding', /format code 0x55/);
    const adpcm = new WaveFile();
    adpcm.fromScratch(
      1,
      8000,
      '16',
      Array.from(sine(300, 8000, 2000, 0.5), (v) => Math.round(v * 32767)),
    );
    adpcm.toIMAADPCM();
    expectAudioError(
      () => readWav(adpcm.toBuffer()),
      'unsupported-encoding',
      /IMA ADPCM is not decoded; convert it to PCM/,
    );
    const empty = new WaveFile();
    empty.fromScratch(1, 16000, '16', []);
    expectAudioError(() => readWav(empty.toBuffer()), 'empty', /no complete sample frame/);
  });

  it('refuses absurd sample rates and NaN samples', () => {
    const bytes = speechBytes();
    expectAudioError(
      () => readWav(patched(bytes, 24, 0, 4)),
      'bad-sample-rate',
      /sample rate 0 Hz is outside \[1, 768000\]/,
    );
    expectAudioError(() => readWav(patched(bytes, 24, 0xffffffff, 4)), 'bad-sample-rate', /4294967295 Hz/);
    expectAudioError(() => readWav(patched(bytes, 24, 768_001, 4)), 'bad-sample-rate', /768001 Hz/);
    const nan = new WaveFile();
    nan.fromScratch(1, 8000, '32f', [0.5, Number.NaN, 0.25]);
    expectAudioError(() => readWav(nan.toBuffer()), 'non-finite', /sample 1 of channel 0 is NaN/);
  });
});

describe('writeWav', () => {
  const ok = Float32Array.of(0, 0.5, -0.5);
  it('refuses bad sample rates, encodings and channels with typed errors', () => {
    for (const rate of [0, -8000, 768_001, 44100.5, Number.NaN]) {
      expect(() => writeWav({ sampleRate: rate, channels: [ok] })).toThrow(ConfigError);
    }
    expect(() => writeWav({ sampleRate: -1, channels: [ok] })).toThrow(
      /sampleRate: must be an integer in \[1, 768000\] Hz, got -1/,
    );
    expect(() => writeWav({ sampleRate: 8000, channels: [ok] }, { encoding: 'mp3' as 'pcm16' })).toThrow(/encoding/);
    expect(() => writeWav({ sampleRate: 8000, channels: [] })).toThrow(ShapeError);
    expect(() => writeWav({ sampleRate: 8000, channels: [new Float32Array(0)] })).toThrow(
      /channels\[0\] must be a non-empty array/,
    );
    expect(() => writeWav({ sampleRate: 8000, channels: [ok, Float32Array.of(1)] })).toThrow(
      /channels\[1\] must be 3 samples/,
    );
    expect(() => writeWav({ sampleRate: 8000, channels: [Float32Array.of(0, Number.NaN)] })).toThrow(
      /finite numbers, got NaN at index 1/,
    );
  });
});
