import { ShapeError } from '@seqgen/base';
import { afterAll, describe, expect, it } from 'vitest';
import { configureNative, crossEntropyBackward, crossEntropyForward, nativeCallCounts } from './index.js';
import { fill, isas, random, required, status } from './test-support.js';

type Case = { rows: number; V: number; logits: Float32Array; targets: Float32Array; weights: Float32Array };

function makeCase(rows: number, V: number, seed: number, scale = 3): Case {
  const r = random(seed);
  return {
    rows,
    V,
    logits: fill(rows * V, r, scale),
    targets: Float32Array.from({ length: rows }, (_, i) => (i * 7919 + seed) % V),
    // Every third row is padding; the others weigh 1 (a mask), one weighs 0.5.
    weights: Float32Array.from({ length: rows }, (_, i) => (i % 3 === 2 ? 0 : i === 0 ? 0.5 : 1)),
  };
}

/** The loss in float64 loops. */
function reference(c: Case, epsilon: number): number {
  let total = 0;
  for (let r = 0; r < c.rows; r++) {
    const w = c.weights[r]!;
    if (w === 0) continue;
    const row = Array.from(c.logits.subarray(r * c.V, (r + 1) * c.V));
    const max = Math.max(...row);
    const logZ = max + Math.log(row.reduce((a, x) => a + Math.exp(x - max), 0));
    const mean = row.reduce((a, x) => a + x, 0) / c.V;
    total += w * ((1 - epsilon) * (logZ - row[c.targets[r]!]!) + epsilon * (logZ - mean));
  }
  return total;
}

function forward(c: Case, epsilon: number) {
  const probs = new Float32Array(c.rows * c.V).fill(Number.NaN);
  const total = crossEntropyForward(c, { ...c, epsilon, probs });
  return { total, probs };
}

describe.skipIf(!status.loaded && !required)('native softmax cross-entropy', () => {
  afterAll(() => {
    configureNative({ isa: 'auto', threads: 1 });
  });

  for (const isa of isas) {
    it(`${isa}: the float64 reference's loss; the softmax of counted rows, 0 on padding`, () => {
      configureNative({ isa: isa as 'generic', threads: 1 });
      for (const [rows, V] of [
        [1, 1],
        [3, 7],
        [9, 33],
        [64, 4000],
      ] as const) {
        const c = makeCase(rows, V, rows + V);
        for (const epsilon of [0, 0.1]) {
          const { total, probs } = forward(c, epsilon);
          const want = reference(c, epsilon);
          expect(Math.abs(total - want), `${rows}×${V} ε ${epsilon}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(want)));
          for (let r = 0; r < rows; r++) {
            const row = probs.subarray(r * V, (r + 1) * V);
            const sum = row.reduce((a, x) => a + x, 0);
            expect(sum, `row ${r}`).toBeCloseTo(c.weights[r] === 0 ? 0 : 1, 5);
          }
        }
      }
    });

    it(`${isa}: the gradient agrees with central finite differences of the reference`, () => {
      configureNative({ isa: isa as 'generic', threads: 1 });
      const c = makeCase(4, 6, 3);
      const epsilon = 0.1;
      const scale = 0.7;
      const { probs } = forward(c, epsilon);
      const grad = new Float32Array(c.rows * c.V);
      crossEntropyBackward(c, { ...c, probs, epsilon, scale, grad });
      const h = 1e-3;
      for (let i = 0; i < grad.length; i++) {
        const up = { ...c, logits: Float32Array.from(c.logits) };
        up.logits[i] = c.logits[i]! + h;
        const down = { ...c, logits: Float32Array.from(c.logits) };
        down.logits[i] = c.logits[i]! - h;
        const numeric = (scale * (reference(up, epsilon) - reference(down, epsilon))) / (2 * h);
        expect(Math.abs(grad[i]! - numeric), `grad[${i}]`).toBeLessThan(1e-4);
      }
      // Padding (row 2) gets exactly nothing.
      for (let v = 0; v < c.V; v++) expect(Math.abs(grad[2 * c.V + v]!)).toBe(0);
    });
  }

  it('splits rows over threads with the same results, and counts its calls', () => {
    const c = makeCase(1280, 4000, 11);
    const before = nativeCallCounts();
    const results = [1, 2].map((threads) => {
      configureNative({ isa: 'auto', threads });
      const { total, probs } = forward(c, 0.1);
      const grad = new Float32Array(c.rows * c.V);
      crossEntropyBackward(c, { ...c, probs, epsilon: 0.1, scale: 1 / 853, grad });
      return { total, probs, grad };
    });
    expect(results[1]!.total).toBe(results[0]!.total);
    for (const k of ['probs', 'grad'] as const) {
      let same = true;
      for (let i = 0; i < results[0]![k].length; i++) same &&= results[0]![k][i] === results[1]![k][i];
      expect(same, k).toBe(true);
    }
    const after = nativeCallCounts();
    expect(after.crossEntropyForward - before.crossEntropyForward).toBe(2);
    expect(after.crossEntropyBackward - before.crossEntropyBackward).toBe(2);
  });

  it('refuses a target outside the vocabulary, a bad ε or wrong sizes with a ShapeError, before any native code', () => {
    const c = makeCase(3, 5, 1);
    const before = nativeCallCounts().crossEntropyForward;
    expect(() => forward({ ...c, targets: Float32Array.of(0, 5, 1) }, 0)).toThrow(ShapeError);
    expect(() => forward({ ...c, targets: Float32Array.of(0, 5, 1) }, 0)).toThrow(/targets\[1\].*\[0, 5\)/);
    expect(() => forward({ ...c, targets: Float32Array.of(0, 1.5, 1) }, 0)).toThrow(/targets\[1\]/);
    expect(() => forward(c, 1)).toThrow(/epsilon.*\[0, 1\)/);
    expect(() => forward({ ...c, weights: new Float32Array(2) }, 0)).toThrow(/weights.*3 elements/);
    expect(nativeCallCounts().crossEntropyForward).toBe(before);
  });
});
