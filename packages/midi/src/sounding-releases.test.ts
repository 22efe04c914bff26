import { describe, expect, it } from 'vitest';
import { PerformanceEncoding } from './performance-encoding.js';
import { soundingReleasesProcessor } from './sounding-releases.js';

const encoding = new PerformanceEncoding();
const on = (pitch: number) => encoding.id({ type: 'note-on', pitch });
const off = (pitch: number) => encoding.id({ type: 'note-off', pitch });
const shift = encoding.id({ type: 'time-shift', steps: 10 });

/** The probabilities a sampler draws from a logit row (softmax; -Infinity is probability 0). */
function probabilities(logits: Float32Array): number[] {
  const max = Math.max(...logits);
  const exps = Array.from(logits, (l) => Math.exp(l - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** A row of seeded, uneven logits (every event different). */
function unevenLogits(): Float32Array {
  const logits = new Float32Array(encoding.vocabSize);
  for (let id = 0; id < logits.length; id++) logits[id] = Math.sin(id * 12.9898) * 2;
  return logits;
}

describe('soundingReleasesProcessor', () => {
  const processor = soundingReleasesProcessor(encoding);

  it('keeps the chance of a release and shares it among the sounding pitches in the model’s proportions', () => {
    const logits = unevenLogits();
    const before = probabilities(logits);
    // C4 sounds twice (stacked onsets), E4 once; G4 was released; A4 never played.
    processor.process(logits, { sequence: [on(60), on(64), on(60), on(67), shift, off(67)] });
    const after = probabilities(logits);
    let releasesBefore = 0;
    for (let p = 0; p < 128; p++) releasesBefore += before[off(p)] as number;
    const releasesAfter = (after[off(60)] as number) + (after[off(64)] as number);
    expect(releasesAfter).toBeCloseTo(releasesBefore, 6);
    expect((after[off(60)] as number) / (after[off(64)] as number)).toBeCloseTo(
      (before[off(60)] as number) / (before[off(64)] as number),
      5,
    );
    for (const silent of [67, 69, 0, 127]) expect(logits[off(silent)]).toBe(Number.NEGATIVE_INFINITY);
    // Everything that is not a release keeps its probability.
    for (const id of [on(60), on(69), shift, encoding.vocabSize - 1]) {
      expect(after[id] as number).toBeCloseTo(before[id] as number, 6);
    }
  });

  it('allows no release while nothing sounds, and counts a stacked pitch until its last release', () => {
    const silence = unevenLogits();
    processor.process(silence, { sequence: [on(60), shift, off(60)] });
    for (let p = 0; p < 128; p++) expect(silence[off(p)]).toBe(Number.NEGATIVE_INFINITY);
    const stacked = unevenLogits();
    processor.process(stacked, { sequence: [on(60), on(60), off(60)] });
    expect(Number.isFinite(stacked[off(60)])).toBe(true);
    const empty = unevenLogits();
    processor.process(empty, { sequence: [] });
    expect(Array.from(empty.subarray(off(0), off(127) + 1)).every((l) => l === Number.NEGATIVE_INFINITY)).toBe(true);
  });

  it('leaves a row whose releases were all removed before it as it is', () => {
    const logits = unevenLogits();
    for (let p = 0; p < 128; p++) logits[off(p)] = Number.NEGATIVE_INFINITY;
    const copy = logits.slice();
    processor.process(logits, { sequence: [on(60)] });
    expect(Array.from(logits)).toEqual(Array.from(copy));
  });
});
