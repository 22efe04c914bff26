// `@seqgen/core/registry`: the config registry and option checks without
// TensorFlow.js. They live in `@seqgen/base` (which tfjs-free packages import
// directly); this entry stays for code that imported it from core.
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
