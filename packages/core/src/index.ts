export type { BackendAttempt, BackendName, BackendReport, InitBackendOptions, WasmReport } from './backend.js';
export { BACKEND_ENV, BACKENDS, initBackend, WASM_THREADS_ENV } from './backend.js';
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
  MANIFEST_FILE,
  SINGLE_FILE_EXTENSION,
} from './checkpoint/format.js';
export type { LoadCheckpointOptions, LoadedCheckpoint } from './checkpoint/load.js';
export { loadCheckpoint } from './checkpoint/load.js';
export type { JsonObject, JsonValue } from './checkpoint/safe-json.js';
export type { CheckpointData, SaveCheckpointOptions } from './checkpoint/save.js';
export { saveCheckpoint } from './checkpoint/save.js';
export type { WeightArray, WeightData, WeightInput } from './checkpoint/weights.js';
export { weightsToTensors } from './checkpoint/weights.js';
export type { DoctorReport } from './doctor.js';
export { doctor, formatDoctorReport } from './doctor.js';
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
export { glorotUniform, orthogonal, randomNormal, randomUniform, truncatedNormal } from './initializers.js';
export type { Sampler, SequenceModel, Tokenizer } from './interfaces.js';
export type { RngState } from './rng.js';
export { Rng } from './rng.js';
export { VERSION } from './version.js';
