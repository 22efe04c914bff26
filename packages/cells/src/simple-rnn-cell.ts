import { ConfigError, glorotUniform, orthogonal } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import type { CellConfigJson, RecurrentCell, SequenceResult, StepOptions, StepResult } from './cell.js';
import { CellBase } from './cell-base.js';
import { type CellInit, cellInit, pytorchSummedBias, pytorchUniform } from './cell-init.js';
import { type BaseCellOptions, cellRng } from './cell-options.js';
import { expectShape, positiveInt } from './checks.js';
import { nativeStep } from './fused/native-step.js';
import { simpleRnnSequence } from './fused/simple-rnn-sequence.js';
import { tanh } from './ops/tanh.js';

export interface SimpleRNNCellOptions extends BaseCellOptions {
  /** `tanh` (default) or `relu` (Le et al. 2015's IRNN uses relu with identity init). */
  activation?: 'tanh' | 'relu';
  /** How the initial weights are drawn: `keras` (default) or `pytorch` (see {@link CellInit}). */
  init?: CellInit;
}

/**
 * The vanilla (Elman) RNN: h' = act(x·W + h·U + b). Weights: `kernel`
 * `[in, H]`, `recurrentKernel` `[H, H]`, `bias` `[H]`. State: `[h]`.
 */
export class SimpleRNNCell extends CellBase implements RecurrentCell {
  /** Always `rnn`. */
  readonly type = 'rnn' as const;
  /** Features per input step. */
  readonly inputSize: number;
  /** Hidden units H; the state and output are `[batch, H]`. */
  readonly units: number;
  readonly outputSize: number;
  readonly stateSizes: readonly number[];
  /** Activation of the new state (default `tanh`). */
  readonly activation: 'tanh' | 'relu';
  /** How the initial weights were drawn (default `keras`). */
  readonly init: CellInit;
  readonly sequence: RecurrentCell['sequence'];

  constructor(options: SimpleRNNCellOptions) {
    super();
    this.inputSize = positiveInt(options.inputSize, 'inputSize');
    this.units = positiveInt(options.units, 'units');
    this.activation = options.activation ?? 'tanh';
    if (this.activation !== 'tanh' && this.activation !== 'relu') {
      throw new ConfigError('activation', `must be "tanh" or "relu", got ${JSON.stringify(options.activation)}`);
    }
    this.init = cellInit(options.init);
    this.outputSize = this.units;
    this.stateSizes = [this.units];
    const rng = cellRng(options);
    const H = this.units;
    if (this.init === 'pytorch') {
      this.store.add('kernel', pytorchUniform(rng, [this.inputSize, H], H));
      this.store.add('recurrentKernel', pytorchUniform(rng, [H, H], H));
      this.store.add('bias', tf.tensor1d(pytorchSummedBias(rng, H, H)));
    } else {
      this.store.add('kernel', glorotUniform(rng, [this.inputSize, H]));
      this.store.add('recurrentKernel', orthogonal(rng, [H, H]));
      this.store.add('bias', tf.zeros([H]));
    }
    this.sequence = this.fusedSequence.bind(this);
  }

  initialState(batchSize: number): tf.Tensor[] {
    return [tf.zeros([batchSize, this.units])];
  }

  step(x: tf.Tensor, state: tf.Tensor[], options: StepOptions = {}): StepResult {
    expectShape(x, 'x', [undefined, this.inputSize], 'SimpleRNNCell.step');
    const h = state[0] as tf.Tensor;
    expectShape(h, 'state[0] (h)', [x.shape[0], this.units], 'SimpleRNNCell.step');
    const v = this.store.variables;
    const fast = nativeStep(this, v, x, state, options);
    if (fast) return fast;
    const hIn = options.recurrentMask ? tf.mul(h, options.recurrentMask) : h;
    const pre = tf.add(tf.add(tf.matMul(x, v.kernel!), tf.matMul(hIn, v.recurrentKernel!)), v.bias!);
    const hNew = this.activation === 'tanh' ? tanh(pre) : tf.relu(pre);
    const result: StepResult = { output: hNew, state: [hNew] };
    if (options.trace) result.trace = { h: hNew };
    return result;
  }

  private fusedSequence(
    x: tf.Tensor,
    state: tf.Tensor[],
    mask: tf.Tensor | undefined,
    reverse: boolean,
  ): SequenceResult {
    const v = this.store.variables;
    const { outputs, h } = simpleRnnSequence(
      x as tf.Tensor3D,
      v.kernel as tf.Tensor2D,
      v.recurrentKernel as tf.Tensor2D,
      v.bias as tf.Tensor1D,
      state[0] as tf.Tensor2D,
      this.activation,
      mask as tf.Tensor3D | undefined,
      reverse,
    );
    return { outputs, state: [h] };
  }

  /** The cell's config: sizes and activation. */
  getConfig(): CellConfigJson {
    return {
      type: 'rnn',
      inputSize: this.inputSize,
      units: this.units,
      activation: this.activation,
      init: this.init,
    };
  }
}
