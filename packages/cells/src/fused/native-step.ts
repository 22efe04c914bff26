import * as tf from '@tensorflow/tfjs';
import type { StepOptions, StepResult } from '../cell.js';
import { nativeKernels } from './native-sequence.js';

type NativeModule = NonNullable<ReturnType<typeof nativeKernels>>;
type StepWeights = ReturnType<NativeModule['packStepWeights']>;

export interface NativeStepCell {
  type: 'lstm' | 'gru' | 'rnn';
  inputSize: number;
  units: number;
  activation?: 'tanh' | 'relu';
}

interface StepVariables {
  kernel?: tf.Tensor;
  recurrentKernel?: tf.Tensor;
  bias?: tf.Tensor;
  recurrentBias?: tf.Tensor;
}

/** Packed weights per kernel buffer; a variable's assign() gives it a new buffer, so stale entries just miss. */
const packed = new WeakMap<object, { ids: object[]; w: StepWeights }>();

function f32(t: tf.Tensor): Float32Array {
  const d = t.dataSync();
  return d instanceof Float32Array ? d : Float32Array.from(d as ArrayLike<number>);
}

function weightsFor(
  native: NativeModule,
  c: NativeStepCell,
  v: Required<Omit<StepVariables, 'recurrentBias'>> & StepVariables,
): StepWeights {
  const ids = [v.kernel.dataId, v.recurrentKernel.dataId, v.bias.dataId, v.recurrentBias?.dataId].filter(
    (d): d is object => d !== undefined,
  );
  const hit = packed.get(ids[0] as object);
  if (hit && hit.ids.length === ids.length && hit.ids.every((d, k) => d === ids[k])) return hit.w;
  const w = native.packStepWeights({
    cell: c.type,
    inputSize: c.inputSize,
    units: c.units,
    kernel: f32(v.kernel),
    recurrentKernel: f32(v.recurrentKernel),
    bias: f32(v.bias),
    ...(v.recurrentBias ? { recurrentBias: f32(v.recurrentBias) } : {}),
    activation: c.activation ?? 'tanh',
  });
  packed.set(ids[0] as object, { ids, w });
  return w;
}

/**
 * One cell step in C++ for generation: used only when @seqgen/native applies,
 * no gradient tape records, and no per-step feature (recurrent dropout, tracing)
 * is asked for; otherwise undefined and the cell runs its tfjs ops. Same math as
 * the cells' `step` (and as one step of the fused kernels).
 */
export function nativeStep(
  cell: NativeStepCell,
  vars: StepVariables,
  x: tf.Tensor,
  state: tf.Tensor[],
  options: StepOptions,
): StepResult | undefined {
  if (options.recurrentMask || options.trace || tf.engine().isTapeOn()) return undefined;
  const native = nativeKernels();
  const { kernel, recurrentKernel, bias } = vars;
  if (!native || !kernel || !recurrentKernel || !bias) return undefined;
  const B = x.shape[0] as number;
  const w = weightsFor(native, cell, {
    kernel,
    recurrentKernel,
    bias,
    ...(vars.recurrentBias ? { recurrentBias: vars.recurrentBias } : {}),
  });
  // Copies: the cpu backend's dataSync returns the tensor's own storage.
  const h = f32(state[0] as tf.Tensor).slice();
  const c = cell.type === 'lstm' ? f32(state[1] as tf.Tensor).slice() : undefined;
  native.stepForward(w, B, f32(x), h, c);
  const hNew = tf.tensor2d(h, [B, cell.units]);
  return { output: hNew, state: c ? [hNew, tf.tensor2d(c, [B, cell.units])] : [hNew] };
}
