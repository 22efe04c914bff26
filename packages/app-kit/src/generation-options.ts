import { ConfigError } from '@seqgen/core';
import { type GenerationConfig, resolveGenerationConfig } from '@seqgen/samplers';
import type { Command } from 'commander';
import { UsageError } from './errors.js';
import { flagOf, isExplicit } from './options.js';

/**
 * Resolves the generation config an app built from its options, refusing
 * what the library refuses — but only for options the user gave: `flags`
 * maps each config field to the attribute name of the option that sets it
 * (`{ topP: 'topP', temperature: 'temperature' }`). When the library refuses
 * a field the user did not set (an app default that does not apply, such as
 * the default temperature under beam search), the library's own default is
 * used instead; when the user set it, the result is a {@link UsageError}
 * naming the flag: `--top-p is a sampling setting; beam search is deterministic`.
 */
export function resolveGenerationOptions(
  command: Command,
  config: Partial<GenerationConfig>,
  flags: Partial<Record<keyof GenerationConfig, string>>,
): GenerationConfig {
  const partial: Partial<GenerationConfig> = { ...config };
  for (;;) {
    try {
      return resolveGenerationConfig(partial);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const field = error.field as keyof GenerationConfig;
      const attribute = flags[field];
      const reason = error.message.startsWith(`${field}: `) ? error.message.slice(field.length + 2) : error.message;
      if (attribute && isExplicit(command, attribute)) {
        throw new UsageError(`${flagOf(command, attribute)} ${reason}`, { cause: error });
      }
      if (!(field in partial) || attribute === undefined) throw error; // the app's own doing: a bug, not a usage error
      delete partial[field];
    }
  }
}
