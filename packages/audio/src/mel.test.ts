import { ConfigError, ShapeError } from '@seqgen/base';
import { describe, expect, it } from 'vitest';
import { melCepstrum } from './mel-cepstrum.js';
import { melFilterbank } from './mel-filterbank.js';
import { hzToMel, melToHz } from './mel-scale.js';
import { logMelSpectrogram, melSpectrogram } from './mel-spectrogram.js';
import { mfcc } from './mfcc.js';
import { powerToDb } from './power-to-db.js';
import { reference, relativeMaxError, sine, speechSignal } from './test-fixtures/load-fixtures.js';

const ref = reference();
const common = {
  sampleRate: ref.sampleRate,
  nFft: ref.nFft,
  hopLength: ref.hopLength,
  nMels: ref.nMels,
  fMax: ref.fMax,
};

describe('mel scale', () => {
  it('has the textbook values and inverts itself', () => {
    expect(hzToMel(1000, 'slaney')).toBeCloseTo(15, 12);
    expect(hzToMel(6400, 'slaney')).toBeCloseTo(15 + 27, 10); // 27 log steps of 6.4^(1/27) reach 6.4 kHz
    expect(hzToMel(700, 'htk')).toBeCloseTo(2595 * Math.log10(2), 10);
    for (const scale of ['htk', 'slaney'] as const) {
      for (const hz of [0, 55, 999, 1000, 4321, 11025]) expect(melToHz(hzToMel(hz, scale), scale)).toBeCloseTo(hz, 8);
    }
  });
});

describe('melFilterbank', () => {
  it('matches the numpy reference rows for Slaney (normalised) and HTK (unnormalised) scales', () => {
    const slaney = melFilterbank({ ...common, scale: 'slaney', norm: 'slaney' });
    const htk = melFilterbank({ ...common, scale: 'htk', norm: 'none' });
    expect([slaney.rows, slaney.cols]).toEqual([80, 513]);
    ref.filterRows.forEach((r, i) => {
      expect(relativeMaxError(slaney.data.subarray(r * 513, (r + 1) * 513), ref.slaneyRows[i]!)).toBeLessThan(1e-6);
      expect(relativeMaxError(htk.data.subarray(r * 513, (r + 1) * 513), ref.htkRows[i]!)).toBeLessThan(1e-6);
    });
  });

  it('refuses bad options naming them', () => {
    expect(() => melFilterbank({ sampleRate: 0 })).toThrow(ConfigError);
    expect(() => melFilterbank({ sampleRate: -16000 })).toThrow(/sampleRate: must be an integer in \[1, 768000\]/);
    expect(() => melFilterbank({ sampleRate: 800_000 })).toThrow(/sampleRate/);
    expect(() => melFilterbank({ sampleRate: 16000, fMax: 9000 })).toThrow(/fMax/);
    expect(() => melFilterbank({ sampleRate: 16000, fMin: 5000, fMax: 4000 })).toThrow(/fMin/);
    expect(() => melFilterbank({ sampleRate: 16000, scale: 'bark' as 'htk' })).toThrow(/scale/);
    expect(() => melFilterbank({ sampleRate: 16000, nMels: 0 })).toThrow(/nMels/);
  });
});

describe('mel features agree with the numpy/scipy reference on real speech', () => {
  const x = speechSignal();

  it('power mel spectrogram in dB (librosa power_to_db, top_db 80) within 1e-3 dB', () => {
    const db = powerToDb(melSpectrogram(x, common));
    expect(db.rows).toBe(ref.frames);
    ref.everyEighthFrame.forEach((t, i) => {
      const row = db.data.subarray(t * 80, (t + 1) * 80);
      for (let m = 0; m < 80; m++) expect(Math.abs(row[m]! - ref.melDb[i]![m]!)).toBeLessThan(1e-3);
    });
  });

  it('natural-log magnitude mel spectrogram (Tacotron 2 features) within 1e-4', () => {
    const logMel = logMelSpectrogram(x, common);
    ref.everyEighthFrame.forEach((t, i) => {
      const row = logMel.data.subarray(t * 80, (t + 1) * 80);
      for (let m = 0; m < 80; m++) expect(Math.abs(row[m]! - ref.logMel[i]![m]!)).toBeLessThan(1e-4);
    });
  });

  it('MFCC (DCT-II ortho of dB mels) within 1e-4 relative', () => {
    const c = mfcc(x, { ...common, nMfcc: ref.nMfcc });
    expect([c.rows, c.cols]).toEqual([ref.frames, 20]);
    expect(relativeMaxError(c.data, ref.mfcc)).toBeLessThan(1e-4);
  });

  it('a 2 kHz tone lights the band that covers 2 kHz', () => {
    const mel = melSpectrogram(sine(2000, 22050, 22050), common);
    const t = 40;
    const row = Array.from(mel.data.subarray(t * 80, (t + 1) * 80));
    const band = row.indexOf(Math.max(...row));
    const centre = melToHz(hzToMel(0) + ((hzToMel(8000) - hzToMel(0)) * (band + 1)) / 81);
    expect(Math.abs(centre - 2000)).toBeLessThan(100);
  });

  it('refuses bad feature inputs', () => {
    expect(() => melSpectrogram(x, { ...common, power: 0 })).toThrow(/power/);
    expect(() => logMelSpectrogram(x, { ...common, floor: -1 })).toThrow(/floor/);
    expect(() => mfcc(x, { ...common, nMfcc: 100 })).toThrow(/nCoefficients: must be at most the 80 mel bands/);
    expect(() => melCepstrum({ data: new Float32Array(5), rows: 2, cols: 3 })).toThrow(ShapeError);
    expect(() => powerToDb({ data: Float32Array.of(1, Number.NaN), rows: 1, cols: 2 })).toThrow(/finite values/);
    expect(() => powerToDb({ data: Float32Array.of(1, 2), rows: 1, cols: 2 }, { amin: 0 })).toThrow(/amin/);
    expect(() => melSpectrogram([], common)).toThrow(ShapeError);
  });
});
