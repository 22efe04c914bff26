// `@seqgen/core/registry`: the config registry and option checks without
// TensorFlow.js, for packages that promise to need none (tokenizers, codecs).
export type { ConfigFactory, ConfigKind, TypedConfig } from './registry.js';
export {
  buildFromConfig,
  isRegisteredConfigType,
  registerConfigType,
  registeredConfigTypes,
  unregisterConfigType,
} from './registry.js';
export type { RangeOptions } from './validate.js';
export {
  assertFiniteNumber,
  assertInRange,
  assertNonNegativeInteger,
  assertOneOf,
  assertPositiveInteger,
  describeValue,
} from './validate.js';
