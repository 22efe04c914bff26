import { DEFAULT_LIMITS, type LoadCheckpointOptions } from '@seqgen/core';
import { DEFAULT_LM_CONFIG_LIMITS, type LMConfigLimits } from './lm-config.js';

/**
 * The config limits a checkpoint load applies: its weights are already bounded
 * by core's `maxWeightBytes` and must match the config's shapes, so a caller
 * who raised that limit may load a model that large (float32: 4 bytes a parameter).
 */
export function loadLimits(options: LoadCheckpointOptions): Partial<LMConfigLimits> {
  const maxWeightBytes = options.maxWeightBytes ?? DEFAULT_LIMITS.maxWeightBytes;
  return { maxParameters: Math.max(DEFAULT_LM_CONFIG_LIMITS.maxParameters, Math.floor(maxWeightBytes / 4)) };
}
