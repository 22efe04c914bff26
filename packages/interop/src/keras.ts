import type { RecurrentCell } from '@seqgen/cells';
import { ConfigError, ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { assertFinite, type ImportWeightsOptions } from './finite.js';
import { GRU_SWAP_ZR, LSTM_SWAP_GO, reorderGates } from './gate-order.js';

/**
 * Keras `SimpleRNN` / `LSTM` / `GRU` weights, in the order `layer.get_weights()`
 * returns them: `[kernel [in, G·H], recurrent_kernel [H, G·H], bias]`. LSTM gates
 * are `[i, f, c, o]`, GRU gates `[z, r, h]`; a GRU with `reset_after=True` has
 * bias `[2, 3H]` (input bias, recurrent bias), with `reset_after=False` `[3H]`.
 */
export interface KerasWeights {
  /** Input kernel `[in, G·H]`: input size by gates × units, in Keras's gate order. */
  kernel: tf.Tensor;
  /** Recurrent kernel `[H, G·H]`: units by gates × units, in Keras's gate order. */
  recurrentKernel: tf.Tensor;
  /** Bias `[G·H]`; for a GRU with `reset_after=True`, `[2, 3H]` (input bias, then recurrent bias). */
  bias: tf.Tensor;
}

function gateFix(cell: RecurrentCell): (t: tf.Tensor) => tf.Tensor {
  if (cell.type === 'lstm') return (t) => reorderGates(t, 4, LSTM_SWAP_GO);
  if (cell.type === 'gru') return (t) => reorderGates(t, 3, GRU_SWAP_ZR);
  return (t) => t.clone();
}

/**
 * Loads Keras weights into a seqgen cell (shapes checked before anything
 * changes). A NaN or infinite weight is refused with a `NonFiniteError` naming
 * it, as `loadCheckpoint` does, unless `options.allowNonFinite` is set.
 */
export function importKerasWeights(
  cell: RecurrentCell,
  weights: KerasWeights,
  options: ImportWeightsOptions = {},
): void {
  if (cell.type === 'conv-lstm') throw new ConfigError('cell', 'Keras import covers SimpleRNN, LSTM and GRU');
  if (cell.type === 'lstm' && cell.outputSize !== cell.units)
    throw new ConfigError('projSize', 'Keras LSTM has no projection');
  const G = cell.type === 'lstm' ? 4 : cell.type === 'gru' ? 3 : 1;
  const H = cell.units;
  const resetAfter = cell.type === 'gru' && 'recurrentBias' in cell.variables;
  const expect = (t: tf.Tensor, name: string, shape: number[]) => {
    if (!tf.util.arraysEqual(t.shape, shape))
      throw new ShapeError(name, `[${shape}]`, `[${t.shape}]`, 'importKerasWeights');
  };
  expect(weights.kernel, 'kernel', [cell.inputSize, G * H]);
  expect(weights.recurrentKernel, 'recurrentKernel', [H, G * H]);
  expect(weights.bias, 'bias', resetAfter ? [2, G * H] : [G * H]);
  if (!options.allowNonFinite) {
    for (const name of ['kernel', 'recurrentKernel', 'bias'] as const) {
      assertFinite(name, weights[name].dataSync(), 'importKerasWeights');
    }
  }
  const values = tf.tidy(() => {
    const fix = gateFix(cell);
    const out: Record<string, tf.Tensor> = {
      kernel: fix(weights.kernel),
      recurrentKernel: fix(weights.recurrentKernel),
    };
    if (resetAfter) {
      const [b, rb] = tf.unstack(weights.bias, 0);
      out.bias = fix(b!);
      out.recurrentBias = fix(rb!);
    } else {
      out.bias = fix(weights.bias);
    }
    return out;
  });
  try {
    cell.setWeights(values);
  } finally {
    tf.dispose(Object.values(values));
  }
}

/** A seqgen cell's weights in Keras layout (the caller disposes them). */
export function exportKerasWeights(cell: RecurrentCell): KerasWeights {
  if (cell.type === 'lstm' && cell.outputSize !== cell.units)
    throw new ConfigError('projSize', 'Keras LSTM has no projection');
  return tf.tidy(() => {
    const v = cell.variables;
    const fix = gateFix(cell);
    const bias = v.recurrentBias ? tf.stack([fix(v.bias!), fix(v.recurrentBias)]) : fix(v.bias!);
    return { kernel: fix(v.kernel!), recurrentKernel: fix(v.recurrentKernel!), bias };
  });
}
