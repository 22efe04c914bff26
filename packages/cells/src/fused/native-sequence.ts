import * as tf from '@tensorflow/tfjs';
import { platform } from '../platform/node.js';

/**
 * The bridge to `@seqgen/native` (an optional dependency): whole-sequence
 * LSTM / GRU / RNN forward and backward in C++ (packed AVX2/AVX-512 GEMM, fused
 * gate math, a thread pool), used by the fused kernels of this folder when the
 * addon is built and the active backend keeps tensors in this process (wasm,
 * cpu). Same inputs, outputs and gradients as the pure-tfjs kernels: the
 * backward pass runs in C++ from what the forward pass kept there.
 * `SEQGEN_NATIVE=0` forces the pure-tfjs kernels.
 */
/** The `@seqgen/native` module, as {@link nativeKernels} hands it out (packages above cells, e.g. models' native decoder, use it). */
export type NativeKernels = typeof import('@seqgen/native');
type NativeModule = NativeKernels;

let cached: NativeModule | null | undefined;
let enabled = true;

/** Turns the native kernels off or on for this process (benchmarks compare both in one run). */
export function setNativeKernels(on: boolean): void {
  enabled = on;
}

/** Requires the optional dependency; throws when it is not installed. */
function requireNative(): NativeModule {
  // A variable specifier keeps bundlers from requiring the optional dependency.
  const name = '@seqgen/native';
  return platform.requireOptional(name) as NativeModule;
}

function loadNative(): NativeModule | null {
  if (cached !== undefined) return cached;
  cached = null;
  try {
    const mod = requireNative();
    if (mod.nativeAvailable()) cached = mod;
  } catch {
    // Not installed: the pure-tfjs kernels are used.
  }
  return cached;
}

/**
 * The native kernels when they apply to the active backend (wasm or cpu, addon
 * built, not turned off by `SEQGEN_NATIVE=0` or {@link setNativeKernels}), else
 * undefined. Exported so that packages above this one (the language model's
 * one-call decoder in @seqgen/models) follow the same switch.
 */
export function nativeKernels(): NativeModule | undefined {
  const backend = tf.getBackend();
  if (!enabled || (backend !== 'wasm' && backend !== 'cpu')) return undefined;
  return loadNative() ?? undefined;
}

/** @seqgen/native's own status (built, ISA, threads), or undefined when it is not installed. */
export function nativeModuleStatus(): ReturnType<NativeModule['nativeStatus']> | undefined {
  try {
    return requireNative().nativeStatus();
  } catch {
    return undefined;
  }
}

/** What {@link fusedKernelStatus} reports. */
export type FusedKernelStatus = {
  /** Whether the fused sequence kernels run in `@seqgen/native` on the current backend. */
  native: boolean;
  /** Why (not), for people: the backend, `setNativeKernels(false)`, the native ISA, or why the module did not load. */
  reason: string;
};

/** Why the fused kernels do (not) run natively here, for reports. */
export function fusedKernelStatus(): FusedKernelStatus {
  const backend = tf.getBackend();
  if (backend !== 'wasm' && backend !== 'cpu') {
    return { native: false, reason: `backend ${backend} runs its own kernels` };
  }
  if (!enabled) return { native: false, reason: 'native kernels turned off by setNativeKernels(false)' };
  const mod = loadNative();
  if (mod) return { native: true, reason: `@seqgen/native (${mod.nativeStatus().isa})` };
  return { native: false, reason: nativeModuleStatus()?.reason ?? '@seqgen/native is not installed' };
}

function values(t: tf.Tensor): Float32Array {
  const d = t.dataSync();
  return d instanceof Float32Array ? d : Float32Array.from(d as ArrayLike<number>);
}

export interface NativeSequenceInputs {
  cell: 'lstm' | 'gru' | 'rnn';
  x: tf.Tensor3D;
  kernel: tf.Tensor2D;
  recurrentKernel: tf.Tensor2D;
  bias: tf.Tensor1D;
  recurrentBias?: tf.Tensor1D;
  h0: tf.Tensor2D;
  c0?: tf.Tensor2D;
  mask: tf.Tensor3D | undefined;
  reverse: boolean;
  activation?: 'tanh' | 'relu';
}

/**
 * Runs a fused sequence kernel natively. Returns `[B, T + S, H]` (outputs, final
 * h, and final c for LSTM), exactly what the pure-tfjs customGrad returns.
 */
export function nativeSequence(native: NativeModule, a: NativeSequenceInputs): tf.Tensor3D {
  const [B, T, I] = a.x.shape;
  const H = a.recurrentKernel.shape[0];
  const S = a.cell === 'lstm' ? 2 : 1;
  const inputs: tf.Tensor[] = [a.x, a.kernel, a.recurrentKernel, a.bias];
  if (a.recurrentBias) inputs.push(a.recurrentBias);
  inputs.push(a.h0);
  if (a.c0) inputs.push(a.c0);
  if (a.mask) inputs.push(a.mask);
  // Keep what backward needs only while a gradient tape records this call.
  const save = tf.engine().isTapeOn();
  const run = tf.customGrad((...args: unknown[]) => {
    const t = args.slice(0, inputs.length) as tf.Tensor[];
    let k = 0;
    const next = () => values(t[k++] as tf.Tensor);
    const x = next();
    const kernel = next();
    const recurrentKernel = next();
    const bias = next();
    const recurrentBias = a.recurrentBias ? next() : undefined;
    const h0 = next();
    const c0 = a.c0 ? next() : undefined;
    const mask = a.mask ? next() : undefined;
    const { out, saved } = native.sequenceForward({
      cell: a.cell,
      x,
      kernel,
      recurrentKernel,
      bias,
      ...(recurrentBias ? { recurrentBias } : {}),
      h0,
      ...(c0 ? { c0 } : {}),
      ...(mask ? { mask } : {}),
      batch: B,
      steps: T,
      inputSize: I,
      units: H,
      reverse: a.reverse,
      activation: a.activation ?? 'tanh',
      save,
    });
    return {
      value: tf.tensor3d(out, [B, T + S, H]),
      gradFunc: (dy: tf.Tensor) => {
        if (!saved) throw new Error('native sequence kernel: gradient requested for a pass run without a tape');
        const g = native.sequenceBackward(saved, values(dy));
        const grads: tf.Tensor[] = [
          tf.tensor3d(g.dx, [B, T, I]),
          tf.tensor2d(g.dKernel, a.kernel.shape),
          tf.tensor2d(g.dRecurrentKernel, a.recurrentKernel.shape),
          tf.tensor1d(g.dBias),
        ];
        if (a.recurrentBias) grads.push(tf.tensor1d(g.dRecurrentBias as Float32Array));
        grads.push(tf.tensor2d(g.dh0, [B, H]));
        if (a.c0) grads.push(tf.tensor2d(g.dc0 as Float32Array, [B, H]));
        if (a.mask) grads.push(tf.zeros([B, T, 1]));
        return grads;
      },
    };
  });
  return run(...inputs) as tf.Tensor3D;
}
