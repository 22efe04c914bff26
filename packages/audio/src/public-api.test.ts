import { describe, expect, it } from 'vitest';
import * as api from './index.js';

// The curated public surface: adding or removing an export is a deliberate,
// reviewed change (update this list, the README's API table and a changeset).
describe('@seqgen/audio public API', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(api).sort()).toEqual([
      'AudioError',
      'MAX_SAMPLE_RATE',
      'dtwAlign',
      'griffinLim',
      'hannWindow',
      'hzToMel',
      'istft',
      'logMelSpectrogram',
      'logMelToAudio',
      'melCepstralDistortion',
      'melCepstrum',
      'melFilterbank',
      'melSpectrogram',
      'melToHz',
      'melToLinear',
      'mfcc',
      'parseLjspeechMetadata',
      'powerToDb',
      'readWav',
      'resample',
      'spectralConvergence',
      'stft',
      'writeWav',
    ]);
  });
});
