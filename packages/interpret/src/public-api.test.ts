import { describe, expect, it } from 'vitest';
import * as api from './index.js';

// The curated public surface: adding or removing an export is a deliberate,
// reviewed change (update this list, the README's API table and a changeset).
describe('@seqgen/interpret public API', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(api).sort()).toEqual([
      'MUSIC_FEATURE_NAMES',
      'SPEECH_FEATURE_NAMES',
      'TEXT_FEATURE_NAMES',
      'ablationEffect',
      'attentionMatrices',
      'conditionedAblationEffect',
      'conditionedGradientTimesInput',
      'conditionedIntegratedGradients',
      'divergingColour',
      'explorerHtml',
      'explorerUnitsFromTrace',
      'frameGradientTimesInput',
      'frameIntegratedGradients',
      'gateSaturation',
      'gradientTimesInput',
      'heatmapPng',
      'integratedGradients',
      'musicFeatures',
      'pearson',
      'rankUnits',
      'speechFeatures',
      'textFeatures',
      'traceConditionedLanguageModel',
      'traceForecaster',
      'traceLanguageModel',
      'traceTacotron',
      'unitActivations',
      'unitName',
      'withUnitsZeroed',
    ]);
  });
});
