import { ConfigError } from '@seqgen/base';

/** The object form of a codec's JSON, checked for its `type` and version 1. */
export function codecJson(json: unknown, type: string): Record<string, unknown> {
  const j = typeof json === 'string' ? safeParse(json, type) : json;
  if (typeof j !== 'object' || j === null || Array.isArray(j)) {
    throw new ConfigError(`${type} JSON`, 'must be an object');
  }
  const record = j as Record<string, unknown>;
  if (record.type !== type) throw new ConfigError('type', `must be "${type}", got ${JSON.stringify(record.type)}`);
  if (record.version !== 1)
    throw new ConfigError('version', `${type}: only version 1 is known, got ${JSON.stringify(record.version)}`);
  return record;
}

function safeParse(text: string, type: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ConfigError(`${type} JSON`, 'is not valid JSON');
  }
}
