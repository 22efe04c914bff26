import { LocationSensitiveAttention, StackedRNN } from '@seqgen/cells';
import { assertPositiveInteger, ConfigError, describeValue } from '@seqgen/core';
import { atMost, checkConfigFields, checkConfigObject, definedOnly } from '../config-checks.js';
import { DEFAULT_LM_CONFIG_LIMITS, type LMConfigLimits, parameterCount } from '../lm-config.js';

/** Config `type` of {@link TacotronConfig}; the model registry dispatches on it. */
export const TACOTRON_TYPE = 'tacotron';

/** How predicted mel frames are compared with the gold ones. */
export type TacotronMelLoss = 'l1' | 'mse';

/**
 * Everything that defines a Tacotron-style text-to-mel model, as plain JSON:
 * what a checkpoint stores and `Tacotron.fromConfig` rebuilds the model from.
 */
export type TacotronConfig = {
  /** Always `tacotron`: the registry type that rebuilds the model. */
  type: typeof TACOTRON_TYPE;
  /** Input symbols (characters or phonemes): rows of the embedding. */
  vocabSize: number;
  /** Mel bins per frame. */
  melBins: number;
  /** Reduction factor r: mel frames predicted per decoder step (Tacotron's r). */
  reduction: number;
  /** Width of the symbol embedding, and channels of the encoder's convolutions. */
  embeddingSize: number;
  /** Convolutions (ReLU, dropout) between the embedding and the encoder LSTM. */
  encoderConvLayers: number;
  /** Width of each encoder convolution (odd). */
  encoderConvKernel: number;
  /** Units per direction of the bidirectional encoder LSTM; the memory is `2·encoderUnits` wide. */
  encoderUnits: number;
  /** Units of both pre-net layers (dense + ReLU + dropout) on the previous frame. */
  prenetUnits: number;
  /** Dropout of the pre-net, applied while training and, by {@link prenetDropoutAtInference}, while decoding. */
  prenetDropout: number;
  /** Keep the pre-net's dropout on while decoding, as Tacotron 2 does (it varies the output and helps it generalize). */
  prenetDropoutAtInference: boolean;
  /** Hidden size of the location-sensitive attention's scoring layer. */
  attentionUnits: number;
  /** Channels of the attention's convolution over the cumulative weights. */
  locationFilters: number;
  /** Width of that convolution (odd). */
  locationKernel: number;
  /** Units per decoder LSTM layer. */
  decoderUnits: number;
  /** Stacked decoder LSTM layers. */
  decoderLayers: number;
  /** Convolutions of the residual post-net (0: none). */
  postnetLayers: number;
  /** Channels of the post-net's hidden convolutions. */
  postnetChannels: number;
  /** Width of each post-net convolution (odd). */
  postnetKernel: number;
  /** Dropout after the encoder's and post-net's convolutions while training. */
  dropout: number;
  /**
   * Scheduled sampling while training (Bengio et al. 2015), in [0, 1]: the
   * probability that a decoder step reads the model's own previous frames
   * instead of the gold ones, drawn per row and step (0: full teacher forcing).
   * The trainer's `teacherForcing` schedule can raise it (to 1 − its ratio).
   */
  scheduledSampling: number;
  /** `l1` or `mse`, on the mel before and after the post-net. */
  melLoss: TacotronMelLoss;
  /** Weight of the stop-token binary cross-entropy in the loss. */
  stopWeight: number;
  /** Weight of the guided-attention loss (Tachibana et al. 2017); 0 turns it off. */
  guidedAttentionWeight: number;
  /** Width g of the guided-attention band: W[n, s] = 1 − exp(−(s/S − n/N)² / (2g²)). */
  guidedAttentionSigma: number;
  /** The maximum-length guard: decoding stops after at most this many frames per input symbol. */
  maxFramesPerSymbol: number;
  /** Symbol id of padding in batched inputs. */
  padId: number;
  /** Seed of the initial weights and of the model's own dropout masks. */
  seed: number;
};

/** What a caller writes: the vocabulary and mel sizes are required, the rest has defaults. */
export type TacotronOptions = Partial<Omit<TacotronConfig, 'type'>> &
  Pick<TacotronConfig, 'vocabSize' | 'melBins'> & {
    /** `'tacotron'` when given; the only value allowed. */
    type?: typeof TACOTRON_TYPE;
  };

/** Defaults of every optional field of {@link TacotronConfig}: a small model that trains on a CPU. */
export const DEFAULT_TACOTRON_CONFIG: Omit<TacotronConfig, 'vocabSize' | 'melBins'> = {
  type: TACOTRON_TYPE,
  reduction: 2,
  embeddingSize: 128,
  encoderConvLayers: 3,
  encoderConvKernel: 5,
  encoderUnits: 64,
  prenetUnits: 128,
  prenetDropout: 0.5,
  prenetDropoutAtInference: true,
  attentionUnits: 64,
  locationFilters: 16,
  locationKernel: 15,
  decoderUnits: 256,
  decoderLayers: 1,
  postnetLayers: 3,
  postnetChannels: 128,
  postnetKernel: 5,
  dropout: 0.1,
  scheduledSampling: 0,
  melLoss: 'l1',
  stopWeight: 1,
  guidedAttentionWeight: 1,
  guidedAttentionSigma: 0.2,
  maxFramesPerSymbol: 20,
  padId: 0,
  seed: 0,
};

const KNOWN_FIELDS = new Set(['vocabSize', 'melBins', ...Object.keys(DEFAULT_TACOTRON_CONFIG)]);

/**
 * Fills defaults and checks every field against `limits` (the language
 * model's: `maxVocabSize`, `maxWidth`, `maxLayers`, `maxParameters`) before
 * anything is allocated: a hostile config from a file fails with a
 * ConfigError naming the field.
 */
export function resolveTacotronConfig(options: TacotronOptions, limits: Partial<LMConfigLimits> = {}): TacotronConfig {
  const max = { ...DEFAULT_LM_CONFIG_LIMITS, ...definedOnly(limits) };
  checkConfigObject(options);
  checkConfigFields(options, KNOWN_FIELDS, TACOTRON_TYPE);
  const c = { ...DEFAULT_TACOTRON_CONFIG, ...definedOnly(options), type: TACOTRON_TYPE } as TacotronConfig;
  assertPositiveInteger('vocabSize', c.vocabSize);
  atMost(c.vocabSize, max.maxVocabSize, 'vocabSize');
  for (const field of [
    'melBins',
    'embeddingSize',
    'encoderUnits',
    'prenetUnits',
    'attentionUnits',
    'locationFilters',
    'decoderUnits',
    'postnetChannels',
  ] as const) {
    assertPositiveInteger(field, c[field]);
    atMost(c[field], max.maxWidth, field);
  }
  for (const field of ['encoderConvKernel', 'locationKernel', 'postnetKernel'] as const) {
    assertPositiveInteger(field, c[field]);
    atMost(c[field], max.maxWidth, field);
    if (c[field] % 2 === 0) throw new ConfigError(field, `must be odd (a centred convolution), got ${c[field]}`);
  }
  assertPositiveInteger('decoderLayers', c.decoderLayers);
  atMost(c.decoderLayers, max.maxLayers, 'decoderLayers');
  for (const field of ['encoderConvLayers', 'postnetLayers'] as const) {
    if (!Number.isInteger(c[field]) || c[field] < 0) {
      throw new ConfigError(field, `must be a non-negative integer, got ${describeValue(c[field])}`);
    }
    atMost(c[field], max.maxLayers, field);
  }
  assertPositiveInteger('reduction', c.reduction);
  atMost(c.reduction, 64, 'reduction');
  for (const field of ['prenetDropout', 'dropout'] as const) {
    const rate = c[field];
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
      throw new ConfigError(field, `must be a number in [0, 1), got ${describeValue(rate)}`);
    }
  }
  if (typeof c.scheduledSampling !== 'number' || !(c.scheduledSampling >= 0 && c.scheduledSampling <= 1)) {
    throw new ConfigError('scheduledSampling', `must be a number in [0, 1], got ${describeValue(c.scheduledSampling)}`);
  }
  if (typeof c.prenetDropoutAtInference !== 'boolean') {
    throw new ConfigError(
      'prenetDropoutAtInference',
      `must be true or false, got ${describeValue(c.prenetDropoutAtInference)}`,
    );
  }
  if (c.melLoss !== 'l1' && c.melLoss !== 'mse') {
    throw new ConfigError('melLoss', `must be "l1" or "mse", got ${describeValue(c.melLoss)}`);
  }
  for (const field of ['stopWeight', 'guidedAttentionWeight'] as const) {
    if (typeof c[field] !== 'number' || !(c[field] >= 0 && Number.isFinite(c[field]))) {
      throw new ConfigError(field, `must be a finite number ≥ 0, got ${describeValue(c[field])}`);
    }
  }
  if (typeof c.guidedAttentionSigma !== 'number' || !(c.guidedAttentionSigma > 0 && c.guidedAttentionSigma <= 10)) {
    throw new ConfigError(
      'guidedAttentionSigma',
      `must be a number in (0, 10], got ${describeValue(c.guidedAttentionSigma)}`,
    );
  }
  if (typeof c.maxFramesPerSymbol !== 'number' || !(c.maxFramesPerSymbol >= 1 && c.maxFramesPerSymbol <= 10_000)) {
    throw new ConfigError(
      'maxFramesPerSymbol',
      `must be a number in [1, 10000], got ${describeValue(c.maxFramesPerSymbol)}`,
    );
  }
  if (!Number.isInteger(c.padId) || c.padId < 0 || c.padId >= c.vocabSize) {
    throw new ConfigError('padId', `must be a symbol id in [0, ${c.vocabSize}), got ${describeValue(c.padId)}`);
  }
  if (!Number.isInteger(c.seed) || c.seed < 0) {
    throw new ConfigError('seed', `must be a non-negative integer, got ${describeValue(c.seed)}`);
  }
  const parameters = parameterCount(tacotronWeightShapes(c));
  if (parameters > max.maxParameters) {
    throw new ConfigError(
      'config',
      `asks for ${parameters} parameters (vocabSize ${c.vocabSize}, melBins ${c.melBins}, embeddingSize ${c.embeddingSize}, decoderUnits ${c.decoderUnits}), over the limit of ${max.maxParameters}; pass a larger maxParameters to allow it`,
    );
  }
  return c;
}

/** Width of the encoder's outputs (the memory the decoder attends over). */
export function tacotronMemorySize(c: Pick<TacotronConfig, 'encoderUnits'>): number {
  return 2 * c.encoderUnits;
}

/** The post-net's channels, input to output, one pair per convolution: mel → hidden … hidden → mel. */
export function postnetChannels(c: TacotronConfig): Array<[number, number]> {
  return Array.from({ length: c.postnetLayers }, (_, i) => [
    i === 0 ? c.melBins : c.postnetChannels,
    i === c.postnetLayers - 1 ? c.melBins : c.postnetChannels,
  ]);
}

/** The names and shapes of every weight of a `Tacotron` (resolved config), by the names of its `variables`. */
export function tacotronWeightShapes(c: TacotronConfig): Record<string, number[]> {
  const E = c.embeddingSize;
  const D = tacotronMemorySize(c);
  const H = c.decoderUnits;
  const out: Record<string, number[]> = { 'encoder/embedding': [c.vocabSize, E] };
  for (let i = 0; i < c.encoderConvLayers; i++) {
    out[`encoder/conv.${i}/kernel`] = [c.encoderConvKernel, E, E];
    out[`encoder/conv.${i}/bias`] = [E];
  }
  const encoder = StackedRNN.weightShapes({
    cell: 'lstm',
    inputSize: E,
    hiddenSize: c.encoderUnits,
    bidirectional: true,
  });
  for (const [name, shape] of Object.entries(encoder)) out[`encoder/rnn/${name}`] = shape;
  out['decoder/prenet.0/kernel'] = [c.melBins, c.prenetUnits];
  out['decoder/prenet.0/bias'] = [c.prenetUnits];
  out['decoder/prenet.1/kernel'] = [c.prenetUnits, c.prenetUnits];
  out['decoder/prenet.1/bias'] = [c.prenetUnits];
  const decoder = StackedRNN.weightShapes({
    cell: 'lstm',
    inputSize: c.prenetUnits + D,
    hiddenSize: H,
    numLayers: c.decoderLayers,
  });
  for (const [name, shape] of Object.entries(decoder)) out[`decoder/rnn/${name}`] = shape;
  const attention = LocationSensitiveAttention.weightShapes({
    querySize: H,
    memorySize: D,
    units: c.attentionUnits,
    filters: c.locationFilters,
    kernelSize: c.locationKernel,
  });
  for (const [name, shape] of Object.entries(attention)) out[`decoder/attention/${name}`] = shape;
  out['decoder/frames/kernel'] = [H + D, c.reduction * c.melBins];
  out['decoder/frames/bias'] = [c.reduction * c.melBins];
  out['decoder/stop/kernel'] = [H + D, 1];
  out['decoder/stop/bias'] = [1];
  postnetChannels(c).forEach(([inC, outC], i) => {
    out[`postnet/conv.${i}/kernel`] = [c.postnetKernel, inC, outC];
    out[`postnet/conv.${i}/bias`] = [outC];
  });
  return out;
}
