import { ConfigError, type Rng, randomUniform } from '@seqgen/core';
import type * as tf from '@tensorflow/tfjs';

/**
 * How a recurrent cell draws its initial weights:
 * - `keras` (the cells' default): Glorot-uniform input kernel, orthogonal
 *   recurrent kernel, zero biases (plus the LSTM's `forgetBias`), as Keras does.
 * - `pytorch`: every kernel and bias uniform in ±1/√units, as `torch.nn.LSTM`,
 *   `GRU` and `RNN` draw them. PyTorch has two biases (`b_ih`, `b_hh`) where
 *   seqgen's cells have one (the reset-after GRU has both), so a single bias
 *   is drawn as the sum of two such draws: the same distribution of the
 *   effective bias. An LSTM's `forgetBias` is added on top; its default is 0
 *   here (PyTorch's draw) and 1 with `keras`.
 *
 * The two train differently: in the char-LSTM language model of the apps/text
 * README ("Learning per step"), PyTorch's draw learns faster per step (mostly
 * through the model's embedding), and a forget bias of 1 added to PyTorch's
 * cell draw slows it down again.
 */
export type CellInit = 'keras' | 'pytorch';

/** Every {@link CellInit}, in the order error messages list them. */
export const CELL_INITS: readonly CellInit[] = ['keras', 'pytorch'];

/** The option, checked (default `keras`): anything but a {@link CellInit} is a ConfigError naming `init`. */
export function cellInit(value: unknown): CellInit {
  if (value === undefined) return 'keras';
  if (value === 'keras' || value === 'pytorch') return value;
  throw new ConfigError(
    'init',
    `must be one of ${CELL_INITS.map((v) => `"${v}"`).join(', ')}, got ${JSON.stringify(value)}`,
  );
}

/** The LSTM forget-gate bias an `init` adds unless told otherwise: 1 for `keras` (Jozefowicz et al. 2015), 0 for `pytorch`. */
export function defaultForgetBias(init: CellInit): number {
  return init === 'keras' ? 1 : 0;
}

/** PyTorch's draw for a recurrent weight of a cell with `units` hidden units: uniform in ±1/√units. */
export function pytorchUniform(rng: Rng, shape: readonly number[], units: number): tf.Tensor {
  const k = 1 / Math.sqrt(units);
  return randomUniform(rng, shape, -k, k);
}

/** One bias standing for PyTorch's `b_ih + b_hh`: the sum of two {@link pytorchUniform} draws. */
export function pytorchSummedBias(rng: Rng, size: number, units: number): Float32Array {
  const k = 1 / Math.sqrt(units);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = rng.uniform(-k, k);
  for (let i = 0; i < size; i++) out[i] = (out[i] as number) + rng.uniform(-k, k);
  return out;
}
