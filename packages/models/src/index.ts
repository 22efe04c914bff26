export { attentionPenalty } from './captioner/attention-penalty.js';
export type { CaptionBatch, CaptionBatchOptions, CaptionedImages } from './captioner/caption-batches.js';
export { CaptionBatchSource, captionBatches } from './captioner/caption-batches.js';
export type { Caption, CaptionOptions } from './captioner/caption-images.js';
export { captionImages } from './captioner/caption-images.js';
export type { CaptionScores } from './captioner/caption-metrics.js';
export { captionBleu, captionScores, captionWords, ciderD } from './captioner/caption-metrics.js';
export type {
  CaptionerEvaluation,
  CaptionerLossContext,
  CaptionerLossResult,
  LoadedCaptioner,
} from './captioner/captioner.js';
export { Captioner } from './captioner/captioner.js';
export type { CaptionerConfig, CaptionerEncoderConfig, CaptionerOptions } from './captioner/captioner-config.js';
export { CAPTIONER_TYPE, DEFAULT_CAPTIONER_CONFIG, resolveCaptionerConfig } from './captioner/captioner-config.js';
export type { AnyCodec, CheckpointableModel, LoadedModel, SaveModelOptions, WeightShapesOf } from './checkpoint-io.js';
export { encodeModel, loadModel, saveModel } from './checkpoint-io.js';
export type {
  ConditionedLMBatch,
  ConditionedStreamOptions,
  StreamChunk,
  StreamChunkSource,
} from './conditioned-lm/conditioned-batch.js';
export { ConditionedStreamSource } from './conditioned-lm/conditioned-batch.js';
export type {
  ConditionedForwardOptions,
  ConditionedForwardResult,
  ConditionedLMState,
} from './conditioned-lm/conditioned-lm.js';
export { ConditionedLanguageModel } from './conditioned-lm/conditioned-lm.js';
export type {
  ConditionedLMConfig,
  ConditionedLMOptions,
  ConditionedLMTag,
  ConditionOn,
} from './conditioned-lm/conditioned-lm-config.js';
export {
  CONDITIONED_LM_TYPE,
  DEFAULT_CONDITIONED_LM_CONFIG,
  resolveConditionedLMConfig,
} from './conditioned-lm/conditioned-lm-config.js';
export type { ConditionSchedule, ScheduledConditionState } from './conditioned-lm/scheduled-condition-model.js';
export { ScheduledConditionModel } from './conditioned-lm/scheduled-condition-model.js';
export type { ExtrapolationOptions } from './forecaster/baselines.js';
export { copyLastFrame, linearExtrapolation } from './forecaster/baselines.js';
export type {
  ForecasterForwardOptions,
  ForecasterForwardResult,
  ForecasterLossContext,
  ForecasterLossResult,
  ForecasterState,
} from './forecaster/conv-lstm-forecaster.js';
export { ConvLstmForecaster } from './forecaster/conv-lstm-forecaster.js';
export type { ForecastBatch } from './forecaster/forecast-batch.js';
export type {
  ConvLstmForecasterConfig,
  ConvLstmForecasterOptions,
  ForecasterConfigLimits,
  ForecasterOutputActivation,
} from './forecaster/forecaster-config.js';
export {
  CONV_LSTM_FORECASTER_TYPE,
  DEFAULT_CONV_LSTM_FORECASTER_CONFIG,
  DEFAULT_FORECASTER_CONFIG_LIMITS,
  resolveForecasterConfig,
} from './forecaster/forecaster-config.js';
export type { FrameMetrics, FrameMetricsOptions } from './forecaster/frame-metrics.js';
export { frameMetrics } from './forecaster/frame-metrics.js';
export { fromPatches, toPatches } from './forecaster/patch-reshape.js';
export type { SsimOptions } from './forecaster/ssim.js';
export { ssimIndex } from './forecaster/ssim.js';
export type { LMBatch } from './lm-batch.js';
export type { LMCellType, LMConfigLimits, RecurrentLMConfig, RecurrentLMOptions, RecurrentLMTag } from './lm-config.js';
export {
  DEFAULT_LM_CONFIG_LIMITS,
  DEFAULT_RECURRENT_LM_CONFIG,
  RECURRENT_LM_TYPE,
  resolveLMConfig,
} from './lm-config.js';
export type { LMInit } from './lm-init.js';
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
  Seq2SeqEncoderType,
  Seq2SeqOptions,
  Seq2SeqTag,
} from './seq2seq/seq2seq-config.js';
export { DEFAULT_SEQ2SEQ_CONFIG, resolveSeq2SeqConfig, SEQ2SEQ_TYPE } from './seq2seq/seq2seq-config.js';
export type { TranslateOptions, Translation, TranslationResult } from './seq2seq/translate-batch.js';
export { translateBatch } from './seq2seq/translate-batch.js';
export type { TurnLayout } from './seq2seq/turn-layout.js';
export { turnLayout } from './seq2seq/turn-layout.js';
export { stepsUntilAlignmentEnd, trimAtAlignmentEnd } from './tacotron/alignment-end.js';
export type { AlignmentQuality } from './tacotron/alignment-metrics.js';
export { alignmentQuality, stopTokenAccuracy } from './tacotron/alignment-metrics.js';
export { AlignmentRecorder } from './tacotron/alignment-recorder.js';
export { guidedAttentionWeights } from './tacotron/guided-attention.js';
export type {
  LoadedTacotron,
  Synthesis,
  SynthesizeOptions,
  TacotronCondition,
  TacotronEvaluation,
  TacotronForwardOptions,
  TacotronForwardResult,
  TacotronLossContext,
  TacotronLossResult,
  TacotronState,
} from './tacotron/tacotron.js';
export { disposeTacotronCondition, Tacotron } from './tacotron/tacotron.js';
export type { TacotronBatch, TacotronBatchOptions, TacotronUtterance } from './tacotron/tacotron-batches.js';
export { TacotronBatchSource, tacotronBatches } from './tacotron/tacotron-batches.js';
export type { TacotronConfig, TacotronMelLoss, TacotronOptions } from './tacotron/tacotron-config.js';
export { DEFAULT_TACOTRON_CONFIG, resolveTacotronConfig, TACOTRON_TYPE } from './tacotron/tacotron-config.js';
export type { ClipFeatureBatch } from './video-classifier/clip-feature-batch.js';
export type { KeyframeMatch, KeyframeScoreOptions } from './video-classifier/keyframes.js';
export { keyframeScores, matchKeyframes, selectKeyframes } from './video-classifier/keyframes.js';
export type { VideoClassifierEvaluation, VideoClassifierLossResult } from './video-classifier/video-classifier.js';
export { VideoClassifier } from './video-classifier/video-classifier.js';
export type {
  VideoClassifierConfig,
  VideoClassifierLimits,
  VideoClassifierOptions,
  VideoClassifierTemporal,
} from './video-classifier/video-classifier-config.js';
export {
  DEFAULT_VIDEO_CLASSIFIER_LIMITS,
  resolveVideoClassifierConfig,
  VIDEO_CLASSIFIER_TYPE,
} from './video-classifier/video-classifier-config.js';
