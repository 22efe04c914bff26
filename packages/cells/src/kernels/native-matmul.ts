import * as tf from '@tensorflow/tfjs';
import { type NativeKernels, nativeKernels } from '../fused/native-sequence.js';
import type { CpuBackend, HeapBackend } from './backend-types.js';

/**
 * 2-D products in `@seqgen/native`'s packed AVX2/AVX-512 GEMM, on the tensors'
 * own memory (the wasm heap or the cpu backend's arrays): no copies, and the
 * transposed operands of a gradient are read in place instead of being
 * transposed first. On this project's machines a `[1280, 256] × [256, 4000]`
 * product takes ≈ 14 ms of CPU here against ≈ 115 ms in the wasm backend's
 * XNNPACK matmul, and a `[64, 256] × [256, 768]` recurrent product 0.3 ms
 * against 2.8 ms. No gradient: `linear` and the embedding call it inside their
 * own custom gradients.
 */
export const NATIVE_MATMUL = 'SeqgenNativeMatMul';

/** Attributes of {@link NATIVE_MATMUL}: 1 where the operand is stored transposed. */
type NativeMatMulAttrs = { transA: number; transB: number };

let registeredFor: NativeKernels | undefined;

function register(native: NativeKernels): void {
  if (registeredFor === native) return;
  registeredFor = native;
  for (const backendName of ['wasm', 'cpu'] as const) {
    tf.registerKernel({
      kernelName: NATIVE_MATMUL,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { transA, transB } = attrs as unknown as NativeMatMulAttrs;
        const a = inputs.a as tf.TensorInfo;
        const b = inputs.b as tf.TensorInfo;
        const bias = inputs.bias as tf.TensorInfo | undefined;
        const M = a.shape[transA ? 1 : 0] as number;
        const K = a.shape[transA ? 0 : 1] as number;
        const N = b.shape[transB ? 0 : 1] as number;
        let out: tf.TensorInfo;
        let values: (t: tf.TensorInfo) => Float32Array;
        if (backendName === 'wasm') {
          const heap = backend as unknown as HeapBackend<Float32Array>;
          out = heap.makeOutput([M, N], 'float32');
          // Views after the allocation: allocating can grow (and move) the wasm heap.
          values = (t) => heap.typedArrayFromHeap(t);
        } else {
          const cpu = backend as unknown as CpuBackend<Float32Array>;
          out = cpu.makeTensorInfo([M, N], 'float32', new Float32Array(M * N));
          values = (t) => cpu.data.get(t.dataId).values;
        }
        const c = values(out);
        if (bias) {
          // The bias in every row, then the product accumulated onto it.
          const row = values(bias);
          for (let m = 0; m < M; m++) c.set(row, m * N);
        }
        native.gemm(M, N, K, values(a), values(b), c, {
          transA: transA === 1,
          transB: transB === 1,
          accumulate: bias !== undefined,
        });
        return out;
      },
    });
  }
}

/** Whether {@link nativeMatMul} applies to these tensors now: the addon loaded for the active backend, float32 operands. */
export function nativeMatMulApplies(...xs: tf.Tensor[]): NativeKernels | undefined {
  if (!xs.every((x) => x.dtype === 'float32')) return undefined;
  return nativeKernels();
}

/**
 * `op(a)·op(b)` (+ `bias` over the last axis) for 2-D float32 tensors in the
 * native GEMM, where `op` transposes an operand whose flag is set; undefined
 * when the native kernels do not apply (the caller keeps its tfjs path).
 */
export function nativeMatMul(
  a: tf.Tensor,
  b: tf.Tensor,
  transA = false,
  transB = false,
  bias?: tf.Tensor,
): tf.Tensor2D | undefined {
  const native = bias ? nativeMatMulApplies(a, b, bias) : nativeMatMulApplies(a, b);
  if (!native || a.rank !== 2 || b.rank !== 2) return undefined;
  // A mismatch goes to the caller's tfjs path, which throws its own error.
  if (a.shape[transA ? 0 : 1] !== b.shape[transB ? 1 : 0]) return undefined;
  if (bias && (bias.rank !== 1 || bias.shape[0] !== b.shape[transB ? 0 : 1])) return undefined;
  register(native);
  const inputs: tf.NamedTensorMap = bias ? { a, b, bias } : { a, b };
  const attrs: NativeMatMulAttrs = { transA: transA ? 1 : 0, transB: transB ? 1 : 0 };
  return tf.engine().runKernel(NATIVE_MATMUL, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor2D;
}
