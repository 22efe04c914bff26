import { ConfigError, type JsonValue, type TypedConfig } from '@seqgen/core';

/** Checks that a config has the `type` its `fromConfig` builds (a ConfigError otherwise). */
export function expectType(config: unknown, type: string, who: string): TypedConfig {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ConfigError(`${who} config`, `must be an object with "type": "${type}"`);
  }
  const found = (config as { type?: unknown }).type;
  if (found !== type)
    throw new ConfigError('type', `${who}.fromConfig expects "${type}", got ${JSON.stringify(found)}`);
  return config as TypedConfig;
}

/** A nested `type`-tagged config (a layer's cell), or a ConfigError naming `field`. */
export function nestedConfig(config: TypedConfig, field: string): TypedConfig {
  const v = config[field];
  if (typeof v !== 'object' || v === null || Array.isArray(v) || typeof (v as { type?: unknown }).type !== 'string') {
    throw new ConfigError(field, `must be a config object with a "type", got ${JSON.stringify(v) ?? String(v)}`);
  }
  return v as TypedConfig;
}

/** `{ [field]: value }` when the config has the field with a value of `kind`; `{}` when absent; else a ConfigError. */
export function pick<K extends 'number' | 'boolean' | 'string'>(
  config: TypedConfig,
  field: string,
  kind: K,
): Record<string, K extends 'number' ? number : K extends 'boolean' ? boolean : string> {
  const v = config[field] as JsonValue | undefined;
  if (v === undefined || v === null) return {};
  if (typeof v !== kind) throw new ConfigError(field, `must be a ${kind}, got ${JSON.stringify(v)}`);
  return { [field]: v } as never;
}
