import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import {
  buildFromConfig,
  isRegisteredConfigType,
  registerConfigType,
  registeredConfigTypes,
  unregisterConfigType,
} from './registry.js';

describe('config registry', () => {
  it('builds a registered type from its config, passing extra arguments along', () => {
    const factory = (config: { type: string; [k: string]: unknown }, seed: unknown) => ({
      units: config.units,
      seed,
    });
    registerConfigType('test-kind', 'thing', factory);
    expect(isRegisteredConfigType('test-kind', 'thing')).toBe(true);
    expect(buildFromConfig('test-kind', { type: 'thing', units: 4 }, 7)).toEqual({ units: 4, seed: 7 });
    // Registering the same factory again is harmless (packages register their built-ins lazily).
    registerConfigType('test-kind', 'thing', factory);
    expect(registeredConfigTypes('test-kind')).toEqual(['thing']);
    expect(unregisterConfigType('test-kind', 'thing')).toBe(true);
    expect(unregisterConfigType('test-kind', 'thing')).toBe(false);
  });

  it('keeps kinds apart and refuses to overwrite a different factory unless asked', () => {
    registerConfigType('kind-a', 'same', () => 'a');
    registerConfigType('kind-b', 'same', () => 'b');
    expect(buildFromConfig('kind-a', { type: 'same' })).toBe('a');
    expect(buildFromConfig('kind-b', { type: 'same' })).toBe('b');
    expect(() => registerConfigType('kind-a', 'same', () => 'c')).toThrow(/already registered/);
    registerConfigType('kind-a', 'same', () => 'c', { replace: true });
    expect(buildFromConfig('kind-a', { type: 'same' })).toBe('c');
  });

  it('names the unknown type and lists the registered ones', () => {
    registerConfigType('kind-c', 'known', () => 1);
    const error = (() => {
      try {
        buildFromConfig('kind-c', { type: 'nope' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe('type');
    expect((error as Error).message).toBe('type: unknown kind-c type "nope"; registered: known');
    expect(() => buildFromConfig('kind-c', null)).toThrow(/kind-c config: must be an object with a "type", got null/);
    expect(() => buildFromConfig('kind-c', [])).toThrow(/got an array/);
    expect(() => buildFromConfig('empty-kind', { type: 'x' })).toThrow(/registered: none/);
  });

  it('refuses empty names and non-function factories', () => {
    expect(() => registerConfigType('', 'x', () => 1)).toThrow(ConfigError);
    expect(() => registerConfigType('k', '', () => 1)).toThrow(/type: must be a non-empty string/);
    expect(() => registerConfigType('k', 'x', 3 as never)).toThrow(/factory: must be a function, got number/);
  });

  it('is one table per process, shared through globalThis by every copy of base', () => {
    registerConfigType('kind-d', 'shared', () => 'one');
    const table = (globalThis as Record<symbol, Map<string, Map<string, unknown>>>)[
      Symbol.for('@seqgen/base/registry')
    ];
    expect(table?.get('kind-d')?.has('shared')).toBe(true);
  });
});
