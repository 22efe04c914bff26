export type { Codec, CodecJson, DiscreteCodec, FrameCodec, Tokenizer } from './contracts/codec.js';
export type { BackendFailure, CheckpointFailure, TokenizerFailure } from './errors.js';
export {
  BackendError,
  CheckpointError,
  ConfigError,
  NonFiniteError,
  SeqgenError,
  ShapeError,
  TokenizerError,
} from './errors.js';
export type { JsonObject, JsonValue } from './json-value.js';
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
