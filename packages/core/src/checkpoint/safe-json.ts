import type { JsonObject, JsonValue } from '@seqgen/base';

export type { JsonObject, JsonValue } from '@seqgen/base';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Parses JSON data only: no revivers that construct objects, and keys that
 * could reach an object's prototype are refused, so a crafted file cannot
 * change behaviour elsewhere in the process. Throws the parser's error or
 * an Error naming the forbidden key.
 */
export function parseJsonStrict(text: string): JsonValue {
  return JSON.parse(text, (key, value) => {
    if (FORBIDDEN_KEYS.has(key)) throw new Error(`forbidden key "${key}"`);
    return value;
  }) as JsonValue;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
