import { ShapeError } from '@seqgen/base';
import { afterAll, describe, expect, it } from 'vitest';
import { type AdamConstants, adamUpdate, configureNative, nativeCallCounts } from './index.js';
import { fill, isas, random, required, status } from './test-support.js';

const f = Math.fround;

/** Step t's constants as @seqgen/trainer's Adam computes them (JavaScript doubles, used as float32). */
function constants(t: number, lr: number, decay = 1): AdamConstants {
  const beta1 = 0.9;
  const beta2 = 0.999;
  return {
    lr,
    beta1,
    oneMinusBeta1: 1 - beta1,
    beta2,
    oneMinusBeta2: 1 - beta2,
    c1: 1 - beta1 ** t,
    c2: 1 - beta2 ** t,
    epsilon: 1e-8,
    decay,
  };
}

/** The tfjs op chain, one float32 rounding per op, as the trainer's Adam runs it. */
function reference(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, k: AdamConstants) {
  const n = p.length;
  const out = { param: new Float32Array(n), m: new Float32Array(n), v: new Float32Array(n) };
  for (let i = 0; i < n; i++) {
    const gi = g[i] as number;
    const mi = f(f(f(m[i] as number) * f(k.beta1)) + f(gi * f(k.oneMinusBeta1)));
    const vi = f(f(f(v[i] as number) * f(k.beta2)) + f(f(gi * gi) * f(k.oneMinusBeta2)));
    const step = f(f(mi / f(k.c1)) / f(f(Math.sqrt(f(vi / f(k.c2)))) + f(k.epsilon)));
    out.param[i] = f(f((p[i] as number) * f(k.decay)) - f(step * f(k.lr)));
    out.m[i] = mi;
    out.v[i] = vi;
  }
  return out;
}

/** Largest difference over the largest magnitude: a fused multiply-add rounds once where the ops round twice. */
function maxRelative(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return worst / scale;
}

describe.skipIf(!status.loaded && !required)('native Adam update', () => {
  afterAll(() => {
    configureNative({ isa: 'auto', threads: 1 });
  });

  for (const isa of isas) {
    it(`${isa}: five steps agree with the float32 op chain, on one thread and on the pool`, () => {
      for (const threads of [1, 2]) {
        configureNative({ isa: isa as 'generic', threads });
        // 70,001 values: over the one-thread cutoff, and not a multiple of the vector width.
        for (const n of [1, 17, 70_001]) {
          const r = random(n + threads);
          let param = fill(n, r, 1);
          let m = new Float32Array(n);
          let v = new Float32Array(n);
          let want = { param, m, v };
          for (let t = 1; t <= 5; t++) {
            const grad = fill(n, r, 0.1);
            const k = constants(t, 3e-3, t === 3 ? 1 - 3e-3 * 0.01 : 1);
            const out = { paramOut: new Float32Array(n), mOut: new Float32Array(n), vOut: new Float32Array(n) };
            adamUpdate({ param, grad, m, v, ...out }, k);
            want = reference(want.param, grad, want.m, want.v, k);
            expect(maxRelative(out.mOut, want.m), `${isa} ${threads} threads n ${n} t ${t}: m`).toBeLessThan(1e-6);
            expect(maxRelative(out.vOut, want.v), `v`).toBeLessThan(1e-6);
            expect(maxRelative(out.paramOut, want.param), `param`).toBeLessThan(1e-6);
            param = out.paramOut;
            m = out.mOut;
            v = out.vOut;
          }
          // Adam's first step moves every weight by about lr, whatever the gradient's scale.
          expect(Math.abs((param[0] as number) - (fill(n, random(n + threads), 1)[0] as number))).toBeGreaterThan(1e-3);
        }
      }
    });
  }

  it('counts its calls, and refuses wrong lengths, wrong arrays and non-finite constants', () => {
    const n = 4;
    const arrays = () => ({
      param: new Float32Array(n),
      grad: new Float32Array(n),
      m: new Float32Array(n),
      v: new Float32Array(n),
      paramOut: new Float32Array(n),
      mOut: new Float32Array(n),
      vOut: new Float32Array(n),
    });
    const before = nativeCallCounts().adamUpdate;
    adamUpdate(arrays(), constants(1, 0.1));
    expect(nativeCallCounts().adamUpdate).toBe(before + 1);
    expect(() => adamUpdate({ ...arrays(), vOut: new Float32Array(3) }, constants(1, 0.1))).toThrow(/vOut/);
    expect(() => adamUpdate({ ...arrays(), grad: new Float64Array(n) as never }, constants(1, 0.1))).toThrow(
      ShapeError,
    );
    expect(() => adamUpdate(arrays(), { ...constants(1, 0.1), lr: Number.NaN })).toThrow(/lr/);
    expect(() => adamUpdate(arrays(), { ...constants(1, 0.1), c2: 0 })).toThrow(/bias corrections/);
    expect(nativeCallCounts().adamUpdate).toBe(before + 1);
  });
});
