import { buildFromConfig, ConfigError, isRegisteredConfigType } from '@seqgen/base';
import { describe, expect, it } from 'vitest';
import { ChordEncoding } from './chord-encoding.js';
import { MelodyEncoding } from './melody-encoding.js';
import { PerformanceEncoding } from './performance-encoding.js';
import { midiCodecFromJSON, registerMidiCodecs } from './register-midi-codecs.js';

describe('the encodings in the config registry', () => {
  it('rebuild from their JSON (as checkpoints store preprocessors), through the registry', () => {
    registerMidiCodecs();
    registerMidiCodecs(); // idempotent
    expect(isRegisteredConfigType('codec', 'midi-performance')).toBe(true);
    const performance = new PerformanceEncoding({ velocityBins: 16 });
    const rebuilt = buildFromConfig<PerformanceEncoding>('codec', JSON.parse(JSON.stringify(performance.toJSON())));
    expect(rebuilt).toBeInstanceOf(PerformanceEncoding);
    expect(rebuilt.vocabSize).toBe(256 + 100 + 16);
    const melody = midiCodecFromJSON(new MelodyEncoding({ minPitch: 36, maxPitch: 96 }).toJSON());
    expect(melody.vocabSize).toBe(62);
    const chords = midiCodecFromJSON(JSON.stringify(new ChordEncoding({ qualities: ['maj', 'min'] }).toJSON()));
    expect((chords as ChordEncoding).tokenNames).toHaveLength(25);
  });

  it('bad JSON is a ConfigError naming the field', () => {
    expect(() => PerformanceEncoding.fromJSON({ type: 'midi-performance', version: 2 })).toThrow(
      /version: midi-performance: only version 1/,
    );
    expect(() => MelodyEncoding.fromJSON({ type: 'midi-melody', version: 1, minPitch: -5 })).toThrow(ConfigError);
    expect(() => ChordEncoding.fromJSON('{nope')).toThrow(/midi-chords JSON: is not valid JSON/);
    expect(() => midiCodecFromJSON({ type: 'midi-nothing', version: 1 })).toThrow(/unknown codec type "midi-nothing"/);
  });
});
