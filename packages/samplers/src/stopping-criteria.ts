import { ConfigError } from '@seqgen/core';
import type { GenerationConfig } from './generation-config.js';

/** Why a sequence ended. */
export type FinishReason = 'length' | 'stop-token' | 'stop-sequence';

/** Turns token ids into text; needed for string stop sequences and streamed text. */
export type DecodeFn = (ids: readonly number[]) => string;

/** Says whether the new tokens of a sequence (prompt excluded) end it. */
export type StopChecker = (generated: readonly number[]) => FinishReason | null;

/**
 * Builds the check for `stopTokens` and `stopSequences`. Only the new tokens
 * are looked at, so a prompt ending in a stop sequence does not stop at once.
 */
export function createStopChecker(config: GenerationConfig, decode?: DecodeFn): StopChecker {
  const stopTokens = new Set(config.stopTokens);
  const idSequences = config.stopSequences.filter((s): s is readonly number[] => typeof s !== 'string');
  const strings = config.stopSequences.filter((s): s is string => typeof s === 'string');
  if (strings.length > 0 && typeof decode !== 'function') {
    throw new ConfigError('stopSequences', 'string stop sequences need a decode function in the options');
  }
  // Decoding only a tail window keeps the check O(1) per token; a stop string
  // of L characters is found inside the last L tokens unless tokens decode to
  // nothing, which the margin covers.
  const window = Math.max(0, ...strings.map((s) => s.length)) + 16;
  return (generated) => {
    if (generated.length === 0) return null;
    if (stopTokens.has(generated[generated.length - 1] as number)) return 'stop-token';
    for (const seq of idSequences) if (endsWith(generated, seq)) return 'stop-sequence';
    if (strings.length > 0 && decode) {
      const text = decode(generated.slice(-window));
      if (strings.some((s) => text.includes(s))) return 'stop-sequence';
    }
    return null;
  };
}

function endsWith(tokens: readonly number[], suffix: readonly number[]): boolean {
  if (suffix.length > tokens.length) return false;
  const offset = tokens.length - suffix.length;
  return suffix.every((id, i) => tokens[offset + i] === id);
}
