import { ConfigError, glorotUniform, orthogonal, ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import type { CellConfigJson, RecurrentCell, StepOptions, StepResult } from './cell.js';
import { CellBase } from './cell-base.js';
import { type BaseCellOptions, cellRng } from './cell-options.js';
import { expectShape, positiveInt } from './checks.js';
import { nativeConvLstm, nativeConvLstmKernels } from './fused/native-conv-lstm.js';
import { fastSplit } from './kernels/fast-split.js';
import { tanh } from './ops/tanh.js';

export interface ConvLSTM2DCellOptions extends BaseCellOptions {
  /** Input channels (`inputSize`) and filters (`units`) come from BaseCellOptions; this is the spatial kernel. */
  kernelSize?: number | [number, number];
  /** Initial forget-gate bias (default 1). */
  forgetBias?: number;
}

/** What {@link ConvLSTM2DCell.sequenceNative} returns. */
export type ConvLstmSequenceResult = {
  /** Every frame's hidden state `[B, T, H, W, units]`. */
  outputs: tf.Tensor5D;
  /** The final `[h, c]`, each `[B, H, W, units]`. */
  state: tf.Tensor[];
};

/**
 * Convolutional LSTM (Shi et al. 2015): the LSTM's matrix products become
 * 'same'-padded 2-D convolutions, so state keeps its spatial layout —
 * the standard cell for frame prediction (Moving MNIST). Inputs `[B, H, W, C]`,
 * state `[h, c]`, each `[B, H, W, filters]`. Weights: `kernel`
 * `[kh, kw, C, 4F]`, `recurrentKernel` `[kh, kw, F, 4F]`, `bias` `[4F]`,
 * gates `[i, f, o, g]` as in {@link LSTMCell}.
 */
export class ConvLSTM2DCell extends CellBase implements RecurrentCell {
  /** Always `conv-lstm`. */
  readonly type = 'conv-lstm' as const;
  /** Input channels. */
  readonly inputSize: number;
  /** Filters. */
  readonly units: number;
  readonly outputSize: number;
  readonly stateSizes: readonly number[];
  /** Spatial kernel `[kh, kw]` of both convolutions (default 3 × 3). */
  readonly kernelSize: [number, number];
  /** Initial forget-gate bias (default 1). */
  readonly forgetBias: number;

  constructor(options: ConvLSTM2DCellOptions) {
    super();
    this.inputSize = positiveInt(options.inputSize, 'inputSize');
    this.units = positiveInt(options.units, 'units');
    const k = options.kernelSize ?? 3;
    this.kernelSize = typeof k === 'number' ? [k, k] : k;
    for (const d of this.kernelSize) {
      if (!Number.isInteger(d) || d < 1 || d % 2 === 0)
        throw new ConfigError('kernelSize', `must be odd positive integers, got ${k}`);
    }
    this.forgetBias = options.forgetBias ?? 1;
    this.outputSize = this.units;
    this.stateSizes = [this.units, this.units];
    const [kh, kw] = this.kernelSize;
    const F = this.units;
    const rng = cellRng(options);
    // Same fan-in/fan-out scaling as a dense kernel over the receptive field.
    this.store.add(
      'kernel',
      tf.reshape(glorotUniform(rng, [kh * kw * this.inputSize, 4 * F]), [kh, kw, this.inputSize, 4 * F]),
    );
    this.store.add('recurrentKernel', tf.reshape(orthogonal(rng, [kh * kw * F, 4 * F]), [kh, kw, F, 4 * F]));
    const bias = new Float32Array(4 * F);
    bias.fill(this.forgetBias, F, 2 * F);
    this.store.add('bias', tf.tensor1d(bias));
  }

  /** Zero state for `batchSize` frames of `height × width`. */
  initialState(batchSize: number, height = 1, width = 1): tf.Tensor[] {
    return [tf.zeros([batchSize, height, width, this.units]), tf.zeros([batchSize, height, width, this.units])];
  }

  step(x: tf.Tensor, state: tf.Tensor[], options: StepOptions = {}): StepResult {
    expectShape(x, 'x', [undefined, undefined, undefined, this.inputSize], 'ConvLSTM2DCell.step');
    const [B, H, W] = x.shape as [number, number, number, number];
    const [h, c] = state as [tf.Tensor, tf.Tensor];
    if (!h || !c) throw new ShapeError('state', '[h, c]', `${state.length} tensors`, 'ConvLSTM2DCell.step');
    expectShape(h, 'state[0] (h)', [B, H, W, this.units], 'ConvLSTM2DCell.step');
    expectShape(c, 'state[1] (c)', [B, H, W, this.units], 'ConvLSTM2DCell.step');
    if (!options.recurrentMask && !options.trace) {
      const native = this.sequenceNative(tf.reshape(x, [B, 1, H, W, this.inputSize]), [h, c]);
      if (native) return { output: native.state[0] as tf.Tensor, state: native.state };
    }
    const v = this.store.variables;
    const F = this.units;
    const hIn = options.recurrentMask ? tf.mul(h, options.recurrentMask) : h;
    const z = tf.add(tf.add(sameConv2d(x, v.kernel!), sameConv2d(hIn, v.recurrentKernel!)), v.bias!);
    const [zs, zg] = fastSplit(z, [3 * F, F], 3);
    const [i, f, o] = fastSplit(tf.sigmoid(zs!), 3, 3);
    const g = tanh(zg!);
    const cNew = tf.add(tf.mul(f!, c), tf.mul(i!, g));
    const hNew = tf.mul(o!, tanh(cNew));
    const result: StepResult = { output: hNew, state: [hNew, cNew] };
    if (options.trace) result.trace = { i: i!, f: f!, g, o: o!, c: cNew, h: hNew };
    return result;
  }

  /**
   * Frames `[B, T, H, W, C]` through the cell in `@seqgen/native` (the whole
   * sequence in C++, backward through time included), when the native kernels
   * apply (wasm/cpu backend, addon built, not turned off by `SEQGEN_NATIVE=0` or
   * `setNativeKernels(false)`); undefined otherwise, and the caller steps the
   * tfjs ops. Every step's h `[B, T, H, W, F]` and the final `[h, c]`.
   */
  sequenceNative(x: tf.Tensor, state: tf.Tensor[]): ConvLstmSequenceResult | undefined {
    const native = nativeConvLstmKernels();
    if (!native) return undefined;
    const where = 'ConvLSTM2DCell.sequenceNative';
    expectShape(x, 'x', [undefined, undefined, undefined, undefined, this.inputSize], where);
    const [B, , H, W] = x.shape as number[];
    if (state.length !== 2) throw new ShapeError('state', '[h, c]', `${state.length} tensors`, where);
    expectShape(state[0] as tf.Tensor, 'state[0] (h)', [B, H, W, this.units], where);
    expectShape(state[1] as tf.Tensor, 'state[1] (c)', [B, H, W, this.units], where);
    const v = this.store.variables;
    return nativeConvLstm(native, {
      x,
      kernel: v.kernel!,
      recurrentKernel: v.recurrentKernel!,
      bias: v.bias!,
      h0: state[0] as tf.Tensor,
      c0: state[1] as tf.Tensor,
    });
  }

  /** The cell's config: sizes, kernel size and forget bias. */
  getConfig(): CellConfigJson {
    return {
      type: 'conv-lstm',
      inputSize: this.inputSize,
      units: this.units,
      kernelSize: [...this.kernelSize],
      forgetBias: this.forgetBias,
    };
  }
}

/**
 * A stride-1 'same' 2-D convolution that can train on every backend. tfjs's
 * wasm backend has no Conv2DBackpropFilter of its own; @seqgen/core's
 * `initBackend` registers one (im2col + matmul), and then this is a plain
 * tf.conv2d. Where wasm was started without it, the convolution is written as
 * a depth-1 3-D convolution, whose gradients wasm has (about 70× slower at
 * ConvLSTM sizes).
 */
export function sameConv2d(x: tf.Tensor, filter: tf.Tensor): tf.Tensor {
  if (tf.getBackend() !== 'wasm' || tf.getKernel('Conv2DBackpropFilter', 'wasm')) {
    return tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, 1, 'same');
  }
  const y = tf.conv3d(tf.expandDims(x, 1) as tf.Tensor5D, tf.expandDims(filter, 0) as tf.Tensor5D, 1, 'same');
  return tf.squeeze(y, [1]);
}
