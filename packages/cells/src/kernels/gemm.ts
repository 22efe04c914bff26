/*
 * The cpu backend's matrix product in plain JavaScript: the right operand is
 * packed into 4-column panels and each 4×4 block of the result is kept in
 * registers over the whole shared dimension (≈ 4 GFLOPS a core against
 * tfjs-cpu's ≈ 0.8). `gemmPanels` must stay self-contained — no imports,
 * helpers or closures — because gemm-pool.ts ships its source to worker
 * threads.
 */

/** `b` ([K, N], row-major) as ⌈N/4⌉ panels of K rows × 4 columns, the last one zero-padded, in `out`. */
export function packPanels(b: Float32Array, K: number, N: number, out: Float32Array): Float32Array {
  const panels = Math.ceil(N / 4);
  out.fill(0, (panels - 1) * K * 4);
  for (let p = 0; p < panels; p++) {
    const j = p * 4;
    const width = Math.min(4, N - j);
    const base = p * K * 4;
    for (let k = 0; k < K; k++) {
      const row = k * N + j;
      for (let q = 0; q < width; q++) out[base + k * 4 + q] = b[row + q] as number;
    }
  }
  return out;
}

/** Columns `4·p0 … 4·p1 − 1` of C = A·B (+ bias per column), for A [M, K] row-major and B packed by packPanels; C is [M, N]. */
export function gemmPanels(
  a: Float32Array,
  M: number,
  K: number,
  packed: Float32Array,
  N: number,
  c: Float32Array,
  p0: number,
  p1: number,
  bias: Float32Array | null,
): void {
  const fullRows = M - (M % 4);
  for (let p = p0; p < p1; p++) {
    const j = p * 4;
    const width = Math.min(4, N - j);
    const base = p * K * 4;
    const e0 = bias ? (bias[j] as number) : 0;
    const e1 = bias && width > 1 ? (bias[j + 1] as number) : 0;
    const e2 = bias && width > 2 ? (bias[j + 2] as number) : 0;
    const e3 = bias && width > 3 ? (bias[j + 3] as number) : 0;
    for (let i = 0; i < fullRows; i += 4) {
      const a0 = i * K;
      const a1 = a0 + K;
      const a2 = a1 + K;
      const a3 = a2 + K;
      let c00 = e0,
        c01 = e1,
        c02 = e2,
        c03 = e3,
        c10 = e0,
        c11 = e1,
        c12 = e2,
        c13 = e3;
      let c20 = e0,
        c21 = e1,
        c22 = e2,
        c23 = e3,
        c30 = e0,
        c31 = e1,
        c32 = e2,
        c33 = e3;
      for (let k = 0; k < K; k++) {
        const q = base + k * 4;
        const b0 = packed[q] as number;
        const b1 = packed[q + 1] as number;
        const b2 = packed[q + 2] as number;
        const b3 = packed[q + 3] as number;
        const x0 = a[a0 + k] as number;
        const x1 = a[a1 + k] as number;
        const x2 = a[a2 + k] as number;
        const x3 = a[a3 + k] as number;
        c00 += x0 * b0;
        c01 += x0 * b1;
        c02 += x0 * b2;
        c03 += x0 * b3;
        c10 += x1 * b0;
        c11 += x1 * b1;
        c12 += x1 * b2;
        c13 += x1 * b3;
        c20 += x2 * b0;
        c21 += x2 * b1;
        c22 += x2 * b2;
        c23 += x2 * b3;
        c30 += x3 * b0;
        c31 += x3 * b1;
        c32 += x3 * b2;
        c33 += x3 * b3;
      }
      for (let r = 0; r < 4; r++) {
        const at = (i + r) * N + j;
        c[at] = r === 0 ? c00 : r === 1 ? c10 : r === 2 ? c20 : c30;
        if (width > 1) c[at + 1] = r === 0 ? c01 : r === 1 ? c11 : r === 2 ? c21 : c31;
        if (width > 2) c[at + 2] = r === 0 ? c02 : r === 1 ? c12 : r === 2 ? c22 : c32;
        if (width > 3) c[at + 3] = r === 0 ? c03 : r === 1 ? c13 : r === 2 ? c23 : c33;
      }
    }
    for (let i = fullRows; i < M; i++) {
      let s0 = e0;
      let s1 = e1;
      let s2 = e2;
      let s3 = e3;
      const ai = i * K;
      for (let k = 0; k < K; k++) {
        const q = base + k * 4;
        const x = a[ai + k] as number;
        s0 += x * (packed[q] as number);
        s1 += x * (packed[q + 1] as number);
        s2 += x * (packed[q + 2] as number);
        s3 += x * (packed[q + 3] as number);
      }
      const at = i * N + j;
      c[at] = s0;
      if (width > 1) c[at + 1] = s1;
      if (width > 2) c[at + 2] = s2;
      if (width > 3) c[at + 3] = s3;
    }
  }
}
