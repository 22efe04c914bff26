/**
 * @seqgen/native: whole-sequence LSTM / GRU / RNN and ConvLSTM kernels (forward
 * and backward) and a batch step for generation: a prebuilt binary for linux-x64
 * (glibc) ships in the package, and elsewhere the install script compiles this
 * package's C++ sources with node-gyp. When no binary loads (no compiler,
 * install scripts blocked, `SEQGEN_NATIVE=0`) everything here reports why and
 * what to do, and @seqgen/cells keeps its pure-tfjs kernels.
 */
import { createRequire } from 'node:module';
import { SeqgenError, ShapeError } from '@seqgen/base';
import {
  addonCandidates,
  ENABLE_ADDON_ADVICE,
  prebuiltName,
  recordedBuildFailure,
  shippedPrebuilds,
} from './addon-binary.js';

/** The recurrent cells the kernels implement: LSTM (4 gates), GRU (3 gates) and a vanilla RNN. */
export type NativeCell = 'lstm' | 'gru' | 'rnn';

/** Whether the addon is in use, why (not), and what it runs on: {@link nativeStatus}'s answer. */
export interface NativeStatus {
  /** The addon is loaded and will be used. */
  loaded: boolean;
  /** Why it is (not) in use, in words; when not loaded, also what can be done about it. */
  reason: string;
  /** Which binary is loaded: one compiled on this machine, or the prebuilt one shipped in the package. */
  binary?: 'compiled' | 'prebuilt';
  /** Kernel set in use: `avx512`, `avx2` or `generic`. */
  isa?: string;
  /** Why that kernel set was chosen. */
  isaReason?: string;
  /** Threads of the native pool (the caller's thread included). */
  threads?: number;
  /** CPU features seen at run time. */
  cpu?: {
    /** The CPU has AVX2 (the `avx2` kernel set needs it, with FMA). */
    avx2: boolean;
    /** The CPU has fused multiply-add. */
    fma: boolean;
    /** The CPU has AVX-512F (the `avx512` kernel set). */
    avx512f: boolean;
  };
}

/** An opaque handle to what a forward pass keeps for its backward pass (freed by backward, release, or GC). */
export interface NativeSaved {
  /** Brands the handle so that only a forward pass's result is accepted. */
  readonly __nativeSaved: unique symbol;
}
/** Weights packed once for {@link stepForward}. */
export interface NativeStepWeights {
  /** The packed weights in native memory (freed by GC). */
  readonly handle: unknown;
  /** The cell the weights belong to. */
  readonly cell: NativeCell;
  /** Width of the input `x` each step takes. */
  readonly inputSize: number;
  /** Hidden units: the width of `h` (and `c`). */
  readonly units: number;
}

interface Binding {
  forward(...args: unknown[]): { out: Float32Array; saved: unknown };
  backward(saved: unknown, dy: Float32Array): Array<Float32Array | null>;
  release(saved: unknown): void;
  convLstmForward(...args: unknown[]): { out: Float32Array; saved: unknown };
  convLstmBackward(saved: unknown, dy: Float32Array): Float32Array[];
  packStep(...args: unknown[]): unknown;
  step(w: unknown, B: number, x: Float32Array, h: Float32Array, c: Float32Array | null): void;
  gemm(...args: unknown[]): void;
  attentionForward(...args: unknown[]): void;
  attentionBackward(...args: unknown[]): void;
  crossEntropyForward(...args: unknown[]): number;
  crossEntropyBackward(...args: unknown[]): void;
  adamUpdate(...args: unknown[]): void;
  packDecoder(...args: unknown[]): unknown;
  decodeStep(
    d: unknown,
    B: number,
    tokens: Int32Array,
    states: Float32Array[],
    logits: Float32Array,
    conditions?: Int32Array,
  ): void;
  info(): BindingInfo;
  configure(o: { threads?: number; isa?: string }): BindingInfo;
}
interface BindingInfo {
  isa: string;
  isaReason: string;
  threads: number;
  cpu: { avx2: boolean; fma: boolean; avx512f: boolean };
  liveSaved: number;
  liveBytes: number;
  liveStepWeights: number;
  liveDecoders: number;
}

/** `SEQGEN_NATIVE=0` (or `false`/`off`) forces the pure-tfjs kernels. */
export const NATIVE_ENV = 'SEQGEN_NATIVE';

let binding: Binding | undefined;
let status: NativeStatus | undefined;

function load(): NativeStatus {
  if (status) return status;
  const env = process.env[NATIVE_ENV]?.trim().toLowerCase();
  if (env === '0' || env === 'false' || env === 'off') {
    status = { loaded: false, reason: `disabled by ${NATIVE_ENV}=${process.env[NATIVE_ENV]}` };
    return status;
  }
  const failures: string[] = [];
  for (const candidate of addonCandidates()) {
    try {
      binding = createRequire(import.meta.url)(candidate.path) as Binding;
      const i = binding.info();
      status = {
        loaded: true,
        reason: candidate.origin === 'prebuilt' ? 'prebuilt addon loaded' : 'addon loaded',
        binary: candidate.origin,
        isa: i.isa,
        isaReason: i.isaReason,
        threads: i.threads,
        cpu: i.cpu,
      };
      return status;
    } catch (error) {
      binding = undefined;
      failures.push(`${candidate.origin} addon failed to load: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  status = { loaded: false, reason: notLoadedReason(failures) };
  return status;
}

/** Why no binary is in use, and what the user can do about it. */
function notLoadedReason(loadFailures: string[]): string {
  if (loadFailures.length) return `${loadFailures.join('; ')}; ${ENABLE_ADDON_ADVICE}`;
  const { folder, file } = prebuiltName();
  const shipped = shippedPrebuilds();
  const prebuilt = shipped.length
    ? `no prebuilt binary matches this machine (${folder}, ${file}; shipped: ${shipped.join(', ')})`
    : 'no prebuilt binary in this copy of the package';
  const failure = recordedBuildFailure();
  if (failure) return `addon not built: ${failure}; ${prebuilt}; ${ENABLE_ADDON_ADVICE}`;
  return `addon not built (its install script did not run: in this monorepo run \`pnpm --filter @seqgen/native build\`); ${prebuilt}; ${ENABLE_ADDON_ADVICE}`;
}

/** Whether the native kernels are loaded, and why (not). Never throws. */
export function nativeStatus(): NativeStatus {
  const s = load();
  return { ...s };
}

/** True when the addon is loaded and not disabled. */
export function nativeAvailable(): boolean {
  return load().loaded;
}

function need(): Binding {
  load();
  if (!binding) throw new SeqgenError('ERR_NATIVE_UNAVAILABLE', `@seqgen/native is not available: ${status?.reason}`);
  return binding;
}

/** Changes the pool size (1–64) or caps the kernel set (`avx512`, `avx2`, `generic`); returns the new status. */
export function configureNative(options: {
  threads?: number;
  isa?: 'avx512' | 'avx2' | 'generic' | 'auto';
}): NativeStatus {
  const b = need();
  if (
    options.threads !== undefined &&
    !(Number.isInteger(options.threads) && options.threads >= 1 && options.threads <= 64)
  ) {
    throw new ShapeError('threads', 'an integer in [1, 64]', String(options.threads), 'configureNative');
  }
  const i = b.configure({ threads: options.threads, isa: options.isa });
  status = {
    reason: 'addon loaded',
    ...status,
    loaded: true,
    isa: i.isa,
    isaReason: i.isaReason,
    threads: i.threads,
    cpu: i.cpu,
  };
  return { ...status };
}

/** Native memory held by live forward passes, packed step weights and decoders (for leak checks). */
export function nativeMemory(): {
  /** Forward passes whose saved buffers are not freed yet. */
  liveSaved: number;
  /** Bytes those saved buffers hold. */
  liveBytes: number;
  /** Packed step weights not collected yet. */
  liveStepWeights: number;
  /** Packed decoders not collected yet. */
  liveDecoders: number;
} {
  const i = need().info();
  return {
    liveSaved: i.liveSaved,
    liveBytes: i.liveBytes,
    liveStepWeights: i.liveStepWeights,
    liveDecoders: i.liveDecoders,
  };
}

/** Calls of each kernel that ran to completion, counted in this module instance. */
export interface NativeCallCounts {
  /** Completed {@link sequenceForward} calls. */
  sequenceForward: number;
  /** Completed {@link sequenceBackward} calls. */
  sequenceBackward: number;
  /** Completed {@link stepForward} calls. */
  stepForward: number;
  /** Completed {@link convLstmForward} calls. */
  convLstmForward: number;
  /** Completed {@link convLstmBackward} calls. */
  convLstmBackward: number;
  /** Completed {@link decodeStep} calls. */
  decodeStep: number;
  /** Completed {@link gemm} calls. */
  gemm: number;
  /** Completed {@link attentionForward} calls. */
  attentionForward: number;
  /** Completed {@link attentionBackward} calls. */
  attentionBackward: number;
  /** Completed {@link crossEntropyForward} calls. */
  crossEntropyForward: number;
  /** Completed {@link crossEntropyBackward} calls. */
  crossEntropyBackward: number;
  /** Completed {@link adamUpdate} calls. */
  adamUpdate: number;
}
const calls: NativeCallCounts = {
  sequenceForward: 0,
  sequenceBackward: 0,
  stepForward: 0,
  convLstmForward: 0,
  convLstmBackward: 0,
  decodeStep: 0,
  gemm: 0,
  attentionForward: 0,
  attentionBackward: 0,
  crossEntropyForward: 0,
  crossEntropyBackward: 0,
  adamUpdate: 0,
};

/**
 * How many times each kernel ran in this process (through this module instance:
 * the ESM and CommonJS builds count separately). For tests that must prove the
 * native path was taken, e.g. "native vs pure-tfjs" comparisons. Never throws.
 */
export function nativeCallCounts(): NativeCallCounts {
  return { ...calls };
}

const GATES: Record<NativeCell, number> = { lstm: 4, gru: 3, rnn: 1 };
const KIND: Record<NativeCell, number> = { lstm: 1, gru: 2, rnn: 3 };

function dim(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ShapeError(name, 'a positive integer', String(value), where);
  }
  return value;
}

function f32(value: unknown, name: string, length: number, where: string): Float32Array {
  if (!(value instanceof Float32Array)) {
    const got = value === null || value === undefined ? String(value) : (value as object).constructor?.name;
    throw new ShapeError(name, `a Float32Array of ${length} elements`, String(got), where);
  }
  if (value.length !== length) throw new ShapeError(name, `${length} elements`, `${value.length}`, where);
  return value;
}

/** Inputs, weights and sizes of a whole-sequence forward pass ({@link sequenceForward}). */
export interface SequenceForwardArgs {
  /** Which recurrent cell to run. */
  cell: NativeCell;
  /** `[batch, steps, inputSize]`. */
  x: Float32Array;
  /** `[inputSize, G·units]` (G = 4 LSTM `[i, f, o, g]`, 3 GRU `[r, z, n]`, 1 RNN). */
  kernel: Float32Array;
  /** `[units, G·units]`. */
  recurrentKernel: Float32Array;
  /** `[G·units]`. */
  bias: Float32Array;
  /** GRU only (reset gate after the matmul): `[3·units]`. */
  recurrentBias?: Float32Array;
  /** `[batch, units]`. */
  h0: Float32Array;
  /** LSTM only: `[batch, units]`. */
  c0?: Float32Array;
  /** `[batch, steps]`: 1 for real steps, 0 for padding (state kept, output 0). */
  mask?: Float32Array;
  /** Sequences in the batch (B). */
  batch: number;
  /** Time steps of each sequence (T). */
  steps: number;
  /** Features of each input step. */
  inputSize: number;
  /** Hidden units (H). */
  units: number;
  /** Run from the last step to the first (the backward half of a bidirectional layer). */
  reverse?: boolean;
  /** RNN activation (default tanh). */
  activation?: 'tanh' | 'relu';
  /** Keep what backward needs (default true). */
  save?: boolean;
}

/** What {@link sequenceForward} returns: the outputs, and what the backward pass needs. */
export interface SequenceForwardResult {
  /** `[batch, steps + S, units]`: the outputs, then the final h (and c for LSTM, S = 2; else S = 1). */
  out: Float32Array;
  /** The buffers {@link sequenceBackward} needs; `null` when called with `save: false`. */
  saved: NativeSaved | null;
}

/** Runs a whole sequence, as the fused kernels of @seqgen/cells do, returning outputs and final state in one array. */
export function sequenceForward(a: SequenceForwardArgs): SequenceForwardResult {
  const where = 'sequenceForward';
  const b = need();
  if (!(a.cell in GATES)) throw new ShapeError('cell', '"lstm", "gru" or "rnn"', String(a.cell), where);
  const B = dim(a.batch, 'batch', where);
  const T = dim(a.steps, 'steps', where);
  const I = dim(a.inputSize, 'inputSize', where);
  const H = dim(a.units, 'units', where);
  const G = GATES[a.cell] * H;
  if (a.activation !== undefined && a.activation !== 'tanh' && a.activation !== 'relu') {
    throw new ShapeError('activation', '"tanh" or "relu"', String(a.activation), where);
  }
  const args = [
    KIND[a.cell],
    f32(a.x, 'x', B * T * I, where),
    f32(a.kernel, 'kernel', I * G, where),
    f32(a.recurrentKernel, 'recurrentKernel', H * G, where),
    f32(a.bias, 'bias', G, where),
    a.cell === 'gru' ? f32(a.recurrentBias, 'recurrentBias', G, where) : null,
    f32(a.h0, 'h0', B * H, where),
    a.cell === 'lstm' ? f32(a.c0, 'c0', B * H, where) : null,
    a.mask === undefined ? null : f32(a.mask, 'mask', B * T, where),
    B,
    T,
    I,
    H,
    a.reverse ?? false,
    a.activation === 'relu',
    a.save ?? true,
  ];
  const r = b.forward(...args);
  calls.sequenceForward++;
  return { out: r.out, saved: (r.saved ?? null) as NativeSaved | null };
}

/** Gradients of a forward pass's loss with respect to everything it read ({@link sequenceBackward}). */
export interface SequenceGradients {
  /** With respect to the inputs: `[batch, steps, inputSize]`. */
  dx: Float32Array;
  /** With respect to the input kernel: `[inputSize, G·units]`. */
  dKernel: Float32Array;
  /** With respect to the recurrent kernel: `[units, G·units]`. */
  dRecurrentKernel: Float32Array;
  /** With respect to the bias: `[G·units]`. */
  dBias: Float32Array;
  /** GRU only. */
  dRecurrentBias?: Float32Array;
  /** With respect to the initial hidden state: `[batch, units]`. */
  dh0: Float32Array;
  /** LSTM only. */
  dc0?: Float32Array;
}

/**
 * Runs a binding's backward call, turning its errors into seqgen's: a `dy` of the wrong size is a
 * {@link ShapeError}, anything else (a `saved` already used or of the other kind) `ERR_NATIVE_INVALID`.
 */
function runBackward<R>(where: string, call: () => R): R {
  try {
    return call();
  } catch (error) {
    const m = /dy must have (\d+) elements, got (\d+)/.exec((error as Error).message);
    if (m) throw new ShapeError('dy', `${m[1]} elements`, m[2] as string, where);
    throw new SeqgenError('ERR_NATIVE_INVALID', `${where}: ${(error as Error).message}`, { cause: error });
  }
}

/** Backward of {@link sequenceForward}: `dy` has the shape of its `out`. Frees `saved`; runs once per forward. */
export function sequenceBackward(saved: NativeSaved, dy: Float32Array): SequenceGradients {
  const b = need();
  if (!(dy instanceof Float32Array)) {
    throw new ShapeError('dy', 'a Float32Array', String((dy as object | null)?.constructor?.name), 'sequenceBackward');
  }
  const r = runBackward('sequenceBackward', () => b.backward(saved, dy));
  calls.sequenceBackward++;
  const g: SequenceGradients = {
    dx: r[0] as Float32Array,
    dKernel: r[1] as Float32Array,
    dRecurrentKernel: r[2] as Float32Array,
    dBias: r[3] as Float32Array,
    dh0: r[5] as Float32Array,
  };
  if (r[4]) g.dRecurrentBias = r[4];
  if (r[6]) g.dc0 = r[6];
  return g;
}

/** Inputs, weights and sizes of a ConvLSTM layer's forward pass over a whole sequence ({@link convLstmForward}). */
export type ConvLstmForwardArgs = {
  /** Frames `[batch, steps, height, width, channels]` (NHWC). */
  x: Float32Array;
  /** `[kernelHeight, kernelWidth, channels, 4·filters]`, gates `[i, f, o, g]`. */
  kernel: Float32Array;
  /** `[kernelHeight, kernelWidth, filters, 4·filters]`. */
  recurrentKernel: Float32Array;
  /** `[4·filters]`. */
  bias: Float32Array;
  /** `[batch, height, width, filters]`. */
  h0: Float32Array;
  /** `[batch, height, width, filters]`. */
  c0: Float32Array;
  /** Sequences in the batch. */
  batch: number;
  /** Frames of each sequence. */
  steps: number;
  /** Frame height. */
  height: number;
  /** Frame width. */
  width: number;
  /** Input channels. */
  channels: number;
  /** Filters (hidden channels). */
  filters: number;
  /** Odd spatial kernel `[height, width]` of both convolutions ('same' padding, stride 1). */
  kernelSize: readonly [number, number];
  /** Keep what backward needs (default true). */
  save?: boolean;
};

/**
 * A ConvLSTM layer (Shi et al. 2015) over a whole sequence, as @seqgen/cells'
 * ConvLSTM2D computes it: `z = conv(x, kernel) + conv(h, recurrentKernel) + bias`,
 * gates `[i, f, o, g]`. Every convolution is im2col + the packed GEMM (the input
 * convolution of all frames at once). `out` is time-major, `[steps + 2, batch,
 * height, width, filters]`: every step's h, then the final h and c (each a
 * contiguous block). What backward needs is kept
 * in native memory, O(steps).
 */
export function convLstmForward(a: ConvLstmForwardArgs): SequenceForwardResult {
  const where = 'convLstmForward';
  const b = need();
  const B = dim(a.batch, 'batch', where);
  const T = dim(a.steps, 'steps', where);
  const Hh = dim(a.height, 'height', where);
  const Ww = dim(a.width, 'width', where);
  const C = dim(a.channels, 'channels', where);
  const F = dim(a.filters, 'filters', where);
  if (!Array.isArray(a.kernelSize) || a.kernelSize.length !== 2) {
    throw new ShapeError('kernelSize', '[height, width]', String(a.kernelSize), where);
  }
  const [kh, kw] = a.kernelSize.map((k, i) => {
    const v = dim(k, `kernelSize[${i}]`, where);
    if (v % 2 === 0) throw new ShapeError(`kernelSize[${i}]`, 'an odd integer', String(v), where);
    return v;
  }) as [number, number];
  const P = Hh * Ww;
  const r = b.convLstmForward(
    f32(a.x, 'x', B * T * P * C, where),
    f32(a.kernel, 'kernel', kh * kw * C * 4 * F, where),
    f32(a.recurrentKernel, 'recurrentKernel', kh * kw * F * 4 * F, where),
    f32(a.bias, 'bias', 4 * F, where),
    f32(a.h0, 'h0', B * P * F, where),
    f32(a.c0, 'c0', B * P * F, where),
    B,
    T,
    Hh,
    Ww,
    C,
    F,
    kh,
    kw,
    a.save ?? true,
  );
  calls.convLstmForward++;
  return { out: r.out, saved: (r.saved ?? null) as NativeSaved | null };
}

/** Gradients of a ConvLSTM forward pass's loss with respect to everything it read ({@link convLstmBackward}). */
export type ConvLstmGradients = {
  /** With respect to the frames: `[batch, steps, height, width, channels]`. */
  dx: Float32Array;
  /** With respect to the input kernel. */
  dKernel: Float32Array;
  /** With respect to the recurrent kernel. */
  dRecurrentKernel: Float32Array;
  /** With respect to the bias. */
  dBias: Float32Array;
  /** With respect to the initial hidden state. */
  dh0: Float32Array;
  /** With respect to the initial cell state. */
  dc0: Float32Array;
};

/** Backward of {@link convLstmForward}: `dy` has the shape of its `out`. Frees `saved`; runs once per forward. */
export function convLstmBackward(saved: NativeSaved, dy: Float32Array): ConvLstmGradients {
  const b = need();
  if (!(dy instanceof Float32Array)) {
    throw new ShapeError('dy', 'a Float32Array', String((dy as object | null)?.constructor?.name), 'convLstmBackward');
  }
  const r = runBackward('convLstmBackward', () => b.convLstmBackward(saved, dy));
  calls.convLstmBackward++;
  const [dx, dKernel, dRecurrentKernel, dBias, dh0, dc0] = r as [
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
  ];
  return { dx, dKernel, dRecurrentKernel, dBias, dh0, dc0 };
}

/** Frees what a forward pass kept, when its backward will not run (idempotent). */
export function releaseSaved(saved: NativeSaved): void {
  need().release(saved);
}

/** Packs a cell's weights for {@link stepForward} (copy them again after the weights change). */
export function packStepWeights(a: {
  cell: NativeCell;
  inputSize: number;
  units: number;
  kernel: Float32Array;
  recurrentKernel: Float32Array;
  bias: Float32Array;
  recurrentBias?: Float32Array;
  activation?: 'tanh' | 'relu';
}): NativeStepWeights {
  const where = 'packStepWeights';
  const b = need();
  if (!(a.cell in GATES)) throw new ShapeError('cell', '"lstm", "gru" or "rnn"', String(a.cell), where);
  const I = dim(a.inputSize, 'inputSize', where);
  const H = dim(a.units, 'units', where);
  const G = GATES[a.cell] * H;
  const handle = b.packStep(
    KIND[a.cell],
    I,
    H,
    a.activation === 'relu',
    f32(a.kernel, 'kernel', I * G, where),
    f32(a.recurrentKernel, 'recurrentKernel', H * G, where),
    f32(a.bias, 'bias', G, where),
    a.cell === 'gru' ? f32(a.recurrentBias, 'recurrentBias', G, where) : null,
  );
  return Object.freeze({ handle, cell: a.cell, inputSize: I, units: H });
}

/** One step for `batch` rows: `h` (and LSTM `c`) `[batch, units]` are updated in place. */
export function stepForward(
  w: NativeStepWeights,
  batch: number,
  x: Float32Array,
  h: Float32Array,
  c?: Float32Array,
): void {
  const where = 'stepForward';
  const b = need();
  const B = dim(batch, 'batch', where);
  f32(x, 'x', B * w.inputSize, where);
  f32(h, 'h', B * w.units, where);
  b.step(w.handle, B, x, h, w.cell === 'lstm' ? f32(c, 'c', B * w.units, where) : null);
  calls.stepForward++;
}

/** `C = op(A)·op(B)` (+ C when `accumulate`), row-major `[M, K]·[K, N]`; for tests and benchmarks. */
export function gemm(
  M: number,
  N: number,
  K: number,
  A: Float32Array,
  B: Float32Array,
  C: Float32Array,
  options: { transA?: boolean; transB?: boolean; accumulate?: boolean } = {},
): void {
  const where = 'gemm';
  const b = need();
  for (const [v, name] of [
    [M, 'M'],
    [N, 'N'],
    [K, 'K'],
  ] as const)
    dim(v, name, where);
  f32(A, 'A', M * K, where);
  f32(B, 'B', K * N, where);
  f32(C, 'C', M * N, where);
  b.gemm(M, N, K, A, options.transA ?? false, B, options.transB ?? false, C, options.accumulate ?? false);
  calls.gemm++;
}

/** Sizes of an additive-attention step: batch rows, memory positions, score units, memory width. */
export interface AttentionShape {
  /** Batch rows. */
  B: number;
  /** Memory positions per row. */
  S: number;
  /** Units of the score layer (width of keys and query). */
  U: number;
  /** Width of the memory (and of the context). */
  D: number;
}

function attentionDims(a: AttentionShape, where: string): AttentionShape {
  return { B: dim(a.B, 'B', where), S: dim(a.S, 'S', where), U: dim(a.U, 'U', where), D: dim(a.D, 'D', where) };
}

/**
 * One step of additive (Bahdanau) attention from precomputed `keys`
 * (`W·memory + b`, `[B, S, U]`) and a projected query `q` `[B, U]`: scores
 * `v · tanh(keys + q)`, −1e9 added where `mask` `[B, S]` is 0, softmax over S,
 * the weights multiplied by the mask, and the context `Σ_s weights · memory`
 * (`memory` `[B, S, D]`). Writes `tanh` `[B, S, U]` (kept for
 * {@link attentionBackward}) and `out` `[B, S + D]` (each row's weights, then
 * its context). Rows are split among the pool's threads.
 */
export function attentionForward(
  shape: AttentionShape,
  a: {
    keys: Float32Array;
    q: Float32Array;
    v: Float32Array;
    mask: Float32Array;
    memory: Float32Array;
    tanh: Float32Array;
    out: Float32Array;
  },
): void {
  const where = 'attentionForward';
  const b = need();
  const { B, S, U, D } = attentionDims(shape, where);
  b.attentionForward(
    B,
    S,
    U,
    D,
    f32(a.keys, 'keys', B * S * U, where),
    f32(a.q, 'q', B * U, where),
    f32(a.v, 'v', U, where),
    f32(a.mask, 'mask', B * S, where),
    f32(a.memory, 'memory', B * S * D, where),
    f32(a.tanh, 'tanh', B * S * U, where),
    f32(a.out, 'out', B * (S + D), where),
  );
  calls.attentionForward++;
}

/**
 * The gradients of {@link attentionForward} from `dy` `[B, S + D]` (of the
 * weights and the context) and the forward's `tanh` and `out`: writes
 * `dkeys` `[B, S, U]`, `dq` `[B, U]`, `dv` `[U]` and `dmemory` `[B, S, D]`.
 */
export function attentionBackward(
  shape: AttentionShape,
  a: {
    dy: Float32Array;
    tanh: Float32Array;
    out: Float32Array;
    v: Float32Array;
    memory: Float32Array;
    dkeys: Float32Array;
    dq: Float32Array;
    dv: Float32Array;
    dmemory: Float32Array;
  },
): void {
  const where = 'attentionBackward';
  const b = need();
  const { B, S, U, D } = attentionDims(shape, where);
  b.attentionBackward(
    B,
    S,
    U,
    D,
    f32(a.dy, 'dy', B * (S + D), where),
    f32(a.tanh, 'tanh', B * S * U, where),
    f32(a.out, 'out', B * (S + D), where),
    f32(a.v, 'v', U, where),
    f32(a.memory, 'memory', B * S * D, where),
    f32(a.dkeys, 'dkeys', B * S * U, where),
    f32(a.dq, 'dq', B * U, where),
    f32(a.dv, 'dv', U, where),
    f32(a.dmemory, 'dmemory', B * S * D, where),
  );
  calls.attentionBackward++;
}

function crossEntropyChecks(
  a: { targets: Float32Array; epsilon: number },
  rows: number,
  V: number,
  where: string,
): void {
  f32(a.targets, 'targets', rows, where);
  for (let r = 0; r < rows; r++) {
    const t = a.targets[r] as number;
    if (!(Number.isInteger(t) && t >= 0 && t < V)) {
      throw new ShapeError(`targets[${r}]`, `an integer id in [0, ${V})`, String(t), where);
    }
  }
  if (typeof a.epsilon !== 'number' || !(a.epsilon >= 0 && a.epsilon < 1)) {
    throw new ShapeError('epsilon', 'a number in [0, 1)', String(a.epsilon), where);
  }
}

/**
 * Label-smoothed softmax cross-entropy of `logits` `[rows, V]` against
 * `targets` `[rows]` (integer ids as floats) weighted by `weights` `[rows]`:
 * writes the softmax of every counted row (weight ≠ 0) to `probs` (0 for the
 * others) and returns `Σ_r w_r · ((1 − ε)·(logZ − x_target) + ε·(logZ − mean x))`,
 * not yet divided by the token count. Rows are split among the pool's threads.
 */
export function crossEntropyForward(
  shape: { rows: number; V: number },
  a: { logits: Float32Array; targets: Float32Array; weights: Float32Array; epsilon: number; probs: Float32Array },
): number {
  const where = 'crossEntropyForward';
  const b = need();
  const rows = dim(shape.rows, 'rows', where);
  const V = dim(shape.V, 'V', where);
  crossEntropyChecks(a, rows, V, where);
  const total = b.crossEntropyForward(
    rows,
    V,
    f32(a.logits, 'logits', rows * V, where),
    f32(a.targets, 'targets', rows, where),
    f32(a.weights, 'weights', rows, where),
    a.epsilon,
    f32(a.probs, 'probs', rows * V, where),
  );
  calls.crossEntropyForward++;
  return total;
}

/**
 * The gradient of {@link crossEntropyForward}'s loss times `scale` (the
 * upstream gradient over the token count): `grad = scale · w · (probs − ε/V)`,
 * less `scale · w · (1 − ε)` at each row's target; 0 on rows of weight 0.
 */
export function crossEntropyBackward(
  shape: { rows: number; V: number },
  a: {
    probs: Float32Array;
    targets: Float32Array;
    weights: Float32Array;
    epsilon: number;
    scale: number;
    grad: Float32Array;
  },
): void {
  const where = 'crossEntropyBackward';
  const b = need();
  const rows = dim(shape.rows, 'rows', where);
  const V = dim(shape.V, 'V', where);
  crossEntropyChecks(a, rows, V, where);
  if (!Number.isFinite(a.scale)) throw new ShapeError('scale', 'a finite number', String(a.scale), where);
  b.crossEntropyBackward(
    rows,
    V,
    f32(a.probs, 'probs', rows * V, where),
    f32(a.targets, 'targets', rows, where),
    f32(a.weights, 'weights', rows, where),
    a.epsilon,
    a.scale,
    f32(a.grad, 'grad', rows * V, where),
  );
  calls.crossEntropyBackward++;
}

/** The constants of one {@link adamUpdate}: each the float32 that the tfjs op path uses. */
export interface AdamConstants {
  /** Learning rate of this parameter at this step. */
  lr: number;
  /** Decay of the first-moment average (β1). */
  beta1: number;
  /** `1 − β1`, as the caller computes it (passed, not recomputed in float32). */
  oneMinusBeta1: number;
  /** Decay of the second-moment average (β2). */
  beta2: number;
  /** `1 − β2`, as the caller computes it. */
  oneMinusBeta2: number;
  /** `1 − β1^t`: the first moment's bias correction. */
  c1: number;
  /** `1 − β2^t`: the second moment's bias correction. */
  c2: number;
  /** Added to `√(v'/c2)` in the denominator. */
  epsilon: number;
  /** Multiplies the parameter before the step: `1 − lr·weightDecay` (AdamW), 1 for Adam. */
  decay: number;
}

/**
 * One Adam (AdamW) update of a parameter in one pass, over the pool's threads:
 * `m' = β1·m + (1−β1)·g`, `v' = β2·v + (1−β2)·g²`,
 * `param' = param·decay − lr·(m'/c1)/(√(v'/c2) + ε)`, written to the three
 * outputs (which must not alias the inputs).
 */
export function adamUpdate(
  a: {
    param: Float32Array;
    grad: Float32Array;
    m: Float32Array;
    v: Float32Array;
    paramOut: Float32Array;
    mOut: Float32Array;
    vOut: Float32Array;
  },
  k: AdamConstants,
): void {
  const where = 'adamUpdate';
  const b = need();
  const n = dim(a.param?.length, 'param.length', where);
  const constants = [k.lr, k.beta1, k.oneMinusBeta1, k.beta2, k.oneMinusBeta2, k.c1, k.c2, k.epsilon, k.decay];
  constants.forEach((value, i) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      const names = ['lr', 'beta1', 'oneMinusBeta1', 'beta2', 'oneMinusBeta2', 'c1', 'c2', 'epsilon', 'decay'];
      throw new ShapeError(names[i] as string, 'a finite number', String(value), where);
    }
  });
  if (!(k.c1 > 0 && k.c2 > 0)) {
    throw new ShapeError('c1, c2', 'bias corrections > 0', `${k.c1}, ${k.c2}`, where);
  }
  b.adamUpdate(
    n,
    f32(a.param, 'param', n, where),
    f32(a.grad, 'grad', n, where),
    f32(a.m, 'm', n, where),
    f32(a.v, 'v', n, where),
    f32(a.paramOut, 'paramOut', n, where),
    f32(a.mOut, 'mOut', n, where),
    f32(a.vOut, 'vOut', n, where),
    ...constants,
  );
  calls.adamUpdate++;
}

/** A whole recurrent language model packed for {@link decodeStep} (freed by GC). */
export interface NativeDecoder {
  /** The packed model in native memory (freed by GC). */
  readonly handle: unknown;
  /** The cell of every layer. */
  readonly cell: NativeCell;
  /** Tokens the embedding and the output layer cover. */
  readonly vocabSize: number;
  /** Width of a token's embedding (the first layer's input). */
  readonly embeddingSize: number;
  /** Units per layer. */
  readonly units: readonly number[];
  /** Conditioning ids a conditioned decoder takes (0: not conditioned). */
  readonly conditionVocabSize: number;
}

/** The weights of an embedding → stacked cells → linear head language model, for {@link packDecoder}. */
export interface PackDecoderArgs {
  /** The cell of every layer. */
  cell: NativeCell;
  /** RNN activation (default tanh). */
  activation?: 'tanh' | 'relu';
  /** Tokens the embedding and the output layer cover. */
  vocabSize: number;
  /** Width of a token's embedding. */
  embeddingSize: number;
  /** Bottom to top; layer 0 reads the embedding, each next layer the previous layer's h. */
  layers: ReadonlyArray<{
    /** Hidden units of this layer. */
    units: number;
    /** `[input width, G·units]`: the embedding size for layer 0, the previous layer's units after. */
    kernel: Float32Array;
    /** `[units, G·units]`. */
    recurrentKernel: Float32Array;
    /** `[G·units]`. */
    bias: Float32Array;
    /** GRU only: `[3·units]`, added after the recurrent matmul. */
    recurrentBias?: Float32Array;
  }>;
  /** `[vocabSize, embeddingSize]`. */
  embedding: Float32Array;
  /** `[top units, vocabSize]`, or `[vocabSize, top units]` when `outputTransposed` (tied to the embedding). */
  outputKernel: Float32Array;
  /** `outputKernel` is stored `[vocabSize, top units]` (the embedding, tied). Default false. */
  outputTransposed?: boolean;
  /** `[vocabSize]`. */
  outputBias: Float32Array;
  /**
   * A conditioned model: layer 0 reads the token's embedding row followed by the condition's row
   * of this table (its kernel is then `[embeddingSize + condition.embeddingSize, G·units]`), and
   * {@link decodeStep} takes one condition id per row.
   */
  condition?: {
    /** Conditioning ids (e.g. chord symbols). */
    vocabSize: number;
    /** Width of a condition's embedding. */
    embeddingSize: number;
    /** `[vocabSize, embeddingSize]`. */
    embedding: Float32Array;
  };
}

/**
 * Packs a token embedding → stacked LSTM/GRU/RNN → linear head model for
 * {@link decodeStep}: one native call per generated token. Weights are copied
 * (pack again after they change).
 */
export function packDecoder(a: PackDecoderArgs): NativeDecoder {
  const where = 'packDecoder';
  const b = need();
  if (!(a.cell in GATES)) throw new ShapeError('cell', '"lstm", "gru" or "rnn"', String(a.cell), where);
  const V = dim(a.vocabSize, 'vocabSize', where);
  const E = dim(a.embeddingSize, 'embeddingSize', where);
  if (!Array.isArray(a.layers) || a.layers.length < 1) {
    throw new ShapeError('layers', 'at least one layer', String(a.layers?.length), where);
  }
  const Vc = a.condition ? dim(a.condition.vocabSize, 'condition.vocabSize', where) : 0;
  const Ec = a.condition ? dim(a.condition.embeddingSize, 'condition.embeddingSize', where) : 0;
  let inSize = E + Ec;
  const layers = a.layers.map((l, k) => {
    const H = dim(l.units, `layers[${k}].units`, where);
    const G = GATES[a.cell] * H;
    const o = {
      I: inSize,
      H,
      kernel: f32(l.kernel, `layers[${k}].kernel`, inSize * G, where),
      recurrentKernel: f32(l.recurrentKernel, `layers[${k}].recurrentKernel`, H * G, where),
      bias: f32(l.bias, `layers[${k}].bias`, G, where),
      recurrentBias: a.cell === 'gru' ? f32(l.recurrentBias, `layers[${k}].recurrentBias`, G, where) : null,
    };
    inSize = H;
    return o;
  });
  const handle = b.packDecoder(
    KIND[a.cell],
    a.activation === 'relu',
    V,
    E,
    layers,
    f32(a.embedding, 'embedding', V * E, where),
    f32(a.outputKernel, 'outputKernel', inSize * V, where),
    a.outputTransposed ?? false,
    f32(a.outputBias, 'outputBias', V, where),
    Vc,
    Ec,
    a.condition ? f32(a.condition.embedding, 'condition.embedding', Vc * Ec, where) : null,
  );
  return Object.freeze({
    handle,
    cell: a.cell,
    vocabSize: V,
    embeddingSize: E,
    units: layers.map((l) => l.H),
    conditionVocabSize: Vc,
  });
}

/**
 * One generation step of a packed model for `tokens.length` rows: `states`
 * (`[h, c]` per LSTM layer, `[h]` otherwise, each `[batch, units]`) are updated in
 * place and `logits` `[batch, vocabSize]` is written. A conditioned decoder
 * (packed with `condition`) needs `conditions`, one id per row.
 */
export function decodeStep(
  d: NativeDecoder,
  tokens: Int32Array,
  states: Float32Array[],
  logits: Float32Array,
  conditions?: Int32Array,
): void {
  const where = 'decodeStep';
  const b = need();
  if (!(tokens instanceof Int32Array) || tokens.length < 1) {
    throw new ShapeError('tokens', 'a non-empty Int32Array', String(tokens?.constructor?.name), where);
  }
  const B = tokens.length;
  const S = d.cell === 'lstm' ? 2 : 1;
  if (!Array.isArray(states) || states.length !== S * d.units.length) {
    throw new ShapeError('states', `${S * d.units.length} Float32Arrays`, String(states?.length), where);
  }
  for (let k = 0; k < states.length; k++) {
    f32(states[k], `states[${k}]`, B * (d.units[Math.floor(k / S)] as number), where);
  }
  f32(logits, 'logits', B * d.vocabSize, where);
  for (let i = 0; i < B; i++) {
    const t = tokens[i] as number;
    if (t < 0 || t >= d.vocabSize) throw new ShapeError(`tokens[${i}]`, `in [0, ${d.vocabSize})`, String(t), where);
  }
  if (d.conditionVocabSize > 0) {
    if (!(conditions instanceof Int32Array) || conditions.length !== B) {
      throw new ShapeError('conditions', `an Int32Array of ${B} condition ids`, String(conditions?.length), where);
    }
    for (let i = 0; i < B; i++) {
      const c = conditions[i] as number;
      if (c < 0 || c >= d.conditionVocabSize) {
        throw new ShapeError(`conditions[${i}]`, `in [0, ${d.conditionVocabSize})`, String(c), where);
      }
    }
  } else if (conditions !== undefined) {
    throw new ShapeError('conditions', 'none (this decoder is not conditioned)', `${conditions.length} ids`, where);
  }
  b.decodeStep(d.handle, B, tokens, states, logits, conditions);
  calls.decodeStep++;
}
