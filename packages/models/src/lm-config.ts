import { StackedRNN } from '@seqgen/cells';
import { assertPositiveInteger, ConfigError, describeValue } from '@seqgen/core';
import { atMost, checkConfigFields, definedOnly } from './config-checks.js';
import { LM_INITS, type LMInit } from './lm-init.js';

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
  /** Always `recurrent-lm`: the registry type that rebuilds the model. */
  type: typeof RECURRENT_LM_TYPE;
  /** Tokens in the vocabulary: rows of the embedding, columns of the logits. */
  vocabSize: number;
  /** Width of the token embedding. */
  embeddingSize: number;
  /** Recurrent cell of every layer: `lstm`, `gru` or `rnn` (default `lstm`). */
  cell: LMCellType;
  /** Units per recurrent layer. */
  hiddenSize: number;
  /** Stacked recurrent layers (default 1). */
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
  /** LSTM only: added to the forget gate's initial bias (default 1; 0 with `init: 'pytorch'`, PyTorch's draw). */
  forgetBias: number;
  /** How the initial weights are drawn: `seqgen` (default), `pytorch` or `keras` (seqgen's earlier draw); see {@link LMInit}. */
  init: LMInit;
  /** GRU only: reset gate applied after the recurrent matmul (PyTorch/cuDNN convention). */
  resetAfter: boolean;
  /** Vanilla RNN only: activation. */
  activation: 'tanh' | 'relu';
  /** Seed of the initial weights and of the model's own dropout masks. */
  seed: number;
};

/** What a caller writes: `vocabSize`, `embeddingSize` and `hiddenSize` are required, the rest has defaults. */
export type RecurrentLMOptions = Partial<Omit<RecurrentLMConfig, 'type'>> &
  Pick<RecurrentLMConfig, 'vocabSize' | 'embeddingSize' | 'hiddenSize'> &
  RecurrentLMTag;

/** The optional tag of {@link RecurrentLMOptions}, so that a saved {@link RecurrentLMConfig} can be passed back as options. */
export type RecurrentLMTag = {
  /** `'recurrent-lm'` ({@link RECURRENT_LM_TYPE}) when given; the only value allowed. */
  type?: typeof RECURRENT_LM_TYPE;
};

/** Defaults filled into every field but the required sizes: one LSTM layer, no dropout, untied, seed 0. */
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
  init: 'seqgen',
  resetAfter: true,
  activation: 'tanh',
  seed: 0,
};

/**
 * Upper bounds on a config's sizes, checked before anything is allocated, so
 * that a config from a file cannot ask for a model no machine could hold.
 */
export interface LMConfigLimits {
  /** Largest `vocabSize` (default 2²⁴ = 16,777,216). */
  maxVocabSize: number;
  /** Largest `embeddingSize`, `hiddenSize` and `projSize` (default 65,536). */
  maxWidth: number;
  /** Most recurrent layers (default 1,024). */
  maxLayers: number;
  /** Most parameters in all (default 2²⁹ = 536,870,912: 2 GiB of float32, core's default checkpoint limit). */
  maxParameters: number;
}

/** The size limits applied to a language-model config unless the caller raises them. */
export const DEFAULT_LM_CONFIG_LIMITS: Readonly<LMConfigLimits> = Object.freeze({
  maxVocabSize: 2 ** 24,
  maxWidth: 65_536,
  maxLayers: 1_024,
  maxParameters: 2 ** 29,
});

const KNOWN_FIELDS = new Set(['vocabSize', 'embeddingSize', 'hiddenSize', ...Object.keys(DEFAULT_RECURRENT_LM_CONFIG)]);

/**
 * Fills defaults and checks every field, so that a bad config fails here with
 * a ConfigError naming the field rather than deep inside tfjs. Unknown fields
 * are errors too: a misspelt `embedingSize` must not silently fall back to a default.
 */
export function resolveLMConfig(options: RecurrentLMOptions, limits: Partial<LMConfigLimits> = {}): RecurrentLMConfig {
  const max = { ...DEFAULT_LM_CONFIG_LIMITS, ...definedOnly(limits) };
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError('config', `must be an object, got ${options === null ? 'null' : typeof options}`);
  }
  checkConfigFields(options, KNOWN_FIELDS, RECURRENT_LM_TYPE);
  const c = { ...DEFAULT_RECURRENT_LM_CONFIG, ...definedOnly(options), type: RECURRENT_LM_TYPE } as RecurrentLMConfig;
  // Unless given, the forget bias follows the init: 0 in PyTorch's draw, 1 (the Keras habit) otherwise.
  if (options.forgetBias === undefined && c.init === 'pytorch') c.forgetBias = 0;
  for (const field of ['vocabSize', 'embeddingSize', 'hiddenSize', 'numLayers'] as const) positiveInt(c[field], field);
  atMost(c.vocabSize, max.maxVocabSize, 'vocabSize');
  atMost(c.embeddingSize, max.maxWidth, 'embeddingSize');
  atMost(c.hiddenSize, max.maxWidth, 'hiddenSize');
  atMost(c.numLayers, max.maxLayers, 'numLayers');
  if (!['lstm', 'gru', 'rnn'].includes(c.cell)) {
    throw new ConfigError('cell', `must be "lstm", "gru" or "rnn", got ${describeValue(c.cell)}`);
  }
  if (c.projSize !== null) {
    positiveInt(c.projSize, 'projSize');
    atMost(c.projSize, max.maxWidth, 'projSize');
    if (c.cell !== 'lstm') throw new ConfigError('projSize', `is only supported by lstm cells, not ${c.cell}`);
  }
  for (const field of ['dropout', 'recurrentDropout', 'embeddingDropout', 'outputDropout'] as const) {
    const rate = c[field];
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
      throw new ConfigError(field, `must be a number in [0, 1), got ${describeValue(rate)}`);
    }
  }
  if (c.layerNorm === true && c.cell !== 'lstm') {
    throw new ConfigError('layerNorm', `is only supported by lstm cells, not ${c.cell}`);
  }
  for (const field of ['tieWeights', 'layerNorm', 'resetAfter'] as const) {
    if (typeof c[field] !== 'boolean')
      throw new ConfigError(field, `must be true or false, got ${describeValue(c[field])}`);
  }
  if (typeof c.forgetBias !== 'number' || !Number.isFinite(c.forgetBias)) {
    throw new ConfigError('forgetBias', `must be a finite number, got ${describeValue(c.forgetBias)}`);
  }
  if (!LM_INITS.includes(c.init)) {
    throw new ConfigError('init', `must be "seqgen", "pytorch" or "keras", got ${describeValue(c.init)}`);
  }
  if (c.activation !== 'tanh' && c.activation !== 'relu') {
    throw new ConfigError('activation', `must be "tanh" or "relu", got ${describeValue(c.activation)}`);
  }
  if (!Number.isInteger(c.seed) || c.seed < 0) {
    throw new ConfigError('seed', `must be a non-negative integer, got ${describeValue(c.seed)}`);
  }
  const top = topOutputSize(c);
  if (c.tieWeights && top !== c.embeddingSize) {
    throw new ConfigError(
      'tieWeights',
      `needs embeddingSize (${c.embeddingSize}) to equal the top layer's output size (${top}, ${c.projSize !== null ? 'projSize' : 'hiddenSize'})`,
    );
  }
  const parameters = parameterCount(lmWeightShapes(c));
  if (parameters > max.maxParameters) {
    throw new ConfigError(
      'config',
      `asks for ${parameters} parameters (vocabSize ${c.vocabSize}, embeddingSize ${c.embeddingSize}, hiddenSize ${c.hiddenSize}, numLayers ${c.numLayers}), over the limit of ${max.maxParameters}; pass a larger maxParameters to allow it`,
    );
  }
  return c;
}

/**
 * The shape of every weight of a model with this (resolved) config, by the
 * names of `RecurrentLanguageModel.variables`: computed, never allocated.
 */
export function lmWeightShapes(c: RecurrentLMConfig): Record<string, number[]> {
  return { embedding: [c.vocabSize, c.embeddingSize], ...stackWeightShapes(c, c.embeddingSize) };
}

/**
 * The shapes of a language model's recurrent stack over inputs of width
 * `inputSize` (`rnn/…`) and of its output head (`output/kernel`, absent when
 * tied, and `output/bias`): the weights `buildLMStack` allocates.
 */
export function stackWeightShapes(c: Omit<RecurrentLMConfig, 'type'>, inputSize: number): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  const rnn = StackedRNN.weightShapes({
    cell: c.cell,
    inputSize,
    hiddenSize: c.hiddenSize,
    numLayers: c.numLayers,
    ...(c.projSize !== null ? { projSize: c.projSize } : {}),
    layerNorm: c.layerNorm,
    resetAfter: c.resetAfter,
  });
  for (const [name, shape] of Object.entries(rnn)) out[`rnn/${name}`] = shape;
  if (!c.tieWeights) out['output/kernel'] = [topOutputSize(c), c.vocabSize];
  out['output/bias'] = [c.vocabSize];
  return out;
}

/** Total elements of a set of weight shapes. */
export function parameterCount(shapes: Record<string, readonly number[]>): number {
  let total = 0;
  for (const shape of Object.values(shapes)) total += shape.reduce((a, b) => a * b, 1);
  return total;
}

/** Width of what the recurrent stack hands to the output projection. */
export function topOutputSize(config: Pick<RecurrentLMConfig, 'hiddenSize' | 'projSize'>): number {
  return config.projSize ?? config.hiddenSize;
}

function positiveInt(value: unknown, field: string): void {
  assertPositiveInteger(field, value);
}
