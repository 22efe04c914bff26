import { ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import type { CpuBackend } from './backend-types.js';
import { gemm, packRight } from './gemm-pool.js';
import { nativeMatMul } from './native-matmul.js';
import { swapAxes01 } from './swap-axes.js';

/**
 * 2-D matrix products for the fused layers. On the cpu backend tfjs multiplies
 * in plain JavaScript at ≈ 0.8 GFLOPS; this kernel packs the right operand once
 * per tensor and multiplies with gemm.ts's register-blocked loop (≈ 4 GFLOPS a
 * core), sharing large products out to helper threads (gemm-pool.ts). Every
 * other backend gets tf.matMul / tf.fused.matMul. Where `@seqgen/native` is
 * loaded (wasm and cpu backends), its GEMM runs them all (native-matmul.ts). The kernel has no
 * gradient: the fused layers call it inside their own custom gradients.
 */
export const CPU_MATMUL = 'SeqgenMatMul';

/** Packed right operands, by tensor buffer: tensors are immutable, and a recurrent weight is reused every step. */
const panelsOf = new WeakMap<object, Float32Array>();

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
      const bias = inputs.bias as tf.TensorInfo | undefined;
      const cpu = backend as unknown as CpuBackend<Float32Array>;
      const [M, K] = a.shape as [number, number];
      const N = b.shape[1] as number;
      let packed = panelsOf.get(b.dataId);
      if (!packed) {
        packed = packRight(cpu.data.get(b.dataId).values, K, N);
        panelsOf.set(b.dataId, packed);
      }
      return cpu.makeTensorInfo(
        [M, N],
        'float32',
        gemm(cpu.data.get(a.dataId).values, M, K, packed, N, bias ? cpu.data.get(bias.dataId).values : null),
      );
    },
  });
}

/** a·b (+ bias) with the cpu kernel, for 2-D operands that multiply. */
function cpuProduct(a: tf.Tensor, b: tf.Tensor, bias?: tf.Tensor): tf.Tensor2D {
  if (a.rank !== 2 || b.rank !== 2 || a.shape[1] !== b.shape[0]) {
    throw new ShapeError(
      'b',
      `[${a.shape[1]}, n] (a is ${JSON.stringify(a.shape)})`,
      JSON.stringify(b.shape),
      'matMul2d',
    );
  }
  if (bias && (bias.rank !== 1 || bias.shape[0] !== b.shape[1])) {
    throw new ShapeError('bias', `[${b.shape[1]}]`, JSON.stringify(bias.shape), 'matMul2d');
  }
  register();
  return tf.engine().runKernel(CPU_MATMUL, bias ? { a, b, bias } : { a, b }, {}) as tf.Tensor2D;
}

const onCpu = (...xs: tf.Tensor[]) => tf.getBackend() === 'cpu' && xs.every((x) => x.dtype === 'float32');

/** a·b for 2-D float32 tensors. */
export function matMul2d(a: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  const native = nativeMatMul(a, b);
  if (native) return native;
  return onCpu(a, b) ? cpuProduct(a, b) : tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D);
}

/** a·b + bias (bias over the last axis): one fused op where the backend has it. */
export function affine(a: tf.Tensor, b: tf.Tensor, bias: tf.Tensor): tf.Tensor2D {
  const native = nativeMatMul(a, b, false, false, bias);
  if (native) return native;
  if (onCpu(a, b, bias)) return cpuProduct(a, b, bias);
  return tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias }) as tf.Tensor2D;
}

/**
 * `op(a)·op(b)` for 2-D float32 tensors, `op` transposing an operand whose
 * flag is set (gradients: `dY·Wᵀ`, `Xᵀ·dY`). The native GEMM reads the
 * transposed operand in place; elsewhere it is transposed first (the wasm
 * backend's matMul with transpose flags runs ~12× slower than a plain one).
 */
export function matMul2dT(a: tf.Tensor, b: tf.Tensor, transA: boolean, transB: boolean): tf.Tensor2D {
  const native = nativeMatMul(a, b, transA, transB);
  if (native) return native;
  return matMul2d(transA ? swapAxes01(a) : a, transB ? swapAxes01(b) : b);
}
