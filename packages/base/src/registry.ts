import { ConfigError } from './errors.js';

/**
 * The one registry that rebuilds anything seqgen serializes from its
 * `type`-tagged config: cells, layers, attention, codecs (tokenizers, MIDI,
 * audio, image encodings) and models. Each `kind` is its own namespace, so a
 * cell and a model may both be called "lstm". Third-party packages register
 * into it with {@link registerConfigType}; nothing switches over `type`.
 *
 * The table lives on `globalThis` under a `Symbol.for` key so that the ESM
 * and CommonJS builds of this package (or two installed copies) share it.
 */

/** What a registry entry builds: cells, layers, attention, codecs or models (open: any string). */
export type ConfigKind = 'cell' | 'layer' | 'attention' | 'codec' | 'model' | (string & {});

/** A `type`-tagged config as stored in a checkpoint. */
export interface TypedConfig {
  /** The registered type whose factory builds an object from this config. */
  type: string;
  [key: string]: unknown;
}

/** Builds an object of one `type` from its config; `extra` is what that kind passes along (a seed, options). */
export type ConfigFactory<T = unknown, Extra extends unknown[] = unknown[]> = (
  config: TypedConfig,
  ...extra: Extra
) => T;

const REGISTRY_KEY = Symbol.for('@seqgen/base/registry');

type Table = Map<string, Map<string, ConfigFactory>>;

function table(): Table {
  const holder = globalThis as unknown as Record<symbol, Table | undefined>;
  let found = holder[REGISTRY_KEY];
  if (!found) {
    found = new Map();
    holder[REGISTRY_KEY] = found;
  }
  return found;
}

function nonEmpty(field: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || value === '') {
    throw new ConfigError(field, `must be a non-empty string, got ${JSON.stringify(value)}`);
  }
}

/**
 * Adds `type` under `kind`. Registering a type that is already there is an
 * error unless the factory is the same one (idempotent) or `replace` is set.
 */
export function registerConfigType<T, Extra extends unknown[]>(
  kind: ConfigKind,
  type: string,
  factory: ConfigFactory<T, Extra>,
  options: { replace?: boolean } = {},
): void {
  nonEmpty('kind', kind);
  nonEmpty('type', type);
  if (typeof factory !== 'function') throw new ConfigError('factory', `must be a function, got ${typeof factory}`);
  let types = table().get(kind);
  if (!types) {
    types = new Map();
    table().set(kind, types);
  }
  const existing = types.get(type);
  if (existing && existing !== factory && !options.replace) {
    throw new ConfigError(
      'type',
      `${kind} type "${type}" is already registered (pass { replace: true } to override it)`,
    );
  }
  types.set(type, factory as ConfigFactory);
}

/** Removes a registered type (tests, plugins being unloaded); returns whether it was there. */
export function unregisterConfigType(kind: ConfigKind, type: string): boolean {
  return table().get(kind)?.delete(type) ?? false;
}

/** The types registered under `kind`, sorted. */
export function registeredConfigTypes(kind: ConfigKind): string[] {
  return [...(table().get(kind)?.keys() ?? [])].sort();
}

/** True when `type` is registered under `kind`. */
export function isRegisteredConfigType(kind: ConfigKind, type: string): boolean {
  return table().get(kind)?.has(type) ?? false;
}

/**
 * Builds an object from a `type`-tagged config with the factory registered
 * for its type. An unknown or missing type is a {@link ConfigError} on
 * `field` (default `type`) that lists the known ones.
 */
export function buildFromConfig<T, Extra extends unknown[] = unknown[]>(
  kind: ConfigKind,
  config: unknown,
  ...extra: Extra
): T {
  const field = 'type';
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ConfigError(`${kind} config`, `must be an object with a "type", got ${describe(config)}`);
  }
  const type = (config as { type?: unknown }).type;
  const factory = typeof type === 'string' ? table().get(kind)?.get(type) : undefined;
  if (!factory) {
    const known = registeredConfigTypes(kind);
    throw new ConfigError(
      field,
      `unknown ${kind} type ${JSON.stringify(type)}; registered: ${known.length ? known.join(', ') : 'none'}`,
    );
  }
  return factory(config as TypedConfig, ...extra) as T;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
