export type { AnyCodec, CheckpointableModel, LoadedModel, SaveModelOptions, WeightShapesOf } from './checkpoint-io.js';
export { loadModel, saveModel } from './checkpoint-io.js';
export type { LMBatch } from './lm-batch.js';
export type { LMCellType, LMConfigLimits, RecurrentLMConfig, RecurrentLMOptions } from './lm-config.js';
export {
  DEFAULT_LM_CONFIG_LIMITS,
  DEFAULT_RECURRENT_LM_CONFIG,
  RECURRENT_LM_TYPE,
  resolveLMConfig,
} from './lm-config.js';
export { maskedCrossEntropy } from './masked-cross-entropy.js';
export type { ModelFactory, RegisterModelOptions } from './model-registry.js';
export {
  modelFromCheckpoint,
  modelFromConfig,
  registerBuiltinModels,
  registeredModelTypes,
  registerModelType,
  unregisterModelType,
} from './model-registry.js';
export type { DecoderParts, NativeDecoder } from './native-decoder.js';
export { nativeDecoder } from './native-decoder.js';
export type { NgramEvaluation } from './ngram-model.js';
export { NGRAM_UNKNOWN, NgramModel } from './ngram-model.js';
export type {
  ForwardOptions,
  ForwardResult,
  LMLossContext,
  LMLossResult,
  LMState,
  SequenceLossOptions,
} from './recurrent-lm.js';
export { RecurrentLanguageModel } from './recurrent-lm.js';
