export type { BackendAttempt, BackendName, BackendReport, InitBackendOptions, WasmReport } from './backend.js';
export { BACKEND_ENV, BACKENDS, initBackend, WASM_THREADS_ENV } from './backend.js';
export type { AssignReport, AssignWeightsOptions } from './checkpoint/assign-weights.js';
export { assignWeights, isTrainerEntry, TRAINER_ENTRY_PREFIX } from './checkpoint/assign-weights.js';
export type {
  CheckpointLimits,
  CheckpointManifest,
  ModelConfig,
  TokenizerJson,
  WeightDType,
  WeightSpec,
  WeightsManifestGroup,
} from './checkpoint/format.js';
export {
  CHECKPOINT_FORMAT,
  CHECKPOINT_FORMAT_VERSION,
  DEFAULT_LIMITS,
  DEFAULT_PREPROCESSOR,
  MANIFEST_FILE,
  READABLE_FORMAT_VERSIONS,
  SINGLE_FILE_EXTENSION,
} from './checkpoint/format.js';
export { deleteIndexedDbCheckpoint, INDEXEDDB_DATABASE, INDEXEDDB_SCHEME } from './checkpoint/indexeddb.js';
export type { CheckpointSource, LoadCheckpointOptions, LoadedCheckpoint } from './checkpoint/load.js';
export { loadCheckpoint } from './checkpoint/load.js';
export type { JsonObject, JsonValue } from './checkpoint/safe-json.js';
export type { CheckpointData, SaveCheckpointOptions } from './checkpoint/save.js';
export { encodeCheckpoint, saveCheckpoint } from './checkpoint/save.js';
export type { WeightArray, WeightData, WeightInput } from './checkpoint/weights.js';
export { weightsToTensors } from './checkpoint/weights.js';
export type { Codec, CodecJson, DiscreteCodec, FrameCodec, Tokenizer } from './contracts/codec.js';
export type { Sampler } from './contracts/sampler.js';
export type {
  AttentionMemory,
  ContinuousSequenceModel,
  ContinuousStepResult,
  SequenceModel,
  SequenceStepResult,
  SteppedModel,
} from './contracts/sequence-model.js';
export type { EnvironmentReport } from './environment-report.js';
export { environmentReport, formatEnvironmentReport } from './environment-report.js';
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
export type { FileStats } from './file-kind.js';
export { fileKind } from './file-kind.js';
export { GATHER_ROWS, gatherRows } from './gather-rows.js';
export {
  glorotUniform,
  orthogonal,
  randomNormal,
  randomUniform,
  truncatedNormal,
  withoutOrthogonalization,
} from './initializers.js';
export type { ConfigFactory, ConfigKind, TypedConfig } from './registry.js';
export {
  buildFromConfig,
  isRegisteredConfigType,
  registerConfigType,
  registeredConfigTypes,
  unregisterConfigType,
} from './registry.js';
export type { RngState } from './rng.js';
export { Rng } from './rng.js';
export type { RangeOptions } from './validate.js';
export {
  assertFiniteNumber,
  assertInRange,
  assertNonNegativeInteger,
  assertOneOf,
  assertPositiveInteger,
  describeValue,
} from './validate.js';
export { VERSION } from './version.js';
export { registerWasmConvKernels } from './wasm-conv-kernels.js';
