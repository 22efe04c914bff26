import { SeqgenError, ShapeError } from '@seqgen/base';
import { describe, expect, it } from 'vitest';
import { type ConvRefParams, referenceConvLstm } from './conv-lstm-reference.js';
import {
  configureNative,
  convLstmBackward,
  convLstmForward,
  nativeCallCounts,
  nativeMemory,
  releaseSaved,
  sequenceBackward,
} from './index.js';
import { fill, isas, random, required, status } from './test-support.js';

type Case = ConvRefParams & {
  x: Float32Array;
  W: Float32Array;
  U: Float32Array;
  b: Float32Array;
  h0: Float32Array;
  c0: Float32Array;
};

function makeCase(B: number, T: number, Hh: number, Ww: number, C: number, F: number, kh: number, kw: number): Case {
  const r = random(B * 7 + T * 11 + Hh * 13 + Ww * 17 + C * 19 + F * 23 + kh * 29 + kw);
  const G = 4 * F;
  const P = Hh * Ww;
  return {
    B,
    T,
    Hh,
    Ww,
    C,
    F,
    kh,
    kw,
    x: fill(B * T * P * C, r),
    W: fill(kh * kw * C * G, r, 0.4),
    U: fill(kh * kw * F * G, r, 0.4),
    b: fill(G, r, 0.3),
    h0: fill(B * P * F, r, 0.5),
    c0: fill(B * P * F, r, 0.5),
  };
}

const forward = (c: Case, save = true) =>
  convLstmForward({
    x: c.x,
    kernel: c.W,
    recurrentKernel: c.U,
    bias: c.b,
    h0: c.h0,
    c0: c.c0,
    batch: c.B,
    steps: c.T,
    height: c.Hh,
    width: c.Ww,
    channels: c.C,
    filters: c.F,
    kernelSize: [c.kh, c.kw],
    save,
  });

/** Largest |a − b| relative to the largest |b| (at least 1). */
function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  let scale = 1;
  for (let i = 0; i < a.length; i++) {
    m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return m / scale;
}

/** A loss with a distinct fixed weight per output element. */
const weights = (n: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(0.7 * i + 0.5));
const loss = (out: ArrayLike<number>, w: Float64Array) => {
  let s = 0;
  for (let i = 0; i < out.length; i++) s += (out[i] as number) * (w[i] as number);
  return s;
};

describe.skipIf(!status.loaded && !required)('native ConvLSTM', () => {
  for (const isa of isas) {
    describe(`${isa}`, () => {
      it('forward matches a direct float64 convolution, square and non-square kernels', () => {
        configureNative({ isa: isa as 'generic' });
        for (const c of [
          makeCase(2, 3, 4, 5, 2, 3, 3, 3),
          makeCase(1, 2, 5, 3, 3, 5, 1, 3),
          makeCase(2, 2, 6, 6, 1, 2, 5, 5),
        ]) {
          const { out, saved } = forward(c);
          expect(relDiff(out, referenceConvLstm(c))).toBeLessThan(1e-5);
          releaseSaved(saved!);
        }
      });

      it('backward matches finite differences of the float64 reference, square and non-square kernels', () => {
        configureNative({ isa: isa as 'generic' });
        for (const c of [makeCase(2, 3, 4, 3, 2, 3, 3, 3), makeCase(1, 2, 5, 4, 2, 2, 5, 3)]) checkBackward(c);
      });
    });
  }

  function checkBackward(c: Case): void {
    const { out, saved } = forward(c);
    const w = weights(out.length);
    const g = convLstmBackward(saved!, Float32Array.from(w));
    const checks: Array<[keyof Case, Float32Array]> = [
      ['x', g.dx],
      ['W', g.dKernel],
      ['U', g.dRecurrentKernel],
      ['b', g.dBias],
      ['h0', g.dh0],
      ['c0', g.dc0],
    ];
    const eps = 1e-4;
    for (const [name, grad] of checks) {
      const p = Float64Array.from(c[name] as Float32Array);
      const numeric: number[] = [];
      const analytic: number[] = [];
      for (let k = 0; k < p.length; k += 5) {
        const v = p[k] as number;
        p[k] = v + eps;
        const up = loss(referenceConvLstm({ ...c, [name]: p }), w);
        p[k] = v - eps;
        const down = loss(referenceConvLstm({ ...c, [name]: p }), w);
        p[k] = v;
        numeric.push((up - down) / (2 * eps));
        analytic.push(grad[k] as number);
      }
      expect(relDiff(analytic, numeric), name).toBeLessThan(1e-4);
    }
  }

  it('splits pixels over threads with the same results', () => {
    const c = makeCase(3, 4, 12, 10, 4, 8, 3, 3);
    configureNative({ isa: 'auto', threads: 1 });
    const one = forward(c);
    const w = Float32Array.from(weights(one.out.length));
    const g1 = convLstmBackward(one.saved!, w);
    configureNative({ threads: 3 });
    const three = forward(c);
    const g3 = convLstmBackward(three.saved!, w);
    configureNative({ threads: status.threads! });
    expect(relDiff(three.out, one.out)).toBeLessThan(1e-6);
    expect(relDiff(g3.dx, g1.dx)).toBeLessThan(1e-5);
    expect(relDiff(g3.dKernel, g1.dKernel)).toBeLessThan(1e-5);
    expect(relDiff(g3.dRecurrentKernel, g1.dRecurrentKernel)).toBeLessThan(1e-5);
  });

  it('rejects bad shapes and handles with typed errors, and a backward runs once', () => {
    const c = makeCase(1, 2, 3, 3, 2, 2, 3, 3);
    expect(() => forward({ ...c, x: c.x.subarray(1) })).toThrow(ShapeError);
    expect(() => forward({ ...c, kh: 2 })).toThrow(/kernelSize\[0\] must be an odd integer/);
    expect(() => forward({ ...c, F: 0 })).toThrow(/filters must be a positive integer/);
    expect(() => forward({ ...c, c0: undefined } as unknown as Case)).toThrow(ShapeError);
    const { out, saved } = forward(c);
    expect(() => convLstmBackward(saved!, new Float32Array(3))).toThrow(ShapeError);
    expect(() => sequenceBackward(saved!, out)).toThrow(SeqgenError);
    convLstmBackward(saved!, out);
    expect(() => convLstmBackward(saved!, out)).toThrow(/already released/);
  });

  it('counts its calls and frees what it keeps', () => {
    const c = makeCase(2, 5, 6, 6, 3, 4, 3, 3);
    const before = nativeMemory();
    const calls = nativeCallCounts();
    for (let i = 0; i < 50; i++) {
      const { out, saved } = forward(c);
      if (i % 2) convLstmBackward(saved!, out);
      else releaseSaved(saved!);
      expect(forward(c, false).saved).toBeNull();
    }
    const after = nativeCallCounts();
    expect(after.convLstmForward - calls.convLstmForward).toBe(100);
    expect(after.convLstmBackward - calls.convLstmBackward).toBe(25);
    expect(nativeMemory().liveSaved).toBe(before.liveSaved);
    expect(nativeMemory().liveBytes).toBe(before.liveBytes);
  });
});
