import { ConfigError, ShapeError } from '@seqgen/base';
import { describe, expect, it } from 'vitest';
import { griffinLim, spectralConvergence } from './griffin-lim.js';
import type { Matrix } from './matrix.js';
import { melFilterbank } from './mel-filterbank.js';
import { logMelSpectrogram, melSpectrogram } from './mel-spectrogram.js';
import { logMelToAudio, melToLinear } from './mel-to-linear.js';
import { stft } from './stft.js';
import { speechSignal } from './test-fixtures/load-fixtures.js';

const framing = { nFft: 1024, hopLength: 256 };
const x = speechSignal().subarray(0, 22050); // the first second

function magnitudeOf(signal: Float32Array): Matrix {
  const spec = stft(signal, framing);
  const data = new Float32Array(spec.real.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.hypot(spec.real[i]!, spec.imag[i]!);
  return { data, rows: spec.frames, cols: spec.bins };
}

describe('griffinLim', () => {
  const target = magnitudeOf(x);

  it('converges: spectral convergence falls with iterations, and momentum beats the classic update', () => {
    const sc = (iterations: number, momentum: number) =>
      spectralConvergence(target, griffinLim(target, { hopLength: 256, iterations, momentum }), { hopLength: 256 });
    const [sc0, sc4, sc16] = [sc(0, 0.99), sc(4, 0.99), sc(16, 0.99)];
    expect(sc4).toBeLessThan(sc0);
    expect(sc16).toBeLessThan(sc4);
    expect(sc16).toBeLessThan(0.1); // 0.069 here; random phases start at 0.64
    expect(sc(16, 0)).toBeGreaterThan(1.5 * sc16); // the classic update: 0.17
  });

  it('is deterministic for a seed and returns the requested length', () => {
    const a = griffinLim(target, { hopLength: 256, iterations: 2, seed: 7, length: 22050 });
    const b = griffinLim(target, { hopLength: 256, iterations: 2, seed: 7, length: 22050 });
    const c = griffinLim(target, { hopLength: 256, iterations: 2, seed: 8 });
    expect(a.length).toBe(22050);
    expect(c.length).toBe(256 * (target.rows - 1));
    let sameAsB = 0;
    let sameAsC = 0;
    for (let i = 0; i < c.length; i++) {
      if (a[i] === b[i]) sameAsB++;
      if (a[i] === c[i]) sameAsC++;
    }
    expect(sameAsB).toBe(c.length);
    expect(sameAsC).toBeLessThan(c.length / 10);
  });

  it('refuses bad magnitudes and options', () => {
    expect(() => griffinLim(target, { hopLength: 256, momentum: 1 })).toThrow(/momentum/);
    expect(() => griffinLim(target, { hopLength: 256, iterations: -1 })).toThrow(ConfigError);
    expect(() => griffinLim(target, { hopLength: 256, init: 'noise' as 'zeros' })).toThrow(/init/);
    const negative = { ...target, data: target.data.slice() };
    negative.data[600] = -1;
    expect(() => griffinLim(negative)).toThrow(/magnitude must be non-negative values, got -1 in frame 1/);
    expect(() => griffinLim({ data: new Float32Array(10), rows: 2, cols: 5 })).toThrow(ShapeError);
    expect(() => griffinLim({ data: new Float32Array(3 * 100), rows: 3, cols: 100 })).toThrow(
      /magnitude must be nFft\/2 \+ 1 bins .*, got 100 bins/,
    );
  });
});

describe('melToLinear and logMelToAudio', () => {
  const options = { sampleRate: 22050, ...framing, nMels: 80, fMax: 8000 };

  it('finds a non-negative spectrum whose mel projection matches the mel spectrogram (NNLS beats the pseudo-inverse)', () => {
    const mel = melSpectrogram(x, { ...options, power: 1 });
    const fb = melFilterbank(options);
    const residual = (linear: Matrix) => {
      let err = 0;
      let total = 0;
      for (let t = 0; t < mel.rows; t++) {
        for (let m = 0; m < 80; m++) {
          let acc = 0;
          for (let k = 0; k < 513; k++) acc += fb.data[m * 513 + k]! * linear.data[t * 513 + k]!;
          err += (acc - mel.data[t * 80 + m]!) ** 2;
          total += mel.data[t * 80 + m]! ** 2;
        }
      }
      return Math.sqrt(err / total);
    };
    const nnls = melToLinear(mel, { ...options, power: 1 });
    const pinv = melToLinear(mel, { ...options, power: 1, method: 'pinv' });
    expect([nnls.rows, nnls.cols]).toEqual([mel.rows, 513]);
    expect(nnls.data.every((v) => v >= 0)).toBe(true);
    expect(residual(nnls)).toBeLessThan(0.02);
    expect(residual(nnls)).toBeLessThan(residual(pinv));
    // Power mels give back the magnitude (the square root of the solution).
    const fromPower = melToLinear(melSpectrogram(x, options), options);
    let corr = 0;
    let na = 0;
    let nb = 0;
    for (let i = 0; i < nnls.data.length; i++) {
      corr += nnls.data[i]! * fromPower.data[i]!;
      na += nnls.data[i]! ** 2;
      nb += fromPower.data[i]! ** 2;
    }
    expect(corr / Math.sqrt(na * nb)).toBeGreaterThan(0.9);
  });

  it('turns a log-mel spectrogram back into audio whose log-mel is close to it', () => {
    const logMel = logMelSpectrogram(x, options);
    const audio = logMelToAudio(logMel, { ...options, iterations: 16 });
    expect(audio.length).toBe(256 * (logMel.rows - 1));
    const again = logMelSpectrogram(audio, options);
    let err = 0;
    for (let i = 0; i < logMel.data.length; i++) err += Math.abs(again.data[i]! - logMel.data[i]!);
    // Mean absolute log-mel error in nepers, on speech with silences at the floor.
    expect(err / logMel.data.length).toBeLessThan(0.6);
  });

  it('refuses mels of the wrong width or sign', () => {
    const mel = melSpectrogram(x, options);
    expect(() => melToLinear({ data: mel.data.subarray(0, 79 * 10), rows: 10, cols: 79 }, options)).toThrow(
      /mel must be 80 columns, got 79/,
    );
    const negative = { ...mel, data: mel.data.slice() };
    negative.data[0] = -0.5;
    expect(() => melToLinear(negative, options)).toThrow(/mel must be non-negative values/);
    expect(() => melToLinear(mel, { ...options, method: 'lstsq' as 'nnls' })).toThrow(/method/);
    expect(() => logMelToAudio({ data: Float32Array.of(Number.NaN), rows: 1, cols: 1 }, options)).toThrow(
      /finite values/,
    );
  });
});
