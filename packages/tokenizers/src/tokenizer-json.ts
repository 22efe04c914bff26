import { ConfigError, TokenizerError } from '@seqgen/base';

/** The serialization format version every tokenizer here writes and reads. */
export const TOKENIZER_FORMAT_VERSION = 1;

export type JsonRecord = Record<string, unknown>;

/** Accepts a parsed object or JSON text; anything that is not a JSON object is 'corrupt'. */
export function toJsonRecord(input: unknown, what = 'tokenizer JSON'): JsonRecord {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new TokenizerError('corrupt', `${what}: not valid JSON (${(error as Error).message})`);
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TokenizerError('corrupt', `${what}: expected a JSON object, got ${describe(value)}`);
  }
  return value as JsonRecord;
}

/**
 * Checks `type` and `version` before anything else, so that a file written by
 * a newer format says so instead of failing on some renamed field.
 */
export function checkHeader(json: JsonRecord, expectedType: string): void {
  if (json.type !== expectedType) {
    throw new TokenizerError('corrupt', `tokenizer JSON: type must be "${expectedType}", got ${describe(json.type)}`);
  }
  const version = json.version;
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    throw new TokenizerError(
      'corrupt',
      `${expectedType} tokenizer JSON: version must be an integer, got ${describe(version)}`,
    );
  }
  if (version !== TOKENIZER_FORMAT_VERSION) {
    throw new TokenizerError(
      'version-mismatch',
      `${expectedType} tokenizer JSON: version ${version} is not supported (this build reads version ${TOKENIZER_FORMAT_VERSION})`,
    );
  }
}

export function readStringArray(json: JsonRecord, field: string, context: string): string[] {
  const value = json[field];
  if (!Array.isArray(value)) {
    throw new TokenizerError('corrupt', `${context}: ${field} must be an array of strings, got ${describe(value)}`);
  }
  value.forEach((item, i) => {
    if (typeof item !== 'string') {
      throw new TokenizerError('corrupt', `${context}: ${field}[${i}] must be a string, got ${describe(item)}`);
    }
  });
  return value as string[];
}

/** Reads an optional field with a typeof check; `undefined` means absent. */
export function readOptional<T extends 'string' | 'number' | 'boolean'>(
  json: JsonRecord,
  field: string,
  kind: T,
  context: string,
): (T extends 'string' ? string : T extends 'number' ? number : boolean) | undefined {
  const value = json[field];
  if (value === undefined) return undefined;
  if (typeof value !== kind) {
    throw new TokenizerError('corrupt', `${context}: ${field} must be a ${kind}, got ${describe(value)}`);
  }
  return value as never;
}

/**
 * Runs `build` (a constructor fed with fields read from a file) and reports a
 * `ConfigError` it raises as what it is there: a corrupt file, naming the field.
 */
export function asCorrupt<T>(context: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof ConfigError) throw new TokenizerError('corrupt', `${context}: ${error.message}`);
    throw error;
  }
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
