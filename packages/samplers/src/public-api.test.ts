import { describe, expect, it } from 'vitest';
import * as api from './index.js';

// The curated public surface: adding or removing an export is a deliberate,
// reviewed change (update this list, the README's API table and a changeset).
describe('@seqgen/samplers public API', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(api).sort()).toEqual([
      'ContinuousBatcher',
      'DEFAULT_GENERATION_CONFIG',
      'GreedySampler',
      'MultinomialSampler',
      'QueueFullError',
      'allowedTokensProcessor',
      'applyLogitsProcessors',
      'argmax',
      'assertBeamSearchConfig',
      'bannedNgramContinuations',
      'bannedTokensProcessor',
      'beamSearch',
      'beamSearchBatch',
      'buildLogitsProcessors',
      'createStopChecker',
      'decodingStrategy',
      'disposeState',
      'gatherState',
      'generate',
      'generateBatch',
      'generateFrames',
      'greedyToken',
      'lengthNormalizedScore',
      'logSoftmax',
      'minPProcessor',
      'noRepeatNgramProcessor',
      'repetitionPenaltyProcessor',
      'resolveGenerationConfig',
      'sampleToken',
      'softmax',
      'stateTensors',
      'stream',
      'streamFrames',
      'temperatureProcessor',
      'topKProcessor',
      'topPProcessor',
      'typicalPProcessor',
    ]);
  });
});
