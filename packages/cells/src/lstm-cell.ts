import { glorotUniform, orthogonal } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import type { CellConfigJson, RecurrentCell, SequenceResult, StepOptions, StepResult } from './cell.js';
import { CellBase } from './cell-base.js';
import { type CellInit, cellInit, defaultForgetBias, pytorchSummedBias, pytorchUniform } from './cell-init.js';
import { type BaseCellOptions, cellRng } from './cell-options.js';
import { expectShape, positiveInt } from './checks.js';
import { lstmSequence } from './fused/lstm-sequence.js';
import { nativeStep } from './fused/native-step.js';
import { fastSplit } from './kernels/fast-split.js';
import { layerNorm } from './layer-norm.js';
import { tanh } from './ops/tanh.js';

export interface LSTMCellOptions extends BaseCellOptions {
  /** Added to the forget gate's initial bias (default 1 with `init: 'keras'`, Jozefowicz et al. 2015; 0 with `pytorch`, PyTorch's draw). */
  forgetBias?: number;
  /** How the initial weights are drawn: `keras` (default) or `pytorch` (see {@link CellInit}). */
  init?: CellInit;
  /** Project h to this size after each step, as PyTorch `proj_size` does (default: none). */
  projSize?: number;
  /** Layer-normalize the input and recurrent pre-activations and the cell state (default false). */
  layerNorm?: boolean;
}

/**
 * Long short-term memory cell (Hochreiter & Schmidhuber 1997):
 * i, f, o = σ(·), g = tanh(·), c' = f⊙c + i⊙g, h' = o⊙tanh(c') [· W_hr].
 * Weights: `kernel` `[in, 4H]`, `recurrentKernel` `[P or H, 4H]`, `bias` `[4H]`,
 * gates laid out `[i, f, o, g]` (interop converts to PyTorch/Keras `[i, f, g, o]`).
 * State: `[h, c]`.
 */
export class LSTMCell extends CellBase implements RecurrentCell {
  /** Always `lstm`. */
  readonly type = 'lstm' as const;
  /** Features per input step. */
  readonly inputSize: number;
  /** Hidden units H: the cell state `c` is `[batch, H]`. */
  readonly units: number;
  readonly outputSize: number;
  readonly stateSizes: readonly number[];
  /** Added to the forget gate's initial bias (default 1 with `init: 'keras'`, 0 with `pytorch`). */
  readonly forgetBias: number;
  /** How the initial weights were drawn (default `keras`). */
  readonly init: CellInit;
  /** Size P that h is projected to after each step, or undefined for no projection. */
  readonly projSize: number | undefined;
  /** Whether pre-activations and the cell state are layer-normalized (default false). */
  readonly layerNorm: boolean;

  constructor(options: LSTMCellOptions) {
    super();
    this.inputSize = positiveInt(options.inputSize, 'inputSize');
    this.units = positiveInt(options.units, 'units');
    this.projSize = options.projSize === undefined ? undefined : positiveInt(options.projSize, 'projSize');
    this.layerNorm = options.layerNorm ?? false;
    this.init = cellInit(options.init);
    this.forgetBias = options.forgetBias ?? defaultForgetBias(this.init);
    const H = this.units;
    const P = this.projSize ?? H;
    this.outputSize = P;
    this.stateSizes = [P, H];
    const rng = cellRng(options);
    const torch = this.init === 'pytorch';
    this.store.add(
      'kernel',
      torch ? pytorchUniform(rng, [this.inputSize, 4 * H], H) : glorotUniform(rng, [this.inputSize, 4 * H]),
    );
    this.store.add('recurrentKernel', torch ? pytorchUniform(rng, [P, 4 * H], H) : orthogonal(rng, [P, 4 * H]));
    const bias = torch ? pytorchSummedBias(rng, 4 * H, H) : new Float32Array(4 * H);
    for (let j = H; j < 2 * H; j++) bias[j] = (bias[j] as number) + this.forgetBias;
    this.store.add('bias', tf.tensor1d(bias));
    if (this.projSize !== undefined) {
      this.store.add('projection', torch ? pytorchUniform(rng, [H, P], H) : glorotUniform(rng, [H, P]));
    }
    if (this.layerNorm) {
      this.store.add('inputGamma', tf.ones([4 * H]));
      this.store.add('inputBeta', tf.zeros([4 * H]));
      this.store.add('recurrentGamma', tf.ones([4 * H]));
      this.store.add('recurrentBeta', tf.zeros([4 * H]));
      this.store.add('cellGamma', tf.ones([H]));
      this.store.add('cellBeta', tf.zeros([H]));
    }
    // The fused kernel covers the plain LSTM; projection and layer norm use the step loop.
    this.sequence = this.projSize === undefined && !this.layerNorm ? this.fusedSequence.bind(this) : undefined;
  }

  initialState(batchSize: number): tf.Tensor[] {
    return [tf.zeros([batchSize, this.outputSize]), tf.zeros([batchSize, this.units])];
  }

  step(x: tf.Tensor, state: tf.Tensor[], options: StepOptions = {}): StepResult {
    const H = this.units;
    expectShape(x, 'x', [undefined, this.inputSize], 'LSTMCell.step');
    const [h, c] = state as [tf.Tensor, tf.Tensor];
    expectShape(h, 'state[0] (h)', [x.shape[0], this.outputSize], 'LSTMCell.step');
    expectShape(c, 'state[1] (c)', [x.shape[0], H], 'LSTMCell.step');
    const v = this.store.variables;
    if (this.sequence) {
      const fast = nativeStep(this, v, x, state, options);
      if (fast) return fast;
    }
    const hIn = options.recurrentMask ? tf.mul(h, options.recurrentMask) : h;
    let xw = tf.matMul(x, v.kernel!);
    let hu = tf.matMul(hIn, v.recurrentKernel!);
    if (this.layerNorm) {
      xw = layerNorm(xw, v.inputGamma!, v.inputBeta!);
      hu = layerNorm(hu, v.recurrentGamma!, v.recurrentBeta!);
    }
    const z = tf.add(tf.add(xw, hu), v.bias!);
    const [zs, zg] = fastSplit(z, [3 * H, H], 1);
    const [i, f, o] = fastSplit(tf.sigmoid(zs!), 3, 1);
    const g = tanh(zg!);
    const cNew = tf.add(tf.mul(f!, c), tf.mul(i!, g));
    const cOut = this.layerNorm ? layerNorm(cNew, v.cellGamma!, v.cellBeta!) : cNew;
    let hNew = tf.mul(o!, tanh(cOut));
    if (v.projection) hNew = tf.matMul(hNew, v.projection);
    const result: StepResult = { output: hNew, state: [hNew, cNew] };
    if (options.trace) result.trace = { i: i!, f: f!, g, o: o!, c: cNew, h: hNew };
    return result;
  }

  readonly sequence: RecurrentCell['sequence'];

  private fusedSequence(
    x: tf.Tensor,
    state: tf.Tensor[],
    mask: tf.Tensor | undefined,
    reverse: boolean,
  ): SequenceResult {
    const v = this.store.variables;
    const { outputs, h, c } = lstmSequence(
      x as tf.Tensor3D,
      v.kernel as tf.Tensor2D,
      v.recurrentKernel as tf.Tensor2D,
      v.bias as tf.Tensor1D,
      state[0] as tf.Tensor2D,
      state[1] as tf.Tensor2D,
      mask as tf.Tensor3D | undefined,
      reverse,
    );
    return { outputs, state: [h, c] };
  }

  /** The cell's config: sizes, forget bias, projection, layer normalization and initialization. */
  getConfig(): CellConfigJson {
    return {
      type: 'lstm',
      inputSize: this.inputSize,
      units: this.units,
      forgetBias: this.forgetBias,
      projSize: this.projSize ?? null,
      layerNorm: this.layerNorm,
      init: this.init,
    };
  }
}
