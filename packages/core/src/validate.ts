import { ConfigError } from './errors.js';

/**
 * Checks of option and config values, written once for every package. Each
 * throws a {@link ConfigError} naming `field` and what was expected (see the
 * error rule in this package's README: options and config fields are
 * ConfigErrors; tensors and arrays handed to a call are ShapeErrors).
 */

const show = (v: unknown): string => (typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? String(v)));

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
