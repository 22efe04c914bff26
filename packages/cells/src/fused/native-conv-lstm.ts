import * as tf from '@tensorflow/tfjs';
import { type NativeKernels, nativeKernels } from './native-sequence.js';

/** What {@link nativeConvLstm} runs: a ConvLSTM layer's frames, weights and initial state. */
export type NativeConvLstmInputs = {
  /** Frames `[B, T, H, W, C]`. */
  x: tf.Tensor;
  /** `[kh, kw, C, 4F]`. */
  kernel: tf.Tensor;
  /** `[kh, kw, F, 4F]`. */
  recurrentKernel: tf.Tensor;
  /** `[4F]`. */
  bias: tf.Tensor;
  /** `[B, H, W, F]`. */
  h0: tf.Tensor;
  /** `[B, H, W, F]`. */
  c0: tf.Tensor;
};

/**
 * `[A, B, ...rest]` → `[B, A, ...rest]`, as one node on the gradient tape. tfjs-wasm transposes
 * rank-5 tensors element by element (≈ 70 ms for a forecaster's 8 × 20 × 16 × 16 × 16 frames on the
 * reference machine) but moves whole rows of a `[A, B, rest]` one (≈ 1 ms); and every taped
 * reshape or slice would keep a copy of its input for its gradient, which is not needed here.
 */
export function swapLeadingAxes(x: tf.Tensor): tf.Tensor {
  const swap = tf.customGrad((...args: unknown[]) => {
    const t = args[0] as tf.Tensor;
    const [A, B, ...rest] = t.shape as number[];
    const rows = tf.reshape(t, [A as number, B as number, tf.util.sizeFromShape(rest)]);
    return {
      value: tf.reshape(tf.transpose(rows, [1, 0, 2]), [B as number, A as number, ...rest]),
      gradFunc: (dy: tf.Tensor) => swapLeadingAxes(dy),
    };
  });
  return swap(x);
}

/** `x` reshaped, as one tape node that keeps no copy of `x` for its gradient (see {@link swapLeadingAxes}). */
function reshapeUnsaved(x: tf.Tensor, shape: number[]): tf.Tensor {
  const reshape = tf.customGrad((...args: unknown[]) => ({
    value: tf.reshape(args[0] as tf.Tensor, shape),
    gradFunc: (dy: tf.Tensor) => tf.reshape(dy, x.shape),
  }));
  return reshape(x);
}

/** What {@link nativeConvLstm} returns: every step's h and the final state. */
export type NativeConvLstmResult = {
  /** Every step's h, `[B, T, H, W, F]`. */
  outputs: tf.Tensor5D;
  /** The final `[h, c]`, each `[B, H, W, F]`. */
  state: [tf.Tensor4D, tf.Tensor4D];
};

function values(t: tf.Tensor): Float32Array {
  const d = t.dataSync();
  return d instanceof Float32Array ? d : Float32Array.from(d as ArrayLike<number>);
}

/**
 * The native ConvLSTM kernels when they apply here (the same switch as the fused
 * LSTM: wasm or cpu backend, addon built, not turned off by `SEQGEN_NATIVE=0` or
 * `setNativeKernels(false)`), else undefined.
 */
export function nativeConvLstmKernels(): NativeKernels | undefined {
  const native = nativeKernels();
  return native && typeof native.convLstmForward === 'function' ? native : undefined;
}

/**
 * A ConvLSTM layer over a whole sequence in `@seqgen/native` (im2col + packed
 * GEMM), with its backward through time in C++ from what the forward kept (O(T)
 * native memory, freed by the backward pass or by GC): every step's h and the
 * final `[h, c]` — the same values and gradients as stepping `ConvLSTM2DCell`
 * with tfjs ops.
 */
export function nativeConvLstm(native: NativeKernels, a: NativeConvLstmInputs): NativeConvLstmResult {
  const [B, T, H, W, C] = a.x.shape as [number, number, number, number, number];
  const [kh, kw, , G] = a.kernel.shape as [number, number, number, number];
  const F = G / 4;
  // Keep what backward needs only while a gradient tape records this call.
  const save = tf.engine().isTapeOn();
  const run = tf.customGrad((...args: unknown[]) => {
    const [x, kernel, recurrentKernel, bias, h0, c0] = (args.slice(0, 6) as tf.Tensor[]).map(values) as [
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
    ];
    const { out, saved } = native.convLstmForward({
      x,
      kernel,
      recurrentKernel,
      bias,
      h0,
      c0,
      batch: B,
      steps: T,
      height: H,
      width: W,
      channels: C,
      filters: F,
      kernelSize: [kh, kw],
      save,
    });
    return {
      value: tf.tensor5d(out, [T + 2, B, H, W, F]),
      gradFunc: (dy: tf.Tensor) => {
        if (!saved) throw new Error('native ConvLSTM kernel: gradient requested for a pass run without a tape');
        const g = native.convLstmBackward(saved, values(dy));
        return [
          tf.tensor5d(g.dx, [B, T, H, W, C]),
          tf.tensor4d(g.dKernel, [kh, kw, C, G]),
          tf.tensor4d(g.dRecurrentKernel, [kh, kw, F, G]),
          tf.tensor1d(g.dBias),
          tf.tensor4d(g.dh0, [B, H, W, F]),
          tf.tensor4d(g.dc0, [B, H, W, F]),
        ];
      },
    };
  });
  // Time-major [T + 2, B, H, W, F]: every step's h, then the final h and c, each a contiguous block.
  const all = run(a.x, a.kernel, a.recurrentKernel, a.bias, a.h0, a.c0) as tf.Tensor5D;
  const [hs, h, c] = tf.split(all, [T, 1, 1], 0) as [tf.Tensor, tf.Tensor, tf.Tensor];
  const state = [reshapeUnsaved(h, [B, H, W, F]), reshapeUnsaved(c, [B, H, W, F])] as [tf.Tensor4D, tf.Tensor4D];
  const outputs = (T === 1 ? reshapeUnsaved(hs, [B, 1, H, W, F]) : swapLeadingAxes(hs)) as tf.Tensor5D;
  return { outputs, state };
}
