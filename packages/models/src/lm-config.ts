import { assertPositiveInteger, ConfigError } from '@seqgen/core';

/** The recurrent cell of every layer. */
export type LMCellType = 'lstm' | 'gru' | 'rnn';

/** Config `type` of {@link RecurrentLMConfig}; the checkpoint registry dispatches on it. */
export const RECURRENT_LM_TYPE = 'recurrent-lm';

/**
 * Everything that defines a recurrent language model, as plain JSON: this is
 * what a checkpoint stores and `fromConfig` rebuilds the model from.
 * (A type alias, not an interface, so that it is assignable to core's `ModelConfig`.)
 */
export type RecurrentLMConfig = {
  type: typeof RECURRENT_LM_TYPE;
  /** Tokens in the vocabulary: rows of the embedding, columns of the logits. */
  vocabSize: number;
  /** Width of the token embedding. */
  embeddingSize: number;
  cell: LMCellType;
  /** Units per recurrent layer. */
  hiddenSize: number;
  numLayers: number;
  /** LSTM only: project each layer's output to this size (PyTorch `proj_size`); null for none. */
  projSize: number | null;
  /** Dropout between recurrent layers while training. */
  dropout: number;
  /** Variational dropout on the recurrent state inside every layer (uses the slower step loop). */
  recurrentDropout: number;
  /** Drops whole vocabulary rows of the embedding while training (Gal & Ghahramani): a dropped token type is zero everywhere in the batch. */
  embeddingDropout: number;
  /** Dropout on the top layer's output before the output projection, one mask per sequence. */
  outputDropout: number;
  /** Use the embedding (transposed) as the output kernel; needs `embeddingSize` = the top layer's output size. */
  tieWeights: boolean;
  /** LSTM only: layer normalization inside the cell. */
  layerNorm: boolean;
  /** LSTM only: initial forget-gate bias. */
  forgetBias: number;
  /** GRU only: reset gate applied after the recurrent matmul (PyTorch/cuDNN convention). */
  resetAfter: boolean;
  /** Vanilla RNN only: activation. */
  activation: 'tanh' | 'relu';
  /** Seed of the initial weights and of the model's own dropout masks. */
  seed: number;
};

/** What a caller writes: `vocabSize`, `embeddingSize` and `hiddenSize` are required, the rest has defaults. */
export type RecurrentLMOptions = Partial<Omit<RecurrentLMConfig, 'type'>> &
  Pick<RecurrentLMConfig, 'vocabSize' | 'embeddingSize' | 'hiddenSize'> & { type?: typeof RECURRENT_LM_TYPE };

export const DEFAULT_RECURRENT_LM_CONFIG: Omit<RecurrentLMConfig, 'vocabSize' | 'embeddingSize' | 'hiddenSize'> = {
  type: RECURRENT_LM_TYPE,
  cell: 'lstm',
  numLayers: 1,
  projSize: null,
  dropout: 0,
  recurrentDropout: 0,
  embeddingDropout: 0,
  outputDropout: 0,
  tieWeights: false,
  layerNorm: false,
  forgetBias: 1,
  resetAfter: true,
  activation: 'tanh',
  seed: 0,
};

const KNOWN_FIELDS = new Set(['vocabSize', 'embeddingSize', 'hiddenSize', ...Object.keys(DEFAULT_RECURRENT_LM_CONFIG)]);

/**
 * Fills defaults and checks every field, so that a bad config fails here with
 * a ConfigError naming the field rather than deep inside tfjs. Unknown fields
 * are errors too: a misspelt `embedingSize` must not silently fall back to a default.
 */
export function resolveLMConfig(options: RecurrentLMOptions): RecurrentLMConfig {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError('config', `must be an object, got ${options === null ? 'null' : typeof options}`);
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_FIELDS.has(key)) throw new ConfigError(key, `is not a ${RECURRENT_LM_TYPE} setting`);
  }
  if (options.type !== undefined && options.type !== RECURRENT_LM_TYPE) {
    throw new ConfigError('type', `expected "${RECURRENT_LM_TYPE}", got ${JSON.stringify(options.type)}`);
  }
  const c = { ...DEFAULT_RECURRENT_LM_CONFIG, ...definedOnly(options), type: RECURRENT_LM_TYPE } as RecurrentLMConfig;
  for (const field of ['vocabSize', 'embeddingSize', 'hiddenSize', 'numLayers'] as const) positiveInt(c[field], field);
  if (!['lstm', 'gru', 'rnn'].includes(c.cell)) {
    throw new ConfigError('cell', `must be "lstm", "gru" or "rnn", got ${JSON.stringify(c.cell)}`);
  }
  if (c.projSize !== null) {
    positiveInt(c.projSize, 'projSize');
    if (c.cell !== 'lstm') throw new ConfigError('projSize', `is only supported by lstm cells, not ${c.cell}`);
  }
  for (const field of ['dropout', 'recurrentDropout', 'embeddingDropout', 'outputDropout'] as const) {
    const rate = c[field];
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
      throw new ConfigError(field, `must be a number in [0, 1), got ${String(rate)}`);
    }
  }
  if (c.layerNorm === true && c.cell !== 'lstm') {
    throw new ConfigError('layerNorm', `is only supported by lstm cells, not ${c.cell}`);
  }
  for (const field of ['tieWeights', 'layerNorm', 'resetAfter'] as const) {
    if (typeof c[field] !== 'boolean') throw new ConfigError(field, `must be true or false, got ${String(c[field])}`);
  }
  if (typeof c.forgetBias !== 'number' || !Number.isFinite(c.forgetBias)) {
    throw new ConfigError('forgetBias', `must be a finite number, got ${String(c.forgetBias)}`);
  }
  if (c.activation !== 'tanh' && c.activation !== 'relu') {
    throw new ConfigError('activation', `must be "tanh" or "relu", got ${JSON.stringify(c.activation)}`);
  }
  if (!Number.isInteger(c.seed) || c.seed < 0) {
    throw new ConfigError('seed', `must be a non-negative integer, got ${String(c.seed)}`);
  }
  const top = topOutputSize(c);
  if (c.tieWeights && top !== c.embeddingSize) {
    throw new ConfigError(
      'tieWeights',
      `needs embeddingSize (${c.embeddingSize}) to equal the top layer's output size (${top}, ${c.projSize !== null ? 'projSize' : 'hiddenSize'})`,
    );
  }
  return c;
}

/** Width of what the recurrent stack hands to the output projection. */
export function topOutputSize(config: Pick<RecurrentLMConfig, 'hiddenSize' | 'projSize'>): number {
  return config.projSize ?? config.hiddenSize;
}

function positiveInt(value: unknown, field: string): void {
  assertPositiveInteger(field, value);
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
