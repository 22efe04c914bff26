import { ConfigError } from '@seqgen/base';
import { type MusicalKey, scalePitchClasses } from './musical-key.js';
import type { PerformanceEncoding } from './performance-encoding.js';

/** Options of {@link allowedPerformanceEvents}. */
export type AllowedEventsOptions = {
  /** Only onsets of pitches in this key's scale. */
  key?: MusicalKey;
  /** Only onsets of these pitch classes (0 = C … 11 = B), e.g. a pentatonic scale; with `key`, both must allow. */
  pitchClasses?: readonly number[];
  /** Lowest pitch an onset may have (default 0). */
  minPitch?: number;
  /** Highest pitch an onset may have (default 127), inclusive. */
  maxPitch?: number;
};

/**
 * Which performance event ids a sampler may pick to keep music in a key and
 * a pitch range (for a sampler's allowed-token hook): a boolean per id,
 * `false` only for note-ons outside the scale or the range. Releases, time
 * shifts and velocities stay allowed, so notes already sounding still end.
 */
export function allowedPerformanceEvents(encoding: PerformanceEncoding, options: AllowedEventsOptions = {}): boolean[] {
  const minPitch = options.minPitch ?? 0;
  const maxPitch = options.maxPitch ?? 127;
  if (
    !(
      Number.isInteger(minPitch) &&
      Number.isInteger(maxPitch) &&
      0 <= minPitch &&
      minPitch <= maxPitch &&
      maxPitch <= 127
    )
  ) {
    throw new ConfigError(
      'minPitch',
      `the pitch range [${minPitch}, ${maxPitch}] must be integers with 0 ≤ min ≤ max ≤ 127`,
    );
  }
  const classes = options.pitchClasses;
  if (
    classes !== undefined &&
    !(Array.isArray(classes) && classes.length > 0 && classes.every((c) => Number.isInteger(c) && c >= 0 && c <= 11))
  ) {
    throw new ConfigError('pitchClasses', 'must be a non-empty list of integer pitch classes in [0, 11]');
  }
  const scale = options.key ? new Set(scalePitchClasses(options.key)) : undefined;
  const chosen = classes ? new Set(classes) : undefined;
  const allowed = new Array<boolean>(encoding.vocabSize).fill(true);
  for (let pitch = 0; pitch < 128; pitch++) {
    const ok =
      pitch >= minPitch &&
      pitch <= maxPitch &&
      (!scale || scale.has(pitch % 12)) &&
      (!chosen || chosen.has(pitch % 12));
    allowed[encoding.id({ type: 'note-on', pitch })] = ok;
  }
  return allowed;
}
