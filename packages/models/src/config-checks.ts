import { ConfigError, describeValue } from '@seqgen/core';

/**
 * Throws ConfigError 'config' unless `options` is a plain object (not null,
 * not an array): the first check of a model config read from JSON.
 */
export function checkConfigObject(options: unknown): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConfigError('config', `must be an object, got ${describeValue(options)}`);
  }
}

/**
 * Throws ConfigError naming the first key of `options` that is not in
 * `knownFields` (a misspelt field must not silently fall back to a default;
 * an odd key is quoted, cut to 64 characters), then ConfigError 'type' when
 * `options.type` is given and is not `type`.
 */
export function checkConfigFields(options: object, knownFields: ReadonlySet<string>, type: string): void {
  for (const key of Object.keys(options)) {
    if (!knownFields.has(key)) {
      throw new ConfigError(
        /^[A-Za-z_$][\w$]{0,63}$/.test(key) ? key : describeValue(key, 64),
        `is not a ${type} setting`,
      );
    }
  }
  const given = (options as { type?: unknown }).type;
  if (given !== undefined && given !== type) {
    throw new ConfigError('type', `expected "${type}", got ${describeValue(given)}`);
  }
}

/** Throws ConfigError naming `field` when `value` exceeds `limit`. */
export function atMost(value: number, limit: number, field: string): void {
  if (value > limit) throw new ConfigError(field, `must be at most ${limit}, got ${describeValue(value)}`);
}

/** `o` without its undefined fields, so spreading it over defaults keeps the defaults. */
export function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
