export type { AnyCodec, CheckpointableModel, LoadedModel, SaveModelOptions, WeightShapesOf } from './checkpoint-io.js';
export { encodeModel, loadModel, saveModel } from './checkpoint-io.js';
export type { LMBatch } from './lm-batch.js';
export type { LMCellType, LMConfigLimits, RecurrentLMConfig, RecurrentLMOptions, RecurrentLMTag } from './lm-config.js';
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
export type {
  AttentionDecoderOptions,
  AttentionDecoderState,
  DecoderForwardOptions,
  DecoderForwardResult,
  Seq2SeqCondition,
} from './seq2seq/attention-decoder.js';
export { AttentionDecoder, attentionWeightsOf } from './seq2seq/attention-decoder.js';
export type { LoadedSeq2Seq, Seq2SeqEvaluation, Seq2SeqLossContext, Seq2SeqLossResult } from './seq2seq/seq2seq.js';
export { disposeCondition, Seq2Seq } from './seq2seq/seq2seq.js';
export type { Seq2SeqBatch, Seq2SeqBatchOptions, Seq2SeqPair } from './seq2seq/seq2seq-batches.js';
export { Seq2SeqBatchSource, seq2seqBatches } from './seq2seq/seq2seq-batches.js';
export type {
  Seq2SeqAttention,
  Seq2SeqCell,
  Seq2SeqConfig,
  Seq2SeqOptions,
  Seq2SeqTag,
} from './seq2seq/seq2seq-config.js';
export { DEFAULT_SEQ2SEQ_CONFIG, resolveSeq2SeqConfig, SEQ2SEQ_TYPE } from './seq2seq/seq2seq-config.js';
export type { TranslateOptions, Translation, TranslationResult } from './seq2seq/translate-batch.js';
export { translateBatch } from './seq2seq/translate-batch.js';
