import { assertPositiveInteger, ConfigError, describeValue } from '@seqgen/core';
import { checkConfigFields, definedOnly } from '../config-checks.js';
import {
  DEFAULT_LM_CONFIG_LIMITS,
  DEFAULT_RECURRENT_LM_CONFIG,
  type LMConfigLimits,
  parameterCount,
  type RecurrentLMConfig,
  type RecurrentLMOptions,
  resolveLMConfig,
  stackWeightShapes,
} from '../lm-config.js';

/** Config `type` of {@link ConditionedLMConfig}; the checkpoint registry dispatches on it. */
export const CONDITIONED_LM_TYPE = 'conditioned-lm';

/**
 * Which conditioning id the model reads with the token at position t:
 * `'current'` the id of position t (the token it reads), `'next'` the id of
 * position t + 1 (the token it predicts: Magenta's Improv RNN reads the chord
 * of the event it is about to play).
 */
export type ConditionOn = 'current' | 'next';

/**
 * Everything that defines a {@link ConditionedLanguageModel}, as plain JSON:
 * the recurrent language model's fields plus the conditioning vocabulary.
 * (A type alias, so that it is assignable to core's `ModelConfig`.)
 */
export type ConditionedLMConfig = Omit<RecurrentLMConfig, 'type'> & {
  /** Always `conditioned-lm`: the registry type that rebuilds the model. */
  type: typeof CONDITIONED_LM_TYPE;
  /** Conditioning ids (chords, control values): rows of the condition embedding. */
  conditionVocabSize: number;
  /** Width of the condition embedding, concatenated to the token embedding at every step. */
  conditionEmbeddingSize: number;
  /** Which position's conditioning id is read with each token (default `'current'`). */
  conditionOn: ConditionOn;
};

/** What a caller writes: the sizes of both vocabularies and embeddings and `hiddenSize` are required. */
export type ConditionedLMOptions = Partial<Omit<ConditionedLMConfig, 'type'>> &
  Pick<
    ConditionedLMConfig,
    'vocabSize' | 'embeddingSize' | 'hiddenSize' | 'conditionVocabSize' | 'conditionEmbeddingSize'
  > &
  ConditionedLMTag;

/** The optional tag of {@link ConditionedLMOptions}, so that a saved config can be passed back as options. */
export type ConditionedLMTag = {
  /** `'conditioned-lm'` ({@link CONDITIONED_LM_TYPE}) when given; the only value allowed. */
  type?: typeof CONDITIONED_LM_TYPE;
};

/** Defaults of the conditioning fields (the others are the language model's, `DEFAULT_RECURRENT_LM_CONFIG`). */
export const DEFAULT_CONDITIONED_LM_CONFIG: Readonly<Pick<ConditionedLMConfig, 'type' | 'conditionOn'>> = Object.freeze(
  {
    type: CONDITIONED_LM_TYPE,
    conditionOn: 'current',
  },
);

const CONDITION_FIELDS = ['conditionVocabSize', 'conditionEmbeddingSize', 'conditionOn'] as const;
const KNOWN_FIELDS = new Set([
  'vocabSize',
  'embeddingSize',
  'hiddenSize',
  ...Object.keys(DEFAULT_RECURRENT_LM_CONFIG),
  ...CONDITION_FIELDS,
]);

/**
 * Fills defaults and checks every field (the language-model fields exactly as
 * `resolveLMConfig` does, with the same limits), so that a bad config fails
 * here with a ConfigError naming the field, before anything is allocated.
 */
export function resolveConditionedLMConfig(
  options: ConditionedLMOptions,
  limits: Partial<LMConfigLimits> = {},
): ConditionedLMConfig {
  const max = { ...DEFAULT_LM_CONFIG_LIMITS, ...definedOnly(limits) };
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError('config', `must be an object, got ${options === null ? 'null' : typeof options}`);
  }
  checkConfigFields(options, KNOWN_FIELDS, CONDITIONED_LM_TYPE);
  const { type: _type, conditionVocabSize, conditionEmbeddingSize, conditionOn, ...lmOptions } = options;
  assertPositiveInteger('conditionVocabSize', conditionVocabSize);
  assertPositiveInteger('conditionEmbeddingSize', conditionEmbeddingSize);
  if (conditionVocabSize > max.maxVocabSize) {
    throw new ConfigError('conditionVocabSize', `must be at most ${max.maxVocabSize}, got ${conditionVocabSize}`);
  }
  if (conditionEmbeddingSize > max.maxWidth) {
    throw new ConfigError('conditionEmbeddingSize', `must be at most ${max.maxWidth}, got ${conditionEmbeddingSize}`);
  }
  const on = conditionOn ?? DEFAULT_CONDITIONED_LM_CONFIG.conditionOn;
  if (on !== 'current' && on !== 'next') {
    throw new ConfigError('conditionOn', `must be "current" or "next", got ${describeValue(on)}`);
  }
  // The parameter limit is checked below on the whole model, whose first layer is wider.
  const { type: _lmType, ...lm } = resolveLMConfig(lmOptions as RecurrentLMOptions, {
    ...max,
    maxParameters: Number.POSITIVE_INFINITY,
  });
  const config: ConditionedLMConfig = {
    type: CONDITIONED_LM_TYPE,
    ...lm,
    conditionVocabSize,
    conditionEmbeddingSize,
    conditionOn: on,
  };
  const parameters = parameterCount(conditionedLMWeightShapes(config));
  if (parameters > max.maxParameters) {
    throw new ConfigError(
      'config',
      `asks for ${parameters} parameters (vocabSize ${lm.vocabSize}, conditionVocabSize ${conditionVocabSize}, hiddenSize ${lm.hiddenSize}, numLayers ${lm.numLayers}), over the limit of ${max.maxParameters}; pass a larger maxParameters to allow it`,
    );
  }
  return config;
}

/**
 * The shape of every weight of a model with this (resolved) config, by the
 * names of `ConditionedLanguageModel.variables`: computed, never allocated.
 * The first layer reads the token and condition embeddings side by side.
 */
export function conditionedLMWeightShapes(c: ConditionedLMConfig): Record<string, number[]> {
  return {
    embedding: [c.vocabSize, c.embeddingSize],
    conditionEmbedding: [c.conditionVocabSize, c.conditionEmbeddingSize],
    ...stackWeightShapes(c, c.embeddingSize + c.conditionEmbeddingSize),
  };
}
