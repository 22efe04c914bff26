import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MidiError } from './midi-error.js';
import { DEFAULT_SOUND_FONT, renderWav } from './render-wav.js';
import { note, sequence } from './test-fixtures/sequences.js';
import { writeMidi } from './write-midi.js';

const dir = mkdtempSync(join(tmpdir(), 'seqgen-midi-wav-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const midi = writeMidi(sequence([note(60, 0, 0.5), note(64, 0.5, 1)]));
// fluidsynth and its sound font are Debian packages that CI installs; elsewhere this skips unless required.
const haveSynth = existsSync(DEFAULT_SOUND_FONT) && existsSync('/usr/bin/fluidsynth');
if (!haveSynth && process.env.SEQGEN_DATA_REQUIRED === '1') {
  throw new Error('fluidsynth / fluid-soundfont-gm missing: apt-get install fluidsynth fluid-soundfont-gm');
}

describe('renderWav', () => {
  it.skipIf(!haveSynth)(
    'renders a WAV with fluidsynth: RIFF/WAVE, 16-bit, about a second of sound',
    () => {
      const out = join(dir, 'a.wav');
      renderWav(midi, out, { sampleRate: 22_050 });
      const wav = readFileSync(out);
      expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
      expect(wav.toString('ascii', 8, 12)).toBe('WAVE');
      expect(wav.readUInt32LE(24)).toBe(22_050);
      expect(wav.readUInt16LE(34)).toBe(16);
      const channels = wav.readUInt16LE(22);
      const seconds = (wav.length - 44) / (22_050 * 2 * channels);
      expect(seconds).toBeGreaterThan(0.9);
      // Not silence: some sample is far from zero.
      let peak = 0;
      for (let i = 44; i + 1 < wav.length; i += 2) peak = Math.max(peak, Math.abs(wav.readInt16LE(i)));
      expect(peak).toBeGreaterThan(1000);
    },
    60_000,
  );

  it('a missing synthesizer or sound font is a MidiError that says what to install, and writes nothing', () => {
    const out = join(dir, 'b.wav');
    writeFileSync(out, 'mine');
    const missing = () => renderWav(midi, out, { fluidsynth: join(dir, 'no-such-fluidsynth') });
    if (existsSync(DEFAULT_SOUND_FONT)) expect(missing).toThrow(/not found \(install Debian fluidsynth/);
    expect(() => renderWav(midi, out, { soundFont: join(dir, 'none.sf2') })).toThrow(MidiError);
    expect(() => renderWav(midi, out, { soundFont: join(dir, 'none.sf2') })).toThrow(/fluid-soundfont-gm/);
    expect(readFileSync(out, 'utf8')).toBe('mine');
  });
});
