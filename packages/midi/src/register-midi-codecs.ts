import { buildFromConfig, ConfigError, isRegisteredConfigType, registerConfigType } from '@seqgen/base';
import { ChordEncoding } from './chord-encoding.js';
import { MelodyEncoding } from './melody-encoding.js';
import { PerformanceEncoding } from './performance-encoding.js';

/** One of this package's encodings. */
export type MidiCodec = PerformanceEncoding | MelodyEncoding | ChordEncoding;

const FACTORIES: Record<string, (json: unknown) => MidiCodec> = {
  'midi-performance': (json) => PerformanceEncoding.fromJSON(json),
  'midi-melody': (json) => MelodyEncoding.fromJSON(json),
  'midi-chords': (json) => ChordEncoding.fromJSON(json),
};

/**
 * Registers this package's encodings (`midi-performance`, `midi-melody`,
 * `midi-chords`) in the config registry under kind `codec`, where
 * checkpoints' preprocessors are rebuilt from. Idempotent; a type someone
 * registered first is left as it is. Nothing here relies on an import side effect.
 */
export function registerMidiCodecs(): void {
  for (const [type, factory] of Object.entries(FACTORIES)) {
    if (!isRegisteredConfigType('codec', type)) registerConfigType('codec', type, factory);
  }
}

/** Rebuilds one of this package's encodings from its `toJSON()` output, an object or JSON text (registering them first). */
export function midiCodecFromJSON(json: unknown): MidiCodec {
  registerMidiCodecs();
  let config = json;
  if (typeof json === 'string') {
    try {
      config = JSON.parse(json);
    } catch {
      throw new ConfigError('codec JSON', 'is not valid JSON');
    }
  }
  return buildFromConfig('codec', config);
}
