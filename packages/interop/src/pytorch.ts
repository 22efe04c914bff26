import type { RecurrentCell, StackedRNN } from '@seqgen/cells';
import { ConfigError, ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { assertFinite, type ImportWeightsOptions } from './finite.js';
import { LSTM_SWAP_GO, reorderGates } from './gate-order.js';
import type { SafeTensor } from './safetensors.js';

/**
 * PyTorch `nn.RNN` / `nn.LSTM` / `nn.GRU` state dicts ⇄ a {@link StackedRNN}.
 * PyTorch keeps `weight_ih_l{k}[_reverse]` `[G·H, in]`, `weight_hh_l{k}` `[G·H, P]`,
 * `bias_ih_l{k}`, `bias_hh_l{k}` and, with `proj_size`, `weight_hr_l{k}` `[P, H]`;
 * LSTM gates are `[i, f, g, o]`, GRU `[r, z, n]` with the reset gate after the
 * recurrent matmul. seqgen transposes to `[in, G·H]`, keeps LSTM gates as
 * `[i, f, o, g]`, folds the two LSTM/RNN biases into one (they are only ever
 * summed) and keeps both GRU biases.
 *
 * Like `loadCheckpoint`, it refuses a NaN or infinite weight (a `NonFiniteError`
 * naming the tensor and index) unless `options.allowNonFinite` is set; nothing
 * is assigned then.
 */
export function importTorchWeights(
  rnn: StackedRNN,
  stateDict: Record<string, SafeTensor>,
  prefix = '',
  options: ImportWeightsOptions = {},
): void {
  const o = rnn.options;
  if (o.cell === 'gru' && !o.resetAfter) {
    throw new ConfigError(
      'resetAfter',
      'PyTorch GRU weights need resetAfter: true (PyTorch applies the reset gate after the matmul)',
    );
  }
  const pending: Array<[RecurrentCell, Record<string, tf.Tensor>]> = [];
  const used = new Set<string>();
  const take = (name: string, shape: number[]): tf.Tensor => {
    const key = `${prefix}${name}`;
    const t = stateDict[key];
    if (!t)
      throw new ShapeError(
        key,
        `present in the state dict (expected shape [${shape}])`,
        'missing',
        'importTorchWeights',
      );
    if (!tf.util.arraysEqual(t.shape, shape))
      throw new ShapeError(key, `[${shape}]`, `[${t.shape}]`, 'importTorchWeights');
    if (!options.allowNonFinite) assertFinite(key, t.data, 'importTorchWeights');
    used.add(key);
    return tf.tensor(t.data, t.shape, 'float32');
  };
  for (let l = 0; l < rnn.layers.length; l++) {
    rnn.cellsOf(l).forEach((cell, direction) => {
      const sfx = `_l${l}${direction ? '_reverse' : ''}`;
      const G = cell.type === 'lstm' ? 4 : cell.type === 'gru' ? 3 : 1;
      const H = cell.units;
      const P = cell.outputSize;
      const values = tf.tidy(() => {
        const fix = (t: tf.Tensor) => (cell.type === 'lstm' ? reorderGates(t, 4, LSTM_SWAP_GO) : t);
        const wih = take(`weight_ih${sfx}`, [G * H, cell.inputSize]);
        const whh = take(`weight_hh${sfx}`, [G * H, P]);
        const bih = take(`bias_ih${sfx}`, [G * H]);
        const bhh = take(`bias_hh${sfx}`, [G * H]);
        const out: Record<string, tf.Tensor> = {
          kernel: fix(tf.transpose(wih)),
          recurrentKernel: fix(tf.transpose(whh)),
        };
        if (cell.type === 'gru') {
          out.bias = bih;
          out.recurrentBias = bhh;
        } else {
          out.bias = fix(tf.add(bih, bhh));
        }
        if (cell.type === 'lstm' && P !== H) out.projection = tf.transpose(take(`weight_hr${sfx}`, [P, H]));
        return out;
      });
      pending.push([cell, values]);
    });
  }
  const extra = Object.keys(stateDict).filter(
    (k) => k.startsWith(prefix) && /^(weight|bias)_/.test(k.slice(prefix.length)) && !used.has(k),
  );
  try {
    if (extra.length) {
      throw new ShapeError(
        'stateDict',
        `weights for ${rnn.layers.length} layer(s) of this configuration`,
        `unexpected ${extra.join(', ')}`,
        'importTorchWeights',
      );
    }
    // Everything was read and shape-checked: now assign, so a bad file changes nothing.
    for (const [cell, values] of pending) cell.setWeights(values);
  } finally {
    for (const [, values] of pending) tf.dispose(Object.values(values));
  }
}

/** One tensor of the state dict {@link exportTorchWeights} returns, in PyTorch's layout. */
export type TorchTensorData = {
  /** PyTorch's shape of the tensor, e.g. `[G·H, inputSize]` for `weight_ih_l0` (G gates, H hidden units). */
  shape: number[];
  /** The values in row-major (C) order, as many as the shape's product. */
  data: Float32Array;
};

/** The PyTorch state dict of a {@link StackedRNN} (LSTM/RNN: the whole bias goes to `bias_ih`, `bias_hh` is zero). */
export function exportTorchWeights(rnn: StackedRNN): Record<string, TorchTensorData> {
  const out: Record<string, TorchTensorData> = {};
  const put = (name: string, t: tf.Tensor) => {
    out[name] = { shape: [...t.shape], data: t.dataSync() as Float32Array };
    t.dispose();
  };
  for (let l = 0; l < rnn.layers.length; l++) {
    rnn.cellsOf(l).forEach((cell, direction) => {
      const sfx = `_l${l}${direction ? '_reverse' : ''}`;
      const v = cell.variables;
      const fix = (t: tf.Tensor) => (cell.type === 'lstm' ? reorderGates(t, 4, LSTM_SWAP_GO) : t.clone());
      tf.tidy(() => {
        put(`weight_ih${sfx}`, tf.keep(tf.transpose(fix(v.kernel!))));
        put(`weight_hh${sfx}`, tf.keep(tf.transpose(fix(v.recurrentKernel!))));
        put(`bias_ih${sfx}`, tf.keep(fix(v.bias!)));
        put(`bias_hh${sfx}`, tf.keep(cell.type === 'gru' ? v.recurrentBias!.clone() : tf.zerosLike(v.bias!)));
        if (v.projection) put(`weight_hr${sfx}`, tf.keep(tf.transpose(v.projection)));
      });
    });
  }
  return out;
}
