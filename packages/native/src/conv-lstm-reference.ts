/**
 * A straightforward float64 ConvLSTM for the tests: the same recurrence as the
 * native kernel (and @seqgen/cells' ConvLSTM2DCell), one scalar at a time, with
 * direct 'same'-padded convolutions (no im2col), so that it shares no code with
 * what it checks.
 */

/** Sizes and values of a reference ConvLSTM pass (NHWC, gates `[i, f, o, g]`). */
export type ConvRefParams = {
  B: number;
  T: number;
  Hh: number;
  Ww: number;
  C: number;
  F: number;
  kh: number;
  kw: number;
  x: ArrayLike<number>;
  W: ArrayLike<number>;
  U: ArrayLike<number>;
  b: ArrayLike<number>;
  h0: ArrayLike<number>;
  c0: ArrayLike<number>;
};

const sig = (v: number) => 1 / (1 + Math.exp(-v));

/** z[p, n] += Σ conv(src, K)[p, n] for one image `src` [Hh, Ww, Cin] and kernel K [kh, kw, Cin, N]. */
function convAdd(
  p: ConvRefParams,
  src: ArrayLike<number>,
  srcOff: number,
  Cin: number,
  K: ArrayLike<number>,
  z: Float64Array,
) {
  const { Hh, Ww, kh, kw } = p;
  const N = 4 * p.F;
  for (let y = 0; y < Hh; y++)
    for (let x = 0; x < Ww; x++)
      for (let oy = 0; oy < kh; oy++) {
        const sy = y + oy - (kh >> 1);
        if (sy < 0 || sy >= Hh) continue;
        for (let ox = 0; ox < kw; ox++) {
          const sx = x + ox - (kw >> 1);
          if (sx < 0 || sx >= Ww) continue;
          for (let c = 0; c < Cin; c++) {
            const v = src[srcOff + (sy * Ww + sx) * Cin + c] as number;
            const k = ((oy * kw + ox) * Cin + c) * N;
            const o = (y * Ww + x) * N;
            for (let n = 0; n < N; n++) z[o + n] = (z[o + n] as number) + v * (K[k + n] as number);
          }
        }
      }
}

/** `[T + 2, B, Hh, Ww, F]` like the native `out`: every step's h, then the final h and c. */
export function referenceConvLstm(p: ConvRefParams): Float64Array {
  const { B, T, Hh, Ww, C, F } = p;
  const P = Hh * Ww;
  const G = 4 * F;
  const out = new Float64Array(B * (T + 2) * P * F);
  for (let b = 0; b < B; b++) {
    let h = Float64Array.from({ length: P * F }, (_, k) => p.h0[b * P * F + k] as number);
    const c = Float64Array.from({ length: P * F }, (_, k) => p.c0[b * P * F + k] as number);
    for (let t = 0; t < T; t++) {
      const z = new Float64Array(P * G);
      for (let q = 0; q < P; q++) for (let n = 0; n < G; n++) z[q * G + n] = p.b[n] as number;
      convAdd(p, p.x, (b * T + t) * P * C, C, p.W, z);
      convAdd(p, h, 0, F, p.U, z);
      const hn = new Float64Array(P * F);
      for (let q = 0; q < P; q++)
        for (let u = 0; u < F; u++) {
          const zq = q * G;
          const i = sig(z[zq + u] as number);
          const f = sig(z[zq + F + u] as number);
          const o = sig(z[zq + 2 * F + u] as number);
          const g = Math.tanh(z[zq + 3 * F + u] as number);
          const cn = f * (c[q * F + u] as number) + i * g;
          c[q * F + u] = cn;
          hn[q * F + u] = o * Math.tanh(cn);
        }
      h = hn;
      out.set(h, (t * B + b) * P * F);
    }
    out.set(h, (T * B + b) * P * F);
    out.set(c, ((T + 1) * B + b) * P * F);
  }
  return out;
}
