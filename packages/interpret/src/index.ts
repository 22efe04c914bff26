export { pearson } from './correlation.js';
export type {
  ExplorerAttention,
  ExplorerData,
  ExplorerFinding,
  ExplorerSaliency,
  ExplorerUnit,
} from './explorer-html.js';
export { explorerHtml, explorerUnitsFromTrace } from './explorer-html.js';
export type { GateSaturation, GateSaturationOptions } from './gate-saturation.js';
export { gateSaturation } from './gate-saturation.js';
export type { HeatmapPngOptions } from './heatmap-png.js';
export { divergingColour, heatmapPng } from './heatmap-png.js';
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
export type { LayerTrace, SequenceTrace, TracedQuantity, UnitRef } from './sequence-trace.js';
export { unitActivations, unitName } from './sequence-trace.js';
export type { TextFeatureName } from './text-features.js';
export { TEXT_FEATURE_NAMES, textFeatures } from './text-features.js';
export type {
  TraceableLanguageModel,
  TracedForwardOptions,
  TracedForwardResult,
  TracedModelConfig,
} from './trace-language-model.js';
export { traceLanguageModel } from './trace-language-model.js';
export type { AblatableLanguageModel, AblatableModelConfig, AblatedUnits, AblationEffect } from './unit-ablation.js';
export { ablationEffect, withUnitsZeroed } from './unit-ablation.js';
