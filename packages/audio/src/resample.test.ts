import { ConfigError, ShapeError } from '@seqgen/base';
import { describe, expect, it } from 'vitest';
import { resample } from './resample.js';
import { reference, sine, speechSignal } from './test-fixtures/load-fixtures.js';

/** Amplitude of the `frequency` component of `x` (least squares on a sine/cosine pair), away from the edges. */
function toneAmplitude(x: Float32Array, frequency: number, sampleRate: number): number {
  let s = 0;
  let c = 0;
  const from = 200;
  const to = x.length - 200;
  for (let n = from; n < to; n++) {
    s += x[n]! * Math.sin((2 * Math.PI * frequency * n) / sampleRate);
    c += x[n]! * Math.cos((2 * Math.PI * frequency * n) / sampleRate);
  }
  return (2 * Math.hypot(s, c)) / (to - from);
}

describe('resample', () => {
  it('keeps a tone below the new Nyquist frequency (3 kHz, 22050 → 16000 Hz) at its amplitude and frequency', () => {
    const y = resample(sine(3000, 22050, 22050, 0.8), 22050, 16000);
    expect(y.length).toBe(16000);
    expect(toneAmplitude(y, 3000, 16000)).toBeCloseTo(0.8, 3);
    // Nothing left over: the output is the same tone, sampled at the new rate.
    const expected = sine(3000, 16000, 16000, 0.8);
    let err = 0;
    for (let n = 200; n < 15800; n++) err = Math.max(err, Math.abs(y[n]! - expected[n]!));
    expect(err).toBeLessThan(1e-3);
  });

  it('removes a tone above the new Nyquist frequency (10 kHz, 22050 → 16000 Hz) instead of aliasing it to 6 kHz', () => {
    const y = resample(sine(10000, 22050, 22050, 0.8), 22050, 16000);
    const alias = toneAmplitude(y, 6000, 16000);
    expect(20 * Math.log10(alias / 0.8)).toBeLessThan(-60);
    let rms = 0;
    for (let n = 200; n < y.length - 200; n++) rms += y[n]! ** 2;
    expect(Math.sqrt(rms / (y.length - 400))).toBeLessThan(1e-3);
  });

  it('upsamples without changing a tone (8000 → 44100 Hz, 1 kHz)', () => {
    const y = resample(sine(1000, 8000, 8000, 0.5), 8000, 44100);
    expect(y.length).toBe(44100);
    expect(toneAmplitude(y, 1000, 44100)).toBeCloseTo(0.5, 3);
  });

  it('agrees with scipy.signal.resample_poly (Kaiser windowed sinc) on speech to 40 dB', () => {
    const ref = reference().resampled16k;
    const y = resample(speechSignal(), 22050, 16000);
    expect(y.length).toBe(ref.length);
    let err = 0;
    let energy = 0;
    ref.values.forEach((v, i) => {
      err += (y[ref.start + i]! - v) ** 2;
      energy += v * v;
    });
    expect(10 * Math.log10(energy / err)).toBeGreaterThan(40);
  });

  it('computes taps per sample for rates with many phases (44100 → 44101 Hz)', () => {
    const y = resample(sine(440, 44100, 4410, 0.5), 44100, 44101);
    expect(y.length).toBe(4411);
    expect(toneAmplitude(y, 440, 44101)).toBeCloseTo(0.5, 3);
  });

  it('refuses absurd rates, bad filters and bad signals with typed errors', () => {
    const x = sine(100, 8000, 800);
    for (const rate of [0, -16000, 768_001, 22050.5, Number.NaN]) {
      expect(() => resample(x, rate, 16000)).toThrow(ConfigError);
      expect(() => resample(x, 16000, rate)).toThrow(/toRate: must be an integer sample rate in \[1, 768000\] Hz/);
    }
    expect(() => resample(x, 8000, 16000, { rolloff: 1.5 })).toThrow(/rolloff/);
    expect(() => resample(x, 8000, 16000, { zeroCrossings: 0 })).toThrow(/zeroCrossings/);
    expect(() => resample([], 8000, 16000)).toThrow(ShapeError);
    expect(() => resample([0, Number.NaN], 8000, 16000)).toThrow(/got NaN at index 1/);
  });
});
