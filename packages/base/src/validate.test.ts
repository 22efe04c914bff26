import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import {
  assertFiniteNumber,
  assertInRange,
  assertNonNegativeInteger,
  assertOneOf,
  assertPositiveInteger,
} from './validate.js';

describe('validation helpers', () => {
  it('accept good values and name the field and the value otherwise', () => {
    expect(() => assertPositiveInteger('hiddenSize', 3)).not.toThrow();
    for (const bad of [0, -1, 1.5, Number.NaN, '3', 2 ** 60]) {
      expect(() => assertPositiveInteger('hiddenSize', bad)).toThrow(ConfigError);
    }
    expect(() => assertPositiveInteger('hiddenSize', 0)).toThrow('hiddenSize: must be a positive integer, got 0');
    expect(() => assertPositiveInteger('x', '3')).toThrow('x: must be a positive integer, got "3"');
    expect(() => assertNonNegativeInteger('n', 0)).not.toThrow();
    expect(() => assertNonNegativeInteger('n', -1)).toThrow('n: must be a non-negative integer, got -1');
    expect(() => assertFiniteNumber('lr', Number.POSITIVE_INFINITY)).toThrow(
      'lr: must be a finite number, got Infinity',
    );
    expect(() => assertFiniteNumber('lr', undefined)).toThrow('lr: must be a finite number, got undefined');
  });

  it('ranges: closed by default, open at either end on request', () => {
    expect(() => assertInRange('p', 1, 0, 1)).not.toThrow();
    expect(() => assertInRange('p', 0, 0, 1, { openMin: true })).toThrow('p: must be a number in (0, 1], got 0');
    expect(() => assertInRange('p', 1, 0, 1, { openMax: true })).toThrow('p: must be a number in [0, 1), got 1');
    expect(() => assertInRange('p', Number.NaN, 0, 1)).toThrow(ConfigError);
  });

  it('choices list every allowed value', () => {
    expect(() => assertOneOf('bptt', 'full', ['truncated', 'full'])).not.toThrow();
    expect(() => assertOneOf('bptt', 'half', ['truncated', 'full'])).toThrow(
      'bptt: must be one of "truncated", "full", got "half"',
    );
  });
});
