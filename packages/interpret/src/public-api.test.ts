import { describe, expect, it } from 'vitest';
import * as api from './index.js';

// The curated public surface: adding or removing an export is a deliberate,
// reviewed change (update this list, the README's API table and a changeset).
describe('@seqgen/interpret public API', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(api).sort()).toEqual([
      'TEXT_FEATURE_NAMES',
      'ablationEffect',
      'attentionMatrices',
      'divergingColour',
      'explorerHtml',
      'explorerUnitsFromTrace',
      'gateSaturation',
      'gradientTimesInput',
      'heatmapPng',
      'integratedGradients',
      'pearson',
      'rankUnits',
      'textFeatures',
      'traceLanguageModel',
      'unitActivations',
      'unitName',
      'withUnitsZeroed',
    ]);
  });
});
