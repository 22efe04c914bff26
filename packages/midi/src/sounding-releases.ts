import type { PerformanceEncoding } from './performance-encoding.js';

/** A logits processor (the samplers' hook) that releases only sounding pitches, keeping the chance of a release. */
export type SoundingReleasesProcessor = {
  /** `sounding-releases`, as the samplers name processors. */
  readonly name: string;
  /** Rewrites the note-off logits of one row in place, given the row's prompt and generated events. */
  process(logits: Float32Array, context: { readonly sequence: readonly number[] }): void;
};

/**
 * A logits processor (the shape `@seqgen/samplers` takes in
 * `logitsProcessors`) for performance-event decoding: the model decides
 * *when* to release a note, the history decides *which* notes can be
 * released. The total probability the model gives to releases is kept and
 * shared among the pitches sounding now, in the model's own proportions; a
 * release of a silent pitch (encoded music never has one, and `decode`
 * ignores it while the note it was meant for sounds on) gets none. With
 * nothing sounding, no release can be chosen.
 */
export function soundingReleasesProcessor(encoding: PerformanceEncoding): SoundingReleasesProcessor {
  const firstOn = encoding.id({ type: 'note-on', pitch: 0 });
  const firstOff = encoding.id({ type: 'note-off', pitch: 0 });
  const sounding = new Int32Array(128);
  return {
    name: 'sounding-releases',
    process(logits, { sequence }): void {
      sounding.fill(0);
      for (const id of sequence) {
        const on = id - firstOn;
        const off = id - firstOff;
        if (on >= 0 && on < 128) sounding[on]!++;
        else if (off >= 0 && off < 128 && sounding[off]! > 0) sounding[off]!--;
      }
      // log Σ exp over every release, and over the releases of sounding pitches.
      let max = Number.NEGATIVE_INFINITY;
      for (let p = 0; p < 128; p++) max = Math.max(max, logits[firstOff + p] as number);
      if (max === Number.NEGATIVE_INFINITY) return;
      let all = 0;
      let legal = 0;
      for (let p = 0; p < 128; p++) {
        const e = Math.exp((logits[firstOff + p] as number) - max);
        all += e;
        if (sounding[p]! > 0) legal += e;
      }
      const shift = legal > 0 ? Math.log(all / legal) : 0;
      for (let p = 0; p < 128; p++) {
        const id = firstOff + p;
        logits[id] = sounding[p]! > 0 && legal > 0 ? (logits[id] as number) + shift : Number.NEGATIVE_INFINITY;
      }
    },
  };
}
