import { ConfigError } from '@seqgen/core';
import type { CellConfigJson, RecurrentCell } from './cell.js';
import { GRUCell } from './gru-cell.js';
import { LSTMCell } from './lstm-cell.js';
import { SimpleRNNCell } from './simple-rnn-cell.js';

/** Rebuilds a cell from its `getConfig()` JSON (weights are re-initialized from `seed`). */
export function cellFromConfig(config: CellConfigJson, seed = 0): RecurrentCell {
  const base = { inputSize: config.inputSize, units: config.units, seed };
  switch (config.type) {
    case 'lstm': {
      const options: ConstructorParameters<typeof LSTMCell>[0] = { ...base };
      if (typeof config.forgetBias === 'number') options.forgetBias = config.forgetBias;
      if (typeof config.projSize === 'number') options.projSize = config.projSize;
      if (typeof config.layerNorm === 'boolean') options.layerNorm = config.layerNorm;
      return new LSTMCell(options);
    }
    case 'gru':
      return new GRUCell({ ...base, resetAfter: config.resetAfter !== false });
    case 'rnn':
      return new SimpleRNNCell({ ...base, activation: config.activation === 'relu' ? 'relu' : 'tanh' });
    default:
      throw new ConfigError('type', `unknown cell type ${JSON.stringify(config.type)}; expected lstm, gru or rnn`);
  }
}
