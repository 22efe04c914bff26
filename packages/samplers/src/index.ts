export { beamSearch, beamSearchBatch, lengthNormalizedScore } from './beam-search.js';
export type {
  BatcherStats,
  BatchRequest,
  BatchToken,
  ContinuousBatcherOptions,
} from './continuous-batching/continuous-batcher.js';
export { ContinuousBatcher } from './continuous-batching/continuous-batcher.js';
export { QueueFullError } from './continuous-batching/queue-full-error.js';
export type {
  FrameFinishReason,
  FrameGenerationOptions,
  FrameNoise,
  GeneratedFrames,
  StreamedFrame,
} from './continuous-decode.js';
export { generateFrames, streamFrames } from './continuous-decode.js';
export { generate, generateBatch } from './generate.js';
export type { AllowedTokensFn, DecodingStrategy, GenerationConfig, StopSequence } from './generation-config.js';
export {
  assertBeamSearchConfig,
  DEFAULT_GENERATION_CONFIG,
  decodingStrategy,
  resolveGenerationConfig,
} from './generation-config.js';
export type { GeneratedSequence, GenerateOptions, GenerationResult } from './generation-setup.js';
export { GreedySampler, greedyToken } from './greedy.js';
export { argmax, logSoftmax, softmax } from './logits-math.js';
export { allowedTokensProcessor } from './logits-processors/allowed-tokens.js';
export { bannedTokensProcessor } from './logits-processors/banned-tokens.js';
export type { BuildLogitsProcessorsOptions } from './logits-processors/build-logits-processors.js';
export { buildLogitsProcessors } from './logits-processors/build-logits-processors.js';
export type { LogitsProcessor, LogitsProcessorContext } from './logits-processors/logits-processor.js';
export { applyLogitsProcessors } from './logits-processors/logits-processor.js';
export { minPProcessor } from './logits-processors/min-p.js';
export { bannedNgramContinuations, noRepeatNgramProcessor } from './logits-processors/no-repeat-ngram.js';
export { repetitionPenaltyProcessor } from './logits-processors/repetition-penalty.js';
export { temperatureProcessor } from './logits-processors/temperature.js';
export { topKProcessor } from './logits-processors/top-k.js';
export { topPProcessor } from './logits-processors/top-p.js';
export { typicalPProcessor } from './logits-processors/typical-p.js';
export { disposeState, gatherState, stateTensors } from './model-state.js';
export type { MultinomialSamplerOptions } from './sample.js';
export { MultinomialSampler, sampleToken } from './sample.js';
export type { DecodeFn, FinishReason, StopChecker } from './stopping-criteria.js';
export { createStopChecker } from './stopping-criteria.js';
export type { StreamedToken, StreamOptions } from './stream.js';
export { stream } from './stream.js';
