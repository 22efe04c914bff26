import { initBackend, Rng } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { greedyToken, NO_HISTORY } from './greedy.js';
import { softmax } from './logits-math.js';
import { applyLogitsProcessors } from './logits-processors/logits-processor.js';
import { temperatureProcessor } from './logits-processors/temperature.js';
import { topKProcessor } from './logits-processors/top-k.js';
import { MultinomialSampler, sampleToken } from './sample.js';

/** Pearson's chi-square statistic of observed counts against expected probabilities. */
function chiSquare(counts: number[], probs: ArrayLike<number>, n: number): number {
  return counts.reduce((sum, c, i) => {
    const expected = n * (probs[i] as number);
    return expected === 0 ? sum : sum + (c - expected) ** 2 / expected;
  }, 0);
}

function draw(logits: number[], n: number, seed: number, processors = [] as ReturnType<typeof topKProcessor>[]) {
  const rng = new Rng(seed);
  const counts = logits.map(() => 0);
  for (let i = 0; i < n; i++) {
    const row = applyLogitsProcessors(processors, Float32Array.from(logits), NO_HISTORY);
    counts[sampleToken(row, rng)]! += 1;
  }
  return counts;
}

describe('sampling', () => {
  beforeAll(async () => {
    await initBackend();
  });

  // 5 tokens → 4 degrees of freedom; 18.467 is the 99.9 % quantile of χ²(4).
  // The seed is fixed, so the test is deterministic; a correct sampler exceeds
  // the bound for only 0.1 % of seeds, while a bias of 0.01 in one
  // probability (~0.1) adds ≈ 20 000·0.01²/0.1 = 20 and fails it.
  const CHI2_4_999 = 18.467;

  it('sampled frequencies match the softmax probabilities (χ² test, 20,000 draws)', () => {
    const logits = [1, 0.5, 0, -1, 2];
    const n = 20_000;
    const counts = draw(logits, n, 2024);
    const probs = softmax(logits);
    expect(chiSquare(counts, probs, n)).toBeLessThan(CHI2_4_999);
    // Also per token: σ = sqrt(p(1−p)/n) ≤ 0.0036; 5σ bounds each frequency error.
    counts.forEach((c, i) => {
      const p = probs[i] as number;
      expect(Math.abs(c / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
    });
  });

  it('after temperature and top-k, frequencies match the renormalized distribution', () => {
    const logits = [1, 0.5, 0, -1, 2];
    const n = 20_000;
    const counts = draw(logits, n, 7, [temperatureProcessor(2), topKProcessor(3)]);
    expect(counts[2]).toBe(0);
    expect(counts[3]).toBe(0);
    const probs = softmax([0.5, 0.25, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, 1]);
    // 3 outcomes → 2 degrees of freedom; 13.816 is the 99.9 % quantile of χ²(2).
    expect(chiSquare(counts, probs, n)).toBeLessThan(13.816);
  });

  it('temperature → 0 equals greedy', () => {
    const rng = new Rng(5);
    for (let trial = 0; trial < 200; trial++) {
      const logits = Float32Array.from({ length: 50 }, () => rng.uniform(-5, 5));
      const greedy = greedyToken(Float32Array.from(logits));
      const cold = applyLogitsProcessors([temperatureProcessor(1e-4)], Float32Array.from(logits), NO_HISTORY);
      expect(sampleToken(cold, rng)).toBe(greedy);
    }
  });

  it('the same seed gives the same draws; another seed does not', () => {
    const logits = [0, 0, 0, 0, 0, 0, 0, 0];
    const seq = (seed: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: 50 }, () => sampleToken(Float32Array.from(logits), rng));
    };
    expect(seq(3)).toEqual(seq(3));
    expect(seq(3)).not.toEqual(seq(4));
  });

  it('MultinomialSampler samples each row of a logits tensor and leaves it alive', async () => {
    const logits = tf.tensor2d([
      [0, 50, 0],
      [50, 0, 0],
    ]);
    const sampler = new MultinomialSampler({ rng: new Rng(1) });
    expect(await sampler.sample(logits)).toEqual([1, 0]);
    expect(logits.isDisposed).toBe(false);
    const topOne = new MultinomialSampler({ rng: new Rng(1), processors: [topKProcessor(1)] });
    const row = tf.tensor2d([[1, 2, 3]]);
    expect(await topOne.sample(row)).toEqual([2]);
    tf.dispose([logits, row]);
  });

  it('refuses a row with nothing left to draw', () => {
    expect(() => sampleToken(Float32Array.from([Number.NEGATIVE_INFINITY]), new Rng(1))).toThrow(
      /every token was removed/,
    );
  });
});
