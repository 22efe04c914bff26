/**
 * Straightforward float64 references for the tests: the same recurrences as
 * the native kernels (and @seqgen/cells' pure-tfjs kernels), one scalar at a time.
 */
import type { NativeCell } from './index.js';

export interface RefParams {
  cell: NativeCell;
  B: number;
  T: number;
  I: number;
  H: number;
  x: ArrayLike<number>;
  W: ArrayLike<number>;
  U: ArrayLike<number>;
  b: ArrayLike<number>;
  rb?: ArrayLike<number>;
  h0: ArrayLike<number>;
  c0?: ArrayLike<number>;
  mask?: ArrayLike<number>;
  reverse: boolean;
  relu?: boolean;
}

const sig = (v: number) => 1 / (1 + Math.exp(-v));

/** `[B, T + S, H]` like the native `out`. */
export function referenceForward(p: RefParams): Float64Array {
  const { B, T, I, H } = p;
  const gates = p.cell === 'lstm' ? 4 : p.cell === 'gru' ? 3 : 1;
  const G = gates * H;
  const S = p.cell === 'lstm' ? 2 : 1;
  const out = new Float64Array(B * (T + S) * H);
  for (let bb = 0; bb < B; bb++) {
    let h = Array.from({ length: H }, (_, u) => p.h0[bb * H + u] as number);
    let c = Array.from({ length: H }, (_, u) => (p.c0 ? (p.c0[bb * H + u] as number) : 0));
    for (let k = 0; k < T; k++) {
      const t = p.reverse ? T - 1 - k : k;
      const xw = new Array<number>(G).fill(0);
      const hu = new Array<number>(G).fill(0);
      for (let j = 0; j < G; j++) {
        let s = p.b[j] as number;
        for (let i = 0; i < I; i++) s += (p.x[(bb * T + t) * I + i] as number) * (p.W[i * G + j] as number);
        xw[j] = s;
        let r = p.rb ? (p.rb[j] as number) : 0;
        for (let i = 0; i < H; i++) r += (h[i] as number) * (p.U[i * G + j] as number);
        hu[j] = r;
      }
      const hn = new Array<number>(H);
      const cn = new Array<number>(H);
      for (let u = 0; u < H; u++) {
        if (p.cell === 'lstm') {
          const z = (g: number) => (xw[g * H + u] as number) + (hu[g * H + u] as number);
          const cc = sig(z(1)) * (c[u] as number) + sig(z(0)) * Math.tanh(z(3));
          cn[u] = cc;
          hn[u] = sig(z(2)) * Math.tanh(cc);
        } else if (p.cell === 'gru') {
          const r = sig((xw[u] as number) + (hu[u] as number));
          const z = sig((xw[H + u] as number) + (hu[H + u] as number));
          const n = Math.tanh((xw[2 * H + u] as number) + r * (hu[2 * H + u] as number));
          hn[u] = (1 - z) * n + z * (h[u] as number);
        } else {
          const pre = (xw[u] as number) + (hu[u] as number);
          hn[u] = p.relu ? Math.max(0, pre) : Math.tanh(pre);
        }
      }
      const m = p.mask ? (p.mask[bb * T + t] as number) : 1;
      for (let u = 0; u < H; u++) out[(bb * (T + S) + t) * H + u] = (hn[u] as number) * m;
      if (m) {
        h = hn;
        if (p.cell === 'lstm') c = cn;
      }
    }
    for (let u = 0; u < H; u++) {
      out[(bb * (T + S) + T) * H + u] = h[u] as number;
      if (S === 2) out[(bb * (T + S) + T + 1) * H + u] = c[u] as number;
    }
  }
  return out;
}
