import { assertFiniteNumber, assertInRange } from '@seqgen/base';
import type { PerformanceEncoding } from './performance-encoding.js';

/** A logits processor (the samplers' hook) that scales how likely note onsets are. */
export type NoteDensityProcessor = {
  /** `note-density`, as the samplers name processors. */
  readonly name: string;
  /** Adds ln(density) to every note-on logit, in place. */
  process(logits: Float32Array): void;
};

/**
 * A logits processor (the shape `@seqgen/samplers` takes in
 * `logitsProcessors`) that makes note onsets `density` times as likely
 * relative to everything else (releases, time shifts, velocities), before
 * renormalization: 2 plays denser, 0.5 sparser music, 1 changes nothing.
 */
export function noteDensityProcessor(encoding: PerformanceEncoding, density: number): NoteDensityProcessor {
  assertFiniteNumber('density', density);
  assertInRange('density', density, 0.01, 100);
  const bias = Math.log(density);
  const first = encoding.id({ type: 'note-on', pitch: 0 });
  const last = encoding.id({ type: 'note-on', pitch: 127 });
  return {
    name: 'note-density',
    process(logits: Float32Array): void {
      if (bias === 0) return;
      for (let id = first; id <= last; id++) logits[id] = (logits[id] as number) + bias;
    },
  };
}
