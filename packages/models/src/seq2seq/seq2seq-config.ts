import { StackedRNN } from '@seqgen/cells';
import { assertPositiveInteger, ConfigError, describeValue } from '@seqgen/core';
import { atMost, checkConfigFields, checkConfigObject, definedOnly } from '../config-checks.js';
import { DEFAULT_LM_CONFIG_LIMITS, type LMConfigLimits, parameterCount } from '../lm-config.js';

/** Config `type` of {@link Seq2SeqConfig}; the model registry dispatches on it. */
export const SEQ2SEQ_TYPE = 'seq2seq';

/** How the decoder attends over the encoder's memory (`none`: the bridged initial state alone carries the source). */
export type Seq2SeqAttention = 'bahdanau' | 'luong-dot' | 'luong-general' | 'none';

/** The decoder's and encoder's recurrent cell. */
export type Seq2SeqCell = 'lstm' | 'gru';

/**
 * How the encoder reads the source: `flat` runs its stack over the whole
 * source; `hierarchical` (Serban et al. 2016) splits the source into turns at
 * `turnSeparatorId`, runs the stack over each turn on its own (an utterance
 * encoder), then a one-layer turn encoder over the turns' final states; each
 * source token's memory is its utterance state followed by the turn
 * encoder's state after its turn.
 */
export type Seq2SeqEncoderType = 'flat' | 'hierarchical';

/**
 * Everything that defines an encoder–decoder, as plain JSON: what a checkpoint
 * stores and `Seq2Seq.fromConfig` rebuilds the model from.
 */
export type Seq2SeqConfig = {
  /** Always `seq2seq`: the registry type that rebuilds the model. */
  type: typeof SEQ2SEQ_TYPE;
  /** Source tokens: rows of the encoder's embedding. */
  sourceVocabSize: number;
  /** Target tokens: rows of the decoder's embedding, columns of the logits. */
  targetVocabSize: number;
  /** Width of both embeddings. */
  embeddingSize: number;
  /** Units per recurrent layer (each direction of a bidirectional encoder layer). */
  hiddenSize: number;
  /** Stacked recurrent layers in the encoder. */
  encoderLayers: number;
  /** Stacked recurrent layers in the decoder. */
  decoderLayers: number;
  /** Recurrent cell of encoder and decoder: `lstm` or `gru`. */
  cell: Seq2SeqCell;
  /** The encoder reads the source both ways; its memory is `2·hiddenSize` wide. */
  bidirectional: boolean;
  /** `flat` (one encoder over the source) or `hierarchical` (utterance encoder per turn, then a turn encoder). */
  encoderType: Seq2SeqEncoderType;
  /** Source token that ends a turn (belongs to the turn it closes); required by, and only read by, `hierarchical`. */
  turnSeparatorId: number | null;
  /** How the decoder attends over the encoder's outputs: `bahdanau`, `luong-dot`, `luong-general` or `none`. */
  attention: Seq2SeqAttention;
  /** Luong's input feeding: the last attentional vector goes into the next step with the token. */
  inputFeeding: boolean;
  /** Output projection = the target embedding transposed; needs `embeddingSize` = `hiddenSize`. */
  tieWeights: boolean;
  /** Dropout on the embeddings, between encoder layers and on the attentional vector, while training. */
  dropout: number;
  /** Label smoothing ε of the training loss: (1−ε)·NLL + ε·mean over the vocabulary of −log p. */
  labelSmoothing: number;
  /** Probability, per target position after the first, of feeding the model's own argmax instead of the gold token while training. */
  scheduledSampling: number;
  /** Token id of padding, in sources and targets. */
  padId: number;
  /** Target token that starts every decoder input (and decoding). */
  bosId: number;
  /** Target token that ends a translation. */
  eosId: number;
  /** Seed of the initial weights. */
  seed: number;
};

/** What a caller writes: the vocabulary and layer sizes are required, the rest has defaults. */
export type Seq2SeqOptions = Partial<Omit<Seq2SeqConfig, 'type'>> &
  Pick<Seq2SeqConfig, 'sourceVocabSize' | 'targetVocabSize' | 'embeddingSize' | 'hiddenSize'> &
  Seq2SeqTag;

/** The optional tag of {@link Seq2SeqOptions}, so that a saved {@link Seq2SeqConfig} can be passed back as options. */
export type Seq2SeqTag = {
  /** `'seq2seq'` ({@link SEQ2SEQ_TYPE}) when given; the only value allowed. */
  type?: typeof SEQ2SEQ_TYPE;
};

/** Defaults of every optional field of {@link Seq2SeqConfig}. */
export const DEFAULT_SEQ2SEQ_CONFIG: Omit<
  Seq2SeqConfig,
  'sourceVocabSize' | 'targetVocabSize' | 'embeddingSize' | 'hiddenSize'
> = {
  type: SEQ2SEQ_TYPE,
  encoderLayers: 1,
  decoderLayers: 1,
  cell: 'gru',
  bidirectional: false,
  encoderType: 'flat',
  turnSeparatorId: null,
  attention: 'bahdanau',
  inputFeeding: true,
  tieWeights: false,
  dropout: 0,
  labelSmoothing: 0,
  scheduledSampling: 0,
  padId: 0,
  bosId: 1,
  eosId: 2,
  seed: 0,
};

const KNOWN_FIELDS = new Set([
  'sourceVocabSize',
  'targetVocabSize',
  'embeddingSize',
  'hiddenSize',
  ...Object.keys(DEFAULT_SEQ2SEQ_CONFIG),
]);

/**
 * Fills defaults and checks every field against `limits` (the language
 * model's: `maxVocabSize`, `maxWidth`, `maxLayers`, `maxParameters`) before
 * anything is allocated, so a hostile config from a file fails with a
 * ConfigError naming the field.
 */
export function resolveSeq2SeqConfig(options: Seq2SeqOptions, limits: Partial<LMConfigLimits> = {}): Seq2SeqConfig {
  const max = { ...DEFAULT_LM_CONFIG_LIMITS, ...definedOnly(limits) };
  checkConfigObject(options);
  checkConfigFields(options, KNOWN_FIELDS, SEQ2SEQ_TYPE);
  const c = { ...DEFAULT_SEQ2SEQ_CONFIG, ...definedOnly(options), type: SEQ2SEQ_TYPE } as Seq2SeqConfig;
  for (const field of [
    'sourceVocabSize',
    'targetVocabSize',
    'embeddingSize',
    'hiddenSize',
    'encoderLayers',
    'decoderLayers',
  ] as const) {
    assertPositiveInteger(field, c[field]);
  }
  atMost(c.sourceVocabSize, max.maxVocabSize, 'sourceVocabSize');
  atMost(c.targetVocabSize, max.maxVocabSize, 'targetVocabSize');
  atMost(c.embeddingSize, max.maxWidth, 'embeddingSize');
  atMost(c.hiddenSize, max.maxWidth, 'hiddenSize');
  atMost(c.encoderLayers, max.maxLayers, 'encoderLayers');
  atMost(c.decoderLayers, max.maxLayers, 'decoderLayers');
  if (c.cell !== 'lstm' && c.cell !== 'gru') {
    throw new ConfigError('cell', `must be "lstm" or "gru", got ${describeValue(c.cell)}`);
  }
  if (c.encoderType !== 'flat' && c.encoderType !== 'hierarchical') {
    throw new ConfigError('encoderType', `must be "flat" or "hierarchical", got ${describeValue(c.encoderType)}`);
  }
  if (c.turnSeparatorId !== null) {
    const id = c.turnSeparatorId;
    if (!Number.isInteger(id) || id < 0 || id >= c.sourceVocabSize) {
      throw new ConfigError(
        'turnSeparatorId',
        `must be a source token id in [0, ${c.sourceVocabSize}) or null, got ${describeValue(id)}`,
      );
    }
    if (c.encoderType !== 'hierarchical') {
      throw new ConfigError('turnSeparatorId', 'is only read by encoderType "hierarchical"; leave it null');
    }
  } else if (c.encoderType === 'hierarchical') {
    throw new ConfigError('turnSeparatorId', 'is required by encoderType "hierarchical": the token that ends a turn');
  }
  if (!['bahdanau', 'luong-dot', 'luong-general', 'none'].includes(c.attention)) {
    throw new ConfigError(
      'attention',
      `must be "bahdanau", "luong-dot", "luong-general" or "none", got ${describeValue(c.attention)}`,
    );
  }
  for (const field of ['bidirectional', 'inputFeeding', 'tieWeights'] as const) {
    if (typeof c[field] !== 'boolean') {
      throw new ConfigError(field, `must be true or false, got ${describeValue(c[field])}`);
    }
  }
  for (const field of ['dropout', 'labelSmoothing', 'scheduledSampling'] as const) {
    const rate = c[field];
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
      throw new ConfigError(field, `must be a number in [0, 1), got ${describeValue(rate)}`);
    }
  }
  for (const field of ['padId', 'bosId', 'eosId'] as const) {
    const id = c[field];
    if (!Number.isInteger(id) || id < 0 || id >= c.targetVocabSize) {
      throw new ConfigError(field, `must be a token id in [0, ${c.targetVocabSize}), got ${describeValue(id)}`);
    }
  }
  if (c.padId >= c.sourceVocabSize) {
    throw new ConfigError('padId', `must also be a source token id in [0, ${c.sourceVocabSize}), got ${c.padId}`);
  }
  if (!Number.isInteger(c.seed) || c.seed < 0) {
    throw new ConfigError('seed', `must be a non-negative integer, got ${describeValue(c.seed)}`);
  }
  if (c.tieWeights && c.embeddingSize !== c.hiddenSize) {
    throw new ConfigError(
      'tieWeights',
      `needs embeddingSize (${c.embeddingSize}) to equal hiddenSize (${c.hiddenSize}): the output kernel is the embedding transposed`,
    );
  }
  if (c.attention === 'luong-dot' && memorySizeOf(c) !== c.hiddenSize) {
    throw new ConfigError(
      'attention',
      `"luong-dot" needs the memory width (${memorySizeOf(c)}, a bidirectional encoder's 2·hiddenSize) to equal hiddenSize (${c.hiddenSize}); use "luong-general"`,
    );
  }
  const parameters = parameterCount(seq2seqWeightShapes(c));
  if (parameters > max.maxParameters) {
    throw new ConfigError(
      'config',
      `asks for ${parameters} parameters (sourceVocabSize ${c.sourceVocabSize}, targetVocabSize ${c.targetVocabSize}, embeddingSize ${c.embeddingSize}, hiddenSize ${c.hiddenSize}), over the limit of ${max.maxParameters}; pass a larger maxParameters to allow it`,
    );
  }
  return c;
}

/** Width of the (utterance) encoder's outputs. */
export function utteranceSizeOf(c: Pick<Seq2SeqConfig, 'hiddenSize' | 'bidirectional'>): number {
  return c.bidirectional ? 2 * c.hiddenSize : c.hiddenSize;
}

/** Width of the memory the decoder attends over: the encoder's outputs, plus the turn encoder's state when hierarchical. */
export function memorySizeOf(c: Pick<Seq2SeqConfig, 'hiddenSize' | 'bidirectional' | 'encoderType'>): number {
  return utteranceSizeOf(c) + (c.encoderType === 'hierarchical' ? c.hiddenSize : 0);
}

/** Width of what the bridge maps: the encoder's final state (both directions), or the turn encoder's. */
export function bridgeInputSizeOf(c: Pick<Seq2SeqConfig, 'hiddenSize' | 'bidirectional' | 'encoderType'>): number {
  return c.encoderType === 'hierarchical' ? c.hiddenSize : utteranceSizeOf(c);
}

/** The turn encoder of a hierarchical config: one unidirectional layer over the utterance vectors. */
export function turnEncoderShapeOf(c: Seq2SeqConfig): {
  cell: Seq2SeqCell;
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
} {
  return { cell: c.cell, inputSize: utteranceSizeOf(c), hiddenSize: c.hiddenSize, numLayers: 1 };
}

/** The decoder's shape parameters of an encoder–decoder config. */
export function decoderShapeOf(c: Seq2SeqConfig): AttentionDecoderShape {
  return {
    vocabSize: c.targetVocabSize,
    embeddingSize: c.embeddingSize,
    hiddenSize: c.hiddenSize,
    numLayers: c.decoderLayers,
    cell: c.cell,
    attention: c.attention,
    memorySize: memorySizeOf(c),
    inputFeeding: c.inputFeeding,
    tieWeights: c.tieWeights,
  };
}

/** What fixes an attention decoder's weight shapes. */
export interface AttentionDecoderShape {
  vocabSize: number;
  embeddingSize: number;
  hiddenSize: number;
  numLayers: number;
  cell: Seq2SeqCell;
  attention: Seq2SeqAttention;
  memorySize: number;
  inputFeeding: boolean;
  tieWeights: boolean;
}

/** Width of the decoder's recurrent input: the token embedding, and the last attentional vector when input feeding. */
export function decoderInputSize(d: AttentionDecoderShape): number {
  return d.embeddingSize + (d.inputFeeding && d.attention !== 'none' ? d.hiddenSize : 0);
}

/** Every weight of an `AttentionDecoder` by the names of its `variables`, computed without allocating. */
export function attentionDecoderWeightShapes(d: AttentionDecoderShape): Record<string, number[]> {
  const H = d.hiddenSize;
  const out: Record<string, number[]> = { embedding: [d.vocabSize, d.embeddingSize] };
  const rnn = StackedRNN.weightShapes({
    cell: d.cell,
    inputSize: decoderInputSize(d),
    hiddenSize: H,
    numLayers: d.numLayers,
  });
  for (const [name, shape] of Object.entries(rnn)) out[`rnn/${name}`] = shape;
  if (d.attention === 'bahdanau') {
    out['attention/queryKernel'] = [H, H];
    out['attention/memoryKernel'] = [d.memorySize, H];
    out['attention/bias'] = [H];
    out['attention/scoreVector'] = [H, 1];
  } else if (d.attention === 'luong-general') {
    out['attention/kernel'] = [H, d.memorySize];
  }
  if (d.attention !== 'none') out['combine/kernel'] = [H + d.memorySize, H];
  if (!d.tieWeights) out['output/kernel'] = [H, d.vocabSize];
  out['output/bias'] = [d.vocabSize];
  return out;
}

/** The names and shapes of every weight of a `Seq2Seq` (resolved config), by the names of its `variables`. */
export function seq2seqWeightShapes(c: Seq2SeqConfig): Record<string, number[]> {
  const out: Record<string, number[]> = { 'encoder/embedding': [c.sourceVocabSize, c.embeddingSize] };
  const encoder = StackedRNN.weightShapes({
    cell: c.cell,
    inputSize: c.embeddingSize,
    hiddenSize: c.hiddenSize,
    numLayers: c.encoderLayers,
    bidirectional: c.bidirectional,
  });
  for (const [name, shape] of Object.entries(encoder)) out[`encoder/rnn/${name}`] = shape;
  if (c.encoderType === 'hierarchical') {
    for (const [name, shape] of Object.entries(StackedRNN.weightShapes(turnEncoderShapeOf(c)))) {
      out[`encoder/turn-rnn/${name}`] = shape;
    }
  }
  for (let l = 0; l < c.decoderLayers; l++) {
    for (const part of bridgeParts(c.cell)) {
      out[`bridge/layers.${l}/${part}/kernel`] = [bridgeInputSizeOf(c), c.hiddenSize];
      out[`bridge/layers.${l}/${part}/bias`] = [c.hiddenSize];
    }
  }
  for (const [name, shape] of Object.entries(attentionDecoderWeightShapes(decoderShapeOf(c)))) {
    out[`decoder/${name}`] = shape;
  }
  return out;
}

/** The state tensors of one layer that the bridge maps: `h` (and the LSTM's cell `c`). */
export function bridgeParts(cell: Seq2SeqCell): readonly ('h' | 'c')[] {
  return cell === 'lstm' ? ['h', 'c'] : ['h'];
}
