import { buildFromConfig, isRegisteredConfigType, registerConfigType, type TypedConfig } from '@seqgen/core';
import type { Attention } from './attention/attention.js';
import { BahdanauAttention } from './attention/bahdanau-attention.js';
import { LocationSensitiveAttention } from './attention/location-sensitive-attention.js';
import { LuongAttention } from './attention/luong-attention.js';
import { Bidirectional } from './bidirectional.js';
import type { CellConfigJson, RecurrentCell } from './cell.js';
import type { CellInit } from './cell-init.js';
import { pick } from './config-fields.js';
import { ConvLSTM2DCell } from './conv-lstm-cell.js';
import { ConvLSTM2D } from './conv-lstm-layer.js';
import { GRUCell } from './gru-cell.js';
import { LSTMCell } from './lstm-cell.js';
import { RecurrentLayer } from './recurrent-layer.js';
import { SimpleRNNCell } from './simple-rnn-cell.js';
import { StackedRNN } from './stacked-rnn.js';

/**
 * The built-in `type`s of this package in core's one registry, under kinds
 * `cell` (factory `(config, seed?)`), `layer` (`(config, seed?)`) and
 * `attention` (`(config)`). They are registered by {@link registerBuiltinCells},
 * which every `*FromConfig` function of this package calls first: nothing
 * relies on an import side effect (the package is `sideEffects: false`).
 */

type Seeded<T> = (config: TypedConfig, seed?: number) => T;

const CELLS: Record<string, Seeded<RecurrentCell>> = {
  lstm: (c, seed = 0) =>
    new LSTMCell({
      ...sizes(c, seed),
      ...pick(c, 'forgetBias', 'number'),
      ...pick(c, 'projSize', 'number'),
      ...pick(c, 'layerNorm', 'boolean'),
      ...initOf(c),
    }),
  gru: (c, seed = 0) => new GRUCell({ ...sizes(c, seed), ...pick(c, 'resetAfter', 'boolean'), ...initOf(c) }),
  rnn: (c, seed = 0) =>
    new SimpleRNNCell({
      ...sizes(c, seed),
      ...(pick(c, 'activation', 'string') as { activation?: 'tanh' | 'relu' }),
      ...initOf(c),
    }),
  'conv-lstm': (c, seed = 0) =>
    new ConvLSTM2DCell({
      ...sizes(c, seed),
      ...(c.kernelSize === undefined ? {} : { kernelSize: c.kernelSize as number | [number, number] }),
      ...pick(c, 'forgetBias', 'number'),
    }),
};

/** A config's `init` when present (the cell checks its value). */
function initOf(c: TypedConfig): { init?: CellInit } {
  return pick(c, 'init', 'string') as { init?: CellInit };
}

const LAYERS: Record<string, Seeded<unknown>> = {
  recurrent: (c, seed) => RecurrentLayer.fromConfig(c, seed),
  bidirectional: (c, seed) => Bidirectional.fromConfig(c, seed),
  'stacked-rnn': (c) => StackedRNN.fromConfig(c),
  'conv-lstm-2d': (c, seed) => ConvLSTM2D.fromConfig(c, seed),
};

const ATTENTION: Record<string, (config: TypedConfig) => Attention> = {
  bahdanau: (c) => BahdanauAttention.fromConfig(c),
  luong: (c) => LuongAttention.fromConfig(c),
  'location-sensitive': (c) => LocationSensitiveAttention.fromConfig(c),
};

/**
 * Registers this package's cells (`lstm`, `gru`, `rnn`, `conv-lstm`), layers
 * (`recurrent`, `bidirectional`, `stacked-rnn`, `conv-lstm-2d`) and attention
 * (`bahdanau`, `luong`, `location-sensitive`) in core's registry. Idempotent, and a type someone
 * registered first (or replaced) is left as it is.
 */
export function registerBuiltinCells(): void {
  for (const [kind, table] of [
    ['cell', CELLS],
    ['layer', LAYERS],
    ['attention', ATTENTION],
  ] as const) {
    for (const [type, factory] of Object.entries(table)) {
      if (!isRegisteredConfigType(kind, type)) registerConfigType(kind, type, factory);
    }
  }
}

/** Rebuilds a cell from its `getConfig()` JSON (weights are re-initialized from `seed`); any registered `cell` type. */
export function cellFromConfig(config: CellConfigJson | TypedConfig, seed = 0): RecurrentCell {
  registerBuiltinCells();
  return buildFromConfig<RecurrentCell, [number]>('cell', config, seed);
}

/**
 * Rebuilds a layer from its `getConfig()` JSON: `recurrent` → {@link RecurrentLayer},
 * `bidirectional` → {@link Bidirectional}, `stacked-rnn` → {@link StackedRNN} (its
 * config carries its own seed), `conv-lstm-2d` → {@link ConvLSTM2D}, or any registered
 * `layer` type. Weights are re-initialized from `seed` (default 0).
 */
export function layerFromConfig<L = RecurrentLayer | Bidirectional | StackedRNN | ConvLSTM2D>(
  config: TypedConfig,
  seed = 0,
): L {
  registerBuiltinCells();
  return buildFromConfig<L, [number]>('layer', config, seed);
}

/** Rebuilds an attention mechanism (`bahdanau`, `luong`, or any registered `attention` type) from its config. */
export function attentionFromConfig<A extends Attention = Attention>(config: TypedConfig): A {
  registerBuiltinCells();
  return buildFromConfig<A>('attention', config);
}

function sizes(c: TypedConfig, seed: number): { inputSize: number; units: number; seed: number } {
  return { inputSize: c.inputSize as number, units: c.units as number, seed };
}
