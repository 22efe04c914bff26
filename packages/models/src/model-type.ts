import { ConfigError, describeValue } from '@seqgen/core';

/**
 * Throws ConfigError 'type' unless `config` (any value: it may come from JSON)
 * names the model type `expected`, so each model's `fromConfig` and
 * `weightShapes` reject another model's config with the same message.
 */
export function checkModelType(config: unknown, expected: string): void {
  const type = (config as { type?: unknown } | null | undefined)?.type;
  if (type !== expected) {
    throw new ConfigError('type', `expected "${expected}", got ${describeValue(type)}`);
  }
}
