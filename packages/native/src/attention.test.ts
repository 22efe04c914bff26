import { ShapeError } from '@seqgen/base';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type AttentionShape,
  attentionBackward,
  attentionForward,
  configureNative,
  nativeCallCounts,
} from './index.js';
import { fill, isas, random, required, status } from './test-support.js';

type Inputs = { keys: Float32Array; q: Float32Array; v: Float32Array; mask: Float32Array; memory: Float32Array };

function makeInputs(shape: AttentionShape, seed: number, lengths: number[]): Inputs {
  const { B, S, U, D } = shape;
  const r = random(seed);
  const mask = Float32Array.from({ length: B * S }, (_, i) => (i % S < (lengths[Math.floor(i / S)] as number) ? 1 : 0));
  return { keys: fill(B * S * U, r), q: fill(B * U, r), v: fill(U, r), mask, memory: fill(B * S * D, r) };
}

/** The step in float64 loops: `[B, S + D]` weights then context. */
function reference(shape: AttentionShape, x: Inputs): Float64Array {
  const { B, S, U, D } = shape;
  const out = new Float64Array(B * (S + D));
  for (let b = 0; b < B; b++) {
    const scores = Array.from({ length: S }, (_, s) => {
      let e = 0;
      for (let u = 0; u < U; u++) e += Math.tanh(x.keys[(b * S + s) * U + u]! + x.q[b * U + u]!) * x.v[u]!;
      return e + (1 - x.mask[b * S + s]!) * -1e9;
    });
    const max = Math.max(...scores);
    const z = scores.reduce((a, e) => a + Math.exp(e - max), 0);
    for (let s = 0; s < S; s++) {
      const w = (Math.exp(scores[s]! - max) / z) * x.mask[b * S + s]!;
      out[b * (S + D) + s] = w;
      for (let d = 0; d < D; d++) out[b * (S + D) + S + d]! += w * x.memory[(b * S + s) * D + d]!;
    }
  }
  return out;
}

function run(shape: AttentionShape, x: Inputs) {
  const { B, S, U, D } = shape;
  const tanh = new Float32Array(B * S * U);
  const out = new Float32Array(B * (S + D));
  attentionForward(shape, { ...x, tanh, out });
  return { tanh, out };
}

function grads(shape: AttentionShape, x: Inputs, dy: Float32Array) {
  const { B, S, U, D } = shape;
  const { tanh, out } = run(shape, x);
  const g = {
    dkeys: new Float32Array(B * S * U).fill(Number.NaN),
    dq: new Float32Array(B * U).fill(Number.NaN),
    dv: new Float32Array(U).fill(Number.NaN),
    dmemory: new Float32Array(B * S * D).fill(Number.NaN),
  };
  attentionBackward(shape, { dy, tanh, out, v: x.v, memory: x.memory, ...g });
  return g;
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

const SHAPES: Array<[AttentionShape, number[]]> = [
  [{ B: 1, S: 1, U: 1, D: 1 }, [1]],
  [{ B: 3, S: 7, U: 19, D: 5 }, [7, 4, 1]],
  [{ B: 4, S: 20, U: 64, D: 48 }, [20, 13, 20, 2]],
  [{ B: 64, S: 20, U: 256, D: 256 }, Array.from({ length: 64 }, (_, b) => 20 - (b % 9))],
];

describe.skipIf(!status.loaded && !required)('native additive attention', () => {
  afterAll(() => {
    configureNative({ isa: 'auto', threads: 1 });
  });

  for (const isa of isas) {
    it(`${isa}: the weights and context of the float64 reference; masked positions exactly 0`, () => {
      configureNative({ isa: isa as 'generic', threads: 1 });
      for (const [shape, lengths] of SHAPES) {
        const x = makeInputs(shape, 5, lengths);
        const { out } = run(shape, x);
        expect(maxDiff(out, reference(shape, x)), JSON.stringify(shape)).toBeLessThan(2e-6 * Math.sqrt(shape.U));
        for (let b = 0; b < shape.B; b++)
          for (let s = lengths[b]!; s < shape.S; s++) expect(out[b * (shape.S + shape.D) + s]).toBe(0);
      }
    });

    it(`${isa}: gradients agree with central finite differences of the forward pass`, () => {
      configureNative({ isa: isa as 'generic', threads: 1 });
      const shape = { B: 2, S: 5, U: 6, D: 3 };
      const x = makeInputs(shape, 9, [5, 3]);
      const dy = fill(shape.B * (shape.S + shape.D), random(4));
      const g = grads(shape, x, dy);
      const loss = (y: Inputs) => {
        const out = reference(shape, y);
        return out.reduce((a, o, i) => a + o * dy[i]!, 0);
      };
      const eps = 1e-3;
      for (const [name, grad] of [
        ['keys', g.dkeys],
        ['q', g.dq],
        ['v', g.dv],
        ['memory', g.dmemory],
      ] as const) {
        const base = x[name];
        for (let i = 0; i < base.length; i++) {
          const up = { ...x, [name]: Float32Array.from(base) };
          up[name][i] = base[i]! + eps;
          const down = { ...x, [name]: Float32Array.from(base) };
          down[name][i] = base[i]! - eps;
          const numeric = (loss(up) - loss(down)) / (2 * eps);
          expect(Math.abs(grad[i]! - numeric), `d${name}[${i}]`).toBeLessThan(2e-4 + 1e-3 * Math.abs(numeric));
        }
      }
      // Masked positions of row 1 (s ≥ 3) get nothing back.
      for (let s = 3; s < 5; s++) {
        for (let d = 0; d < 3; d++) expect(Math.abs(g.dmemory[(5 + s) * 3 + d]!)).toBe(0);
        for (let u = 0; u < 6; u++) expect(Math.abs(g.dkeys[(5 + s) * 6 + u]!)).toBe(0);
      }
    });
  }

  it('splits rows over threads with the same results, and counts its calls', () => {
    const [shape, lengths] = SHAPES[3]!;
    const x = makeInputs(shape, 7, lengths);
    const dy = fill(shape.B * (shape.S + shape.D), random(8));
    configureNative({ isa: 'auto', threads: 1 });
    const before = nativeCallCounts();
    const one = { ...run(shape, x), ...grads(shape, x, dy) };
    configureNative({ isa: 'auto', threads: 2 });
    const two = { ...run(shape, x), ...grads(shape, x, dy) };
    for (const k of ['out', 'tanh', 'dkeys', 'dq', 'dv', 'dmemory'] as const)
      expect(maxDiff(two[k], one[k]), k).toBe(0);
    const after = nativeCallCounts();
    expect(after.attentionForward - before.attentionForward).toBe(4);
    expect(after.attentionBackward - before.attentionBackward).toBe(2);
  });

  it('refuses wrong sizes with a ShapeError naming the array, before any native code', () => {
    const shape = { B: 2, S: 3, U: 4, D: 5 };
    const x = makeInputs(shape, 1, [3, 3]);
    const before = nativeCallCounts().attentionForward;
    expect(() => run(shape, { ...x, q: new Float32Array(7) })).toThrow(ShapeError);
    expect(() => run(shape, { ...x, q: new Float32Array(7) })).toThrow(/q.*8 elements/);
    expect(() => run({ ...shape, S: 0 }, x)).toThrow(/S.*a positive integer/);
    expect(() =>
      attentionBackward(shape, {
        dy: new Float32Array(16),
        tanh: new Float32Array(24),
        out: new Float32Array(16),
        v: x.v,
        memory: x.memory,
        dkeys: new Float32Array(24),
        dq: new Float32Array(8),
        dv: new Float32Array(3),
        dmemory: new Float32Array(30),
      }),
    ).toThrow(/dv.*4 elements/);
    expect(nativeCallCounts().attentionForward).toBe(before);
  });
});
