import type { GenerationConfig } from '../generation-config.js';
import { allowedTokensProcessor } from './allowed-tokens.js';
import { bannedTokensProcessor } from './banned-tokens.js';
import type { LogitsProcessor } from './logits-processor.js';
import { minPProcessor } from './min-p.js';
import { noRepeatNgramProcessor } from './no-repeat-ngram.js';
import { repetitionPenaltyProcessor } from './repetition-penalty.js';
import { temperatureProcessor } from './temperature.js';
import { topKProcessor } from './top-k.js';
import { topPProcessor } from './top-p.js';
import { typicalPProcessor } from './typical-p.js';

/** Which kinds of processors {@link buildLogitsProcessors} includes besides the constraints. */
export interface BuildLogitsProcessorsOptions {
  /**
   * Include the processors that shape a sampled distribution (temperature,
   * top-k, top-p, min-p, typical-p). Greedy and beam search use only the
   * constraints. Default `true`.
   */
  sampling?: boolean;
}

/**
 * The processor chain a config asks for, leaving out the ones at their
 * neutral value. Order: constraints first (repetition penalty on the raw
 * logits, no-repeat-ngram, banned, allowed), then temperature, then the
 * truncations top-k → top-p → min-p → typical-p on the tempered distribution.
 */
export function buildLogitsProcessors(
  config: GenerationConfig,
  { sampling = true }: BuildLogitsProcessorsOptions = {},
): LogitsProcessor[] {
  const chain: LogitsProcessor[] = [];
  if (config.repetitionPenalty !== 1) chain.push(repetitionPenaltyProcessor(config.repetitionPenalty));
  if (config.noRepeatNgramSize > 0) chain.push(noRepeatNgramProcessor(config.noRepeatNgramSize));
  if (config.bannedTokens.length > 0) chain.push(bannedTokensProcessor(config.bannedTokens));
  if (config.allowedTokens) chain.push(allowedTokensProcessor(config.allowedTokens));
  if (!sampling) return chain;
  if (config.temperature > 0 && config.temperature !== 1) chain.push(temperatureProcessor(config.temperature));
  if (config.topK !== null) chain.push(topKProcessor(config.topK));
  if (config.topP < 1) chain.push(topPProcessor(config.topP));
  if (config.minP > 0) chain.push(minPProcessor(config.minP));
  if (config.typicalP < 1) chain.push(typicalPProcessor(config.typicalP));
  return chain;
}
