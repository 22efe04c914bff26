import { linear } from '@seqgen/cells';
import * as tf from '@tensorflow/tfjs';
import type { Seq2SeqCell } from './seq2seq-config.js';

/** One layer's weights, as `StackedRNN.variables` names them (`kernel`, `recurrentKernel`, `bias`, GRU `recurrentBias`). */
export interface LayerWeights {
  kernel: tf.Tensor2D;
  recurrentKernel: tf.Tensor2D;
  bias: tf.Tensor1D;
  recurrentBias?: tf.Tensor1D;
}

/**
 * The input side of a layer's gates, `x·W + b` `[…, gates]`, as one matmul
 * (the bias goes here for both cells; for LSTM that is where the cell adds it
 * too, up to float rounding order).
 */
export function inputGates(x: tf.Tensor, w: LayerWeights): tf.Tensor {
  return linear(x, w.kernel, w.bias);
}

/**
 * One step of a `@seqgen/cells` LSTM or GRU (reset gate after the recurrent
 * matmul) from its precomputed input gates `xw` `[B, gates]`: the same
 * formulas and weights as the cells' `step`, written with `linear`, whose
 * gradient transposes explicitly — under a gradient tape the cells' per-step
 * `tf.matMul` differentiates through transposed products, which the wasm
 * backend runs ~12× slower. Teacher-forced training with input feeding runs
 * this once per target position.
 */
export function cellStep(
  cell: Seq2SeqCell,
  xw: tf.Tensor,
  state: readonly tf.Tensor[],
  w: LayerWeights,
  units: number,
): tf.Tensor[] {
  const h = state[0] as tf.Tensor;
  if (cell === 'gru') {
    const hu = linear(h, w.recurrentKernel, w.recurrentBias);
    const [xrz, xn] = tf.split(xw, [2 * units, units], 1) as [tf.Tensor, tf.Tensor];
    const [hrz, hn] = tf.split(hu, [2 * units, units], 1) as [tf.Tensor, tf.Tensor];
    const [r, z] = tf.split(tf.sigmoid(tf.add(xrz, hrz)), 2, 1) as [tf.Tensor, tf.Tensor];
    const n = tf.tanh(tf.add(xn, tf.mul(r, hn)));
    return [tf.add(n, tf.mul(z, tf.sub(h, n)))];
  }
  const c = state[1] as tf.Tensor;
  const gates = tf.add(xw, linear(h, w.recurrentKernel));
  const [ifo, g] = tf.split(gates, [3 * units, units], 1) as [tf.Tensor, tf.Tensor];
  const [i, f, o] = tf.split(tf.sigmoid(ifo), 3, 1) as [tf.Tensor, tf.Tensor, tf.Tensor];
  const cNew = tf.add(tf.mul(f, c), tf.mul(i, tf.tanh(g)));
  return [tf.mul(o, tf.tanh(cNew)), cNew];
}
