import { ConfigError, ShapeError } from '@seqgen/base';
import { describe, expect, it } from 'vitest';
import { istft } from './istft.js';
import { stft } from './stft.js';
import { reference, relativeMaxError, sine, speechSignal } from './test-fixtures/load-fixtures.js';

describe('stft', () => {
  it('puts a sine at its bin: 1000 Hz at 16 kHz with nFft 512 peaks at bin 32 with amplitude N/4', () => {
    const x = sine(1000, 16000, 8000);
    const spec = stft(x, { nFft: 512, hopLength: 128 });
    expect(spec.bins).toBe(257);
    expect(spec.frames).toBe(1 + Math.floor(8000 / 128));
    const t = 20; // an interior frame
    let peak = 0;
    for (let k = 1; k < spec.bins; k++) {
      if (
        Math.hypot(spec.real[t * 257 + k]!, spec.imag[t * 257 + k]!) >
        Math.hypot(spec.real[t * 257 + peak]!, spec.imag[t * 257 + peak]!)
      )
        peak = k;
    }
    expect(peak).toBe(32);
    // A Hann window sums to N/2, so a unit sine's bin holds N/4.
    expect(Math.hypot(spec.real[t * 257 + 32]!, spec.imag[t * 257 + 32]!)).toBeCloseTo(128, 2);
  });

  it("satisfies Parseval's identity frame by frame", () => {
    const x = speechSignal();
    const nFft = 1024;
    const spec = stft(x, { nFft, hopLength: 256 });
    for (const t of [5, 50, 100]) {
      // Σ|w·x|² = (1/N) Σ_k |X_k|² over the full spectrum; bins 1…N/2−1 count twice.
      const window = Float64Array.from({ length: nFft }, (_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / nFft));
      let timeEnergy = 0;
      for (let n = 0; n < nFft; n++) {
        const i = t * 256 + n - nFft / 2;
        const v = i >= 0 && i < x.length ? x[i]! * window[n]! : 0;
        timeEnergy += v * v;
      }
      let freqEnergy = 0;
      for (let k = 0; k < spec.bins; k++) {
        const p = spec.real[t * spec.bins + k]! ** 2 + spec.imag[t * spec.bins + k]! ** 2;
        freqEnergy += k === 0 || k === spec.bins - 1 ? p : 2 * p;
      }
      expect(timeEnergy).toBeGreaterThan(0);
      expect(Math.abs(freqEnergy / nFft - timeEnergy) / timeEnergy).toBeLessThan(1e-5);
    }
  });

  it('agrees with scipy.signal.stft (centre zero padding, Hann) on real speech to 1e-5', () => {
    const ref = reference();
    const spec = stft(speechSignal(), { nFft: ref.nFft, hopLength: ref.hopLength });
    expect(spec.frames).toBe(ref.frames);
    ref.stftFrames.forEach((t, i) => {
      const ours = Array.from({ length: spec.bins }, (_, k) =>
        Math.hypot(spec.real[t * spec.bins + k]!, spec.imag[t * spec.bins + k]!),
      );
      expect(relativeMaxError(ours, ref.stftMagnitude[i]!)).toBeLessThan(1e-5);
    });
  });

  it('refuses bad options and signals with typed errors naming them', () => {
    const x = sine(440, 16000, 2000);
    expect(() => stft(x, { nFft: 1000 })).toThrow(ConfigError);
    expect(() => stft(x, { nFft: 1000 })).toThrow(/nFft: must be a power of two/);
    expect(() => stft(x, { nFft: 512, hopLength: 0 })).toThrow(/hopLength/);
    expect(() => stft(x, { nFft: 512, winLength: 1024 })).toThrow(/winLength/);
    expect(() => stft(x, { nFft: 512, hopLength: 600, winLength: 512 })).toThrow(
      /hopLength: must be at most winLength/,
    );
    expect(() => stft(x, { padMode: 'wrap' as 'reflect' })).toThrow(/padMode/);
    expect(() => stft(new Float32Array(0))).toThrow(ShapeError);
    expect(() => stft(Float32Array.of(0, Number.NaN, 1))).toThrow(/finite numbers, got NaN at index 1/);
    expect(() => stft(new Float32Array(100), { nFft: 512, center: false })).toThrow(/at least nFft = 512 samples/);
    expect(() => stft(new Float32Array(100), { nFft: 512, padMode: 'reflect' })).toThrow(/reflect padding/);
  });
});

describe('istft', () => {
  const cases = [
    { name: 'hop nFft/4, zero padding', options: { nFft: 1024, hopLength: 256 } },
    { name: 'hop nFft/2, reflect padding', options: { nFft: 512, hopLength: 256, padMode: 'reflect' as const } },
    { name: 'short window, uncentred', options: { nFft: 1024, hopLength: 200, winLength: 800, center: false } },
  ];
  for (const { name, options } of cases) {
    it(`gives the signal back to < 1e-5 relative error (${name})`, () => {
      const x = speechSignal();
      const y = istft(stft(x, options), { ...options, length: x.length });
      expect(y.length).toBe(x.length);
      // Uncentred frames leave the first and last half-window uncovered.
      const margin = options.center === false ? options.nFft : 0;
      let err = 0;
      let energy = 0;
      for (let i = margin; i < x.length - margin; i++) {
        err += (y[i]! - x[i]!) ** 2;
        energy += x[i]! ** 2;
      }
      expect(Math.sqrt(err / energy)).toBeLessThan(1e-5);
    });
  }

  it('refuses a malformed spectrogram and a bad length', () => {
    const spec = stft(sine(440, 16000, 4000), { nFft: 256 });
    expect(() => istft({ ...spec, real: spec.real.subarray(1) })).toThrow(ShapeError);
    const bad = { ...spec, imag: spec.imag.slice() };
    bad.imag[7] = Number.POSITIVE_INFINITY;
    expect(() => istft(bad)).toThrow(/finite values/);
    expect(() =>
      istft({
        ...spec,
        bins: 100,
        real: new Float32Array(100 * spec.frames),
        imag: new Float32Array(100 * spec.frames),
      }),
    ).toThrow(/spec must be nFft\/2 \+ 1 bins/);
    expect(() => istft(spec, { length: -3 })).toThrow(/length: must be a positive integer/);
  });
});
