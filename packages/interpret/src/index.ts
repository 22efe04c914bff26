export type { AblatableConditionedModel } from './conditioned-ablation.js';
export { conditionedAblationEffect } from './conditioned-ablation.js';
export type {
  ConditionedIntegratedGradientsOptions,
  ConditionedSaliencyInput,
  ConditionedSaliencyOptions,
  EmbeddableConditionedModel,
} from './conditioned-saliency.js';
export { conditionedGradientTimesInput, conditionedIntegratedGradients } from './conditioned-saliency.js';
export { pearson } from './correlation.js';
export type {
  ExplorerAttention,
  ExplorerData,
  ExplorerFinding,
  ExplorerSaliency,
  ExplorerUnit,
} from './explorer-html.js';
export { explorerHtml, explorerUnitsFromTrace } from './explorer-html.js';
export type {
  FrameAttributions,
  FrameIntegratedGradients,
  FrameIntegratedGradientsOptions,
  FrameTarget,
} from './frame-saliency.js';
export { frameGradientTimesInput, frameIntegratedGradients } from './frame-saliency.js';
export type { GateSaturation, GateSaturationOptions } from './gate-saturation.js';
export { gateSaturation } from './gate-saturation.js';
export type { HeatmapPngOptions } from './heatmap-png.js';
export { divergingColour, heatmapPng } from './heatmap-png.js';
export type { MusicFeatureName, MusicFeatureOptions } from './music-features.js';
export { MUSIC_FEATURE_NAMES, musicFeatures } from './music-features.js';
export type { RankUnitsOptions, UnitCorrelation } from './neuron-search.js';
export { rankUnits } from './neuron-search.js';
export type {
  BaselineToken,
  EmbeddableLanguageModel,
  IntegratedGradients,
  IntegratedGradientsOptions,
  SaliencyTarget,
  TokenAttributions,
} from './saliency.js';
export { gradientTimesInput, integratedGradients } from './saliency.js';
export type { AttentionMatrix, AttentionModel } from './seq2seq-attention.js';
export { attentionMatrices } from './seq2seq-attention.js';
export type { LayerTrace, SequenceTrace, StepTrace, TracedQuantity, TraceOption, UnitRef } from './sequence-trace.js';
export { unitActivations, unitName } from './sequence-trace.js';
export type { SpeechFeatureName } from './speech-features.js';
export { SPEECH_FEATURE_NAMES, speechFeatures } from './speech-features.js';
export type { TextFeatureName } from './text-features.js';
export { TEXT_FEATURE_NAMES, textFeatures } from './text-features.js';
export type {
  ConditionedForwardTraceOptions,
  ConditionedSequenceTrace,
  TraceableConditionedModel,
  TracedLogits,
} from './trace-conditioned-lm.js';
export { traceConditionedLanguageModel } from './trace-conditioned-lm.js';
export type {
  ForecasterFrameLayout,
  FrameSequenceTrace,
  TraceableForecaster,
  TracedFrames,
  TracedMaps,
} from './trace-forecaster.js';
export { traceForecaster } from './trace-forecaster.js';
export type {
  TraceableLanguageModel,
  TracedForwardOptions,
  TracedForwardResult,
  TracedModelConfig,
} from './trace-language-model.js';
export { traceLanguageModel } from './trace-language-model.js';
export type {
  SpeechDecoderConfig,
  SpeechDecoderForward,
  SpeechDecoderTrace,
  TraceableSpeechDecoder,
} from './trace-tacotron.js';
export { traceTacotron } from './trace-tacotron.js';
export type {
  AblatableLanguageModel,
  AblatableModelConfig,
  AblatableWeights,
  AblatedUnits,
  AblationEffect,
} from './unit-ablation.js';
export { ablationEffect, withUnitsZeroed } from './unit-ablation.js';
