import { glorotUniform, orthogonal } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import type { CellConfigJson, RecurrentCell, SequenceResult, StepOptions, StepResult } from './cell.js';
import { CellBase } from './cell-base.js';
import { type CellInit, cellInit, pytorchSummedBias, pytorchUniform } from './cell-init.js';
import { type BaseCellOptions, cellRng } from './cell-options.js';
import { expectShape, positiveInt } from './checks.js';
import { gruSequence } from './fused/gru-sequence.js';
import { nativeStep } from './fused/native-step.js';
import { fastSplit } from './kernels/fast-split.js';
import { tanh } from './ops/tanh.js';

export interface GRUCellOptions extends BaseCellOptions {
  /**
   * Apply the reset gate after the recurrent matmul (default true: PyTorch,
   * cuDNN, Keras 2 `reset_after=true`) or before it (Cho et al. 2014, Keras
   * `reset_after=false`).
   */
  resetAfter?: boolean;
  /** How the initial weights are drawn: `keras` (default) or `pytorch` (see {@link CellInit}). */
  init?: CellInit;
}

/**
 * Gated recurrent unit (Cho et al. 2014). Gate layout `[r, z, n]`, as PyTorch:
 * r, z = σ(·), n = tanh(x·W_n + b_n + r⊙(h·U_n + c_n)) when `resetAfter`,
 * else n = tanh(x·W_n + b_n + (r⊙h)·U_n); h' = (1 − z)⊙n + z⊙h.
 * Weights: `kernel` `[in, 3H]`, `recurrentKernel` `[H, 3H]`, `bias` `[3H]`,
 * and `recurrentBias` `[3H]` when `resetAfter`. State: `[h]`.
 */
export class GRUCell extends CellBase implements RecurrentCell {
  /** Always `gru`. */
  readonly type = 'gru' as const;
  /** Features per input step. */
  readonly inputSize: number;
  /** Hidden units H; the state and output are `[batch, H]`. */
  readonly units: number;
  readonly outputSize: number;
  readonly stateSizes: readonly number[];
  /** Whether the reset gate applies after the recurrent matmul (default true, PyTorch/cuDNN). */
  readonly resetAfter: boolean;
  /** How the initial weights were drawn (default `keras`). */
  readonly init: CellInit;
  readonly sequence: RecurrentCell['sequence'];

  constructor(options: GRUCellOptions) {
    super();
    this.inputSize = positiveInt(options.inputSize, 'inputSize');
    this.units = positiveInt(options.units, 'units');
    this.resetAfter = options.resetAfter ?? true;
    this.init = cellInit(options.init);
    this.outputSize = this.units;
    this.stateSizes = [this.units];
    const H = this.units;
    const rng = cellRng(options);
    if (this.init === 'pytorch') {
      // Reset-after keeps PyTorch's two biases (b_ih, b_hh); reset-before has one, their sum.
      this.store.add('kernel', pytorchUniform(rng, [this.inputSize, 3 * H], H));
      this.store.add('recurrentKernel', pytorchUniform(rng, [H, 3 * H], H));
      if (this.resetAfter) {
        this.store.add('bias', pytorchUniform(rng, [3 * H], H));
        this.store.add('recurrentBias', pytorchUniform(rng, [3 * H], H));
      } else this.store.add('bias', tf.tensor1d(pytorchSummedBias(rng, 3 * H, H)));
    } else {
      this.store.add('kernel', glorotUniform(rng, [this.inputSize, 3 * H]));
      this.store.add('recurrentKernel', orthogonal(rng, [H, 3 * H]));
      this.store.add('bias', tf.zeros([3 * H]));
      if (this.resetAfter) this.store.add('recurrentBias', tf.zeros([3 * H]));
    }
    this.sequence = this.resetAfter ? this.fusedSequence.bind(this) : undefined;
  }

  initialState(batchSize: number): tf.Tensor[] {
    return [tf.zeros([batchSize, this.units])];
  }

  step(x: tf.Tensor, state: tf.Tensor[], options: StepOptions = {}): StepResult {
    const H = this.units;
    expectShape(x, 'x', [undefined, this.inputSize], 'GRUCell.step');
    const h = state[0] as tf.Tensor;
    expectShape(h, 'state[0] (h)', [x.shape[0], H], 'GRUCell.step');
    const v = this.store.variables;
    if (this.resetAfter) {
      const fast = nativeStep(this, v, x, state, options);
      if (fast) return fast;
    }
    const hIn = options.recurrentMask ? tf.mul(h, options.recurrentMask) : h;
    const xw = tf.add(tf.matMul(x, v.kernel!), v.bias!);
    const [xrz, xn] = fastSplit(xw, [2 * H, H], 1);
    let r: tf.Tensor;
    let z: tf.Tensor;
    let n: tf.Tensor;
    if (this.resetAfter) {
      const hu = tf.add(tf.matMul(hIn, v.recurrentKernel!), v.recurrentBias!);
      const [hrz, hn] = fastSplit(hu, [2 * H, H], 1);
      [r, z] = fastSplit(tf.sigmoid(tf.add(xrz!, hrz!)), 2, 1) as [tf.Tensor, tf.Tensor];
      n = tanh(tf.add(xn!, tf.mul(r, hn!)));
    } else {
      const [urz, un] = fastSplit(v.recurrentKernel!, [2 * H, H], 1);
      [r, z] = fastSplit(tf.sigmoid(tf.add(xrz!, tf.matMul(hIn, urz!))), 2, 1) as [tf.Tensor, tf.Tensor];
      n = tanh(tf.add(xn!, tf.matMul(tf.mul(r, hIn), un!)));
    }
    const hNew = tf.add(n, tf.mul(z, tf.sub(h, n)));
    const result: StepResult = { output: hNew, state: [hNew] };
    if (options.trace) result.trace = { r, z, n, h: hNew };
    return result;
  }

  private fusedSequence(
    x: tf.Tensor,
    state: tf.Tensor[],
    mask: tf.Tensor | undefined,
    reverse: boolean,
  ): SequenceResult {
    const v = this.store.variables;
    const { outputs, h } = gruSequence(
      x as tf.Tensor3D,
      v.kernel as tf.Tensor2D,
      v.recurrentKernel as tf.Tensor2D,
      v.bias as tf.Tensor1D,
      v.recurrentBias as tf.Tensor1D,
      state[0] as tf.Tensor2D,
      mask as tf.Tensor3D | undefined,
      reverse,
    );
    return { outputs, state: [h] };
  }

  /** The cell's config: sizes, `resetAfter` and `init`. */
  getConfig(): CellConfigJson {
    return {
      type: 'gru',
      inputSize: this.inputSize,
      units: this.units,
      resetAfter: this.resetAfter,
      init: this.init,
    };
  }
}
