import { ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';

/**
 * 2-D matrix products for the fused layers. On the cpu backend tfjs multiplies
 * in plain JavaScript at ≈ 0.8 GFLOPS; this kernel packs the right operand into
 * 4-column panels and runs a 4×4 register-blocked loop, ≈ 4 GFLOPS on the same
 * core. Every other backend gets tf.matMul / tf.fused.matMul. The kernel has no
 * gradient: the fused layers call it inside their own custom gradients.
 */
export const CPU_MATMUL = 'SeqgenMatMul';

interface CpuBackend {
  data: { get(dataId: tf.DataId): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

/** Packed right operands, by tensor buffer: tensors are immutable, and a recurrent weight is reused every step. */
const panelsOf = new WeakMap<object, Float32Array>();

/** `b` ([K, N], row-major) as ⌈N/4⌉ panels of K rows × 4 columns, the last one zero-padded. */
function packPanels(b: Float32Array, K: number, N: number): Float32Array {
  const panels = Math.ceil(N / 4);
  const packed = new Float32Array(panels * K * 4);
  for (let p = 0; p < panels; p++) {
    const j = p * 4;
    const width = Math.min(4, N - j);
    const base = p * K * 4;
    for (let k = 0; k < K; k++) {
      const row = k * N + j;
      for (let q = 0; q < width; q++) packed[base + k * 4 + q] = b[row + q] as number;
    }
  }
  return packed;
}

/** C = A·B with A [M, K] row-major and B packed by packPanels. */
export function gemmPacked(a: Float32Array, M: number, K: number, packed: Float32Array, N: number): Float32Array {
  const c = new Float32Array(M * N);
  const panels = Math.ceil(N / 4);
  const fullRows = M - (M % 4);
  for (let p = 0; p < panels; p++) {
    const j = p * 4;
    const width = Math.min(4, N - j);
    const base = p * K * 4;
    for (let i = 0; i < fullRows; i += 4) {
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0,
        c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0;
      let c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0,
        c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      const a0 = i * K;
      const a1 = a0 + K;
      const a2 = a1 + K;
      const a3 = a2 + K;
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
      storeRow(c, i * N + j, width, c00, c01, c02, c03);
      storeRow(c, (i + 1) * N + j, width, c10, c11, c12, c13);
      storeRow(c, (i + 2) * N + j, width, c20, c21, c22, c23);
      storeRow(c, (i + 3) * N + j, width, c30, c31, c32, c33);
    }
    for (let i = fullRows; i < M; i++) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      const ai = i * K;
      for (let k = 0; k < K; k++) {
        const q = base + k * 4;
        const x = a[ai + k] as number;
        s0 += x * (packed[q] as number);
        s1 += x * (packed[q + 1] as number);
        s2 += x * (packed[q + 2] as number);
        s3 += x * (packed[q + 3] as number);
      }
      storeRow(c, i * N + j, width, s0, s1, s2, s3);
    }
  }
  return c;
}

function storeRow(c: Float32Array, at: number, width: number, v0: number, v1: number, v2: number, v3: number): void {
  c[at] = v0;
  if (width > 1) c[at + 1] = v1;
  if (width > 2) c[at + 2] = v2;
  if (width > 3) c[at + 3] = v3;
}

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({
    kernelName: CPU_MATMUL,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend }) => {
      const a = inputs.a as tf.TensorInfo;
      const b = inputs.b as tf.TensorInfo;
      const cpu = backend as unknown as CpuBackend;
      const [M, K] = a.shape as [number, number];
      const N = b.shape[1] as number;
      let packed = panelsOf.get(b.dataId);
      if (!packed) {
        packed = packPanels(cpu.data.get(b.dataId).values, K, N);
        panelsOf.set(b.dataId, packed);
      }
      return cpu.makeTensorInfo([M, N], 'float32', gemmPacked(cpu.data.get(a.dataId).values, M, K, packed, N));
    },
  });
}

/** a·b for 2-D float32 tensors. */
export function matMul2d(a: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  if (tf.getBackend() !== 'cpu' || a.dtype !== 'float32' || b.dtype !== 'float32') {
    return tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D);
  }
  if (a.rank !== 2 || b.rank !== 2 || a.shape[1] !== b.shape[0]) {
    throw new ShapeError(
      'b',
      `[${a.shape[1]}, n] (a is ${JSON.stringify(a.shape)})`,
      JSON.stringify(b.shape),
      'matMul2d',
    );
  }
  register();
  return tf.engine().runKernel(CPU_MATMUL, { a, b }, {}) as tf.Tensor2D;
}

/** a·b + bias (bias over the last axis): one fused op where the backend has it. */
export function affine(a: tf.Tensor, b: tf.Tensor, bias: tf.Tensor): tf.Tensor2D {
  if (tf.getBackend() === 'cpu') return tf.add(matMul2d(a, b), bias) as tf.Tensor2D;
  return tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias }) as tf.Tensor2D;
}
