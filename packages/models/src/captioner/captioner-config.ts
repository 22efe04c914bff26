import { assertPositiveInteger, ConfigError, describeValue } from '@seqgen/core';
import { CONV_ENCODER_TYPE, type ConvEncoderConfig, convEncoderConfig } from '@seqgen/vision/encoder';
import { atMost, checkConfigFields, checkConfigObject, definedOnly } from '../config-checks.js';
import { DEFAULT_LM_CONFIG_LIMITS, type LMConfigLimits } from '../lm-config.js';
import { attentionDecoderWeightShapes, type Seq2SeqAttention } from '../seq2seq/seq2seq-config.js';

/** Config `type` of {@link CaptionerConfig}; the model registry dispatches on it. */
export const CAPTIONER_TYPE = 'captioner';

/** The encoder part of a captioner's config: a `@seqgen/vision` ConvEncoder's. */
export type CaptionerEncoderConfig = ConvEncoderConfig;

/**
 * Everything that defines an image captioner (Show, Attend and Tell: a CNN
 * encoder, an LSTM decoder with soft attention over its feature map), as
 * plain JSON: what a checkpoint stores and `Captioner.fromConfig` rebuilds.
 */
export type CaptionerConfig = {
  /** Always `captioner`. */
  type: typeof CAPTIONER_TYPE;
  /** Caption tokens: rows of the decoder's embedding, columns of its logits. */
  vocabSize: number;
  /** The convolutional encoder (input size, channels, filters). */
  encoder: CaptionerEncoderConfig;
  /** Width of the word embedding. */
  embeddingSize: number;
  /** Units of the decoder LSTM (and of the attention's scoring layer). */
  hiddenSize: number;
  /** Stacked decoder LSTM layers. */
  decoderLayers: number;
  /** `bahdanau` (soft attention, default), `luong-general`, or `none` (the image enters only through the initial state). */
  attention: Seq2SeqAttention;
  /** Feed the last attentional vector into the next step (slower to train: one step at a time). */
  inputFeeding: boolean;
  /** Dropout on embeddings and the attentional vector while training. */
  dropout: number;
  /**
   * λ of the doubly stochastic attention regularization (Xu et al. 2015, eq. 14):
   * λ · mean over positions of (1 − Σ_t α_t,pos)², added to the loss; 0 turns it off.
   */
  attentionPenalty: number;
  /** Token id of padding. */
  padId: number;
  /** Token that starts every caption. */
  bosId: number;
  /** Token that ends a caption. */
  eosId: number;
  /** Seed of the initial weights. */
  seed: number;
};

/** What a caller writes: the vocabulary and the encoder's input size are required. */
export type CaptionerOptions = Partial<Omit<CaptionerConfig, 'encoder'>> & {
  /** Caption tokens (the tokenizer's vocabulary size). */
  vocabSize: number;
  /** The encoder: its input size is required; channels, filters and kernel size have the ConvEncoder's defaults. */
  encoder: Partial<CaptionerEncoderConfig> & Pick<CaptionerEncoderConfig, 'inputHeight' | 'inputWidth'>;
};

/** The defaults {@link resolveCaptionerConfig} fills in. */
export const DEFAULT_CAPTIONER_CONFIG: Readonly<Omit<CaptionerConfig, 'type' | 'vocabSize' | 'encoder'>> =
  Object.freeze({
    embeddingSize: 64,
    hiddenSize: 128,
    decoderLayers: 1,
    attention: 'bahdanau' as Seq2SeqAttention,
    inputFeeding: false,
    dropout: 0,
    attentionPenalty: 1,
    padId: 0,
    bosId: 2,
    eosId: 3,
    seed: 0,
  });

const FIELDS = new Set([
  'type',
  'vocabSize',
  'encoder',
  'embeddingSize',
  'hiddenSize',
  'decoderLayers',
  'attention',
  'inputFeeding',
  'dropout',
  'attentionPenalty',
  'padId',
  'bosId',
  'eosId',
  'seed',
]);

/** Fills defaults and checks every field (a ConfigError names the first bad one); sizes within `limits`. */
export function resolveCaptionerConfig(
  options: CaptionerOptions,
  limits: Partial<LMConfigLimits> = {},
): CaptionerConfig {
  checkConfigObject(options);
  checkConfigFields(options, FIELDS, CAPTIONER_TYPE);
  const lim = { ...DEFAULT_LM_CONFIG_LIMITS, ...limits };
  if (typeof options.encoder !== 'object' || options.encoder === null) {
    throw new ConfigError('encoder', `must be a ConvEncoder config object, got ${describeValue(options.encoder)}`);
  }
  let encoder: ConvEncoderConfig;
  try {
    encoder = convEncoderConfig({ ...options.encoder, type: options.encoder.type ?? CONV_ENCODER_TYPE });
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError('encoder', error.message);
    throw error;
  }
  const c: CaptionerConfig = {
    type: CAPTIONER_TYPE,
    ...DEFAULT_CAPTIONER_CONFIG,
    ...(definedOnly(options) as Partial<CaptionerConfig>),
    vocabSize: options.vocabSize,
    encoder,
  };
  for (const field of ['vocabSize', 'embeddingSize', 'hiddenSize', 'decoderLayers'] as const) {
    assertPositiveInteger(field, c[field]);
  }
  atMost(c.vocabSize, lim.maxVocabSize, 'vocabSize');
  atMost(c.hiddenSize, lim.maxWidth, 'hiddenSize');
  atMost(c.embeddingSize, lim.maxWidth, 'embeddingSize');
  atMost(c.decoderLayers, lim.maxLayers, 'decoderLayers');
  c.encoder.filters.forEach((f, i) => {
    atMost(f, lim.maxWidth, `encoder.filters[${i}]`);
  });
  atMost(c.encoder.inputHeight * c.encoder.inputWidth, 1 << 24, 'encoder.inputHeight × inputWidth');
  if (!['bahdanau', 'luong-general', 'none'].includes(c.attention)) {
    throw new ConfigError(
      'attention',
      `must be "bahdanau", "luong-general" or "none", got ${describeValue(c.attention)}`,
    );
  }
  if (typeof c.inputFeeding !== 'boolean') {
    throw new ConfigError('inputFeeding', `must be a boolean, got ${describeValue(c.inputFeeding)}`);
  }
  if (typeof c.dropout !== 'number' || !(c.dropout >= 0 && c.dropout < 1)) {
    throw new ConfigError('dropout', `must be a number in [0, 1), got ${describeValue(c.dropout)}`);
  }
  if (typeof c.attentionPenalty !== 'number' || !(c.attentionPenalty >= 0 && Number.isFinite(c.attentionPenalty))) {
    throw new ConfigError('attentionPenalty', `must be a finite number ≥ 0, got ${describeValue(c.attentionPenalty)}`);
  }
  for (const field of ['padId', 'bosId', 'eosId'] as const) {
    const id = c[field];
    if (!Number.isInteger(id) || id < 0 || id >= c.vocabSize) {
      throw new ConfigError(field, `must be a token id in [0, ${c.vocabSize}), got ${describeValue(id)}`);
    }
  }
  if (!Number.isInteger(c.seed) || c.seed < 0) {
    throw new ConfigError('seed', `must be a non-negative integer, got ${describeValue(c.seed)}`);
  }
  const count = Object.values(captionerWeightShapes(c)).reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0);
  atMost(count, lim.maxParameters, 'parameters');
  return c;
}

/** Depth of the encoder's feature map (its last block's filters): the attention memory's width. */
export function memorySizeOf(c: CaptionerConfig): number {
  return c.encoder.filters[c.encoder.filters.length - 1] as number;
}

/** The decoder's shape options for a config. */
export function captionDecoderShape(c: CaptionerConfig) {
  return {
    vocabSize: c.vocabSize,
    embeddingSize: c.embeddingSize,
    hiddenSize: c.hiddenSize,
    memorySize: memorySizeOf(c),
    numLayers: c.decoderLayers,
    cell: 'lstm' as const,
    attention: c.attention,
    inputFeeding: c.inputFeeding,
    tieWeights: false,
  };
}

/** Every weight of a captioner by name, computed without allocating. */
export function captionerWeightShapes(c: CaptionerConfig): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  const { kernelSize: k, filters } = c.encoder;
  let inChannels = c.encoder.inputChannels;
  filters.forEach((f, i) => {
    out[`encoder/conv${i + 1}/kernel`] = [k, k, inChannels, f];
    out[`encoder/conv${i + 1}/bias`] = [f];
    inChannels = f;
  });
  const D = memorySizeOf(c);
  for (let l = 0; l < c.decoderLayers; l++) {
    for (const part of ['h', 'c']) {
      out[`init/layers.${l}/${part}/kernel`] = [D, c.hiddenSize];
      out[`init/layers.${l}/${part}/bias`] = [c.hiddenSize];
    }
  }
  for (const [name, shape] of Object.entries(attentionDecoderWeightShapes(captionDecoderShape(c)))) {
    out[`decoder/${name}`] = shape;
  }
  return out;
}
