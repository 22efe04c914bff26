import { ConfigError } from './errors.js';

/**
 * Checks of option and config values, written once for every package. Each
 * throws a {@link ConfigError} naming `field` and what was expected (see the
 * error rule in this package's README: options and config fields are
 * ConfigErrors; tensors and arrays handed to a call are ShapeErrors).
 */

/**
 * A value as an error message shows it: numbers as written, everything else
 * as JSON (so the string `"256"` reads differently from the number 256), long
 * values cut to `maxLength` characters and control characters escaped, so that
 * a message never carries a file's raw bytes.
 */
export function describeValue(value: unknown, maxLength = 80): string {
  let text: string;
  if (typeof value === 'number') text = String(value);
  else if (typeof value === 'bigint') text = `${value}n`;
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = Object.prototype.toString.call(value);
    }
  }
  // JSON escapes control characters inside strings; escape any left (e.g. from String()).
  let safe = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    const control = code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
    safe += control ? `\\u${code.toString(16).padStart(4, '0')}` : ch;
  }
  text = safe;
  return text.length > maxLength ? `${text.slice(0, Math.max(0, maxLength - 1))}…` : text;
}

const show = (v: unknown): string => describeValue(v);

/** An integer ≥ 1. */
export function assertPositiveInteger(field: string, value: unknown): asserts value is number {
  if (!(typeof value === 'number' && Number.isSafeInteger(value) && value > 0)) {
    throw new ConfigError(field, `must be a positive integer, got ${show(value)}`);
  }
}

/** An integer ≥ 0. */
export function assertNonNegativeInteger(field: string, value: unknown): asserts value is number {
  if (!(typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)) {
    throw new ConfigError(field, `must be a non-negative integer, got ${show(value)}`);
  }
}

/** A finite number. */
export function assertFiniteNumber(field: string, value: unknown): asserts value is number {
  if (!(typeof value === 'number' && Number.isFinite(value))) {
    throw new ConfigError(field, `must be a finite number, got ${show(value)}`);
  }
}

/** Whether {@link assertInRange} excludes either end of its range. */
export interface RangeOptions {
  /** Exclude `min` itself (default false). */
  openMin?: boolean;
  /** Exclude `max` itself (default false). */
  openMax?: boolean;
}

/** A finite number in `[min, max]` (or open at either end). */
export function assertInRange(
  field: string,
  value: unknown,
  min: number,
  max: number,
  options: RangeOptions = {},
): asserts value is number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (options.openMin ? value > min : value >= min) &&
    (options.openMax ? value < max : value <= max);
  if (!ok) {
    const range = `${options.openMin ? '(' : '['}${min}, ${max}${options.openMax ? ')' : ']'}`;
    throw new ConfigError(field, `must be a number in ${range}, got ${show(value)}`);
  }
}

/** One of `choices`. */
export function assertOneOf<T extends string>(
  field: string,
  value: unknown,
  choices: readonly T[],
): asserts value is T {
  if (!choices.includes(value as T)) {
    throw new ConfigError(field, `must be one of ${choices.map((c) => `"${c}"`).join(', ')}, got ${show(value)}`);
  }
}
