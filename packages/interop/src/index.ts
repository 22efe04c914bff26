export type { ImportWeightsOptions } from './finite.js';
export type { KerasWeights } from './keras.js';
export { exportKerasWeights, importKerasWeights } from './keras.js';
export type { TorchTensorData } from './pytorch.js';
export { exportTorchWeights, importTorchWeights } from './pytorch.js';
export type { ReadSafetensorsOptions, SafeTensor, SafetensorsFile } from './safetensors.js';
export { encodeSafetensors, parseSafetensors, readSafetensors } from './safetensors.js';
export type { MisshapedWeight, StateDictReport } from './state-dict-mismatch.js';
export { StateDictMismatchError } from './state-dict-mismatch.js';
export { exportTorchLM, importTorchLM, torchLMShapes } from './torch-lm.js';
export type {
  ExportableModel,
  ExportTorchOptions,
  ImportedTorchModel,
  TorchModel,
  TorchModelConfig,
} from './torch-model.js';
export {
  exportTorchModel,
  importTorchModel,
  readTorchModel,
  saveTorchModel,
  TORCH_MODEL_FILES,
  TORCH_MODEL_FORMAT,
  torchModelToCheckpoint,
  writeTorchModel,
} from './torch-model.js';
export { exportTorchSeq2Seq, importTorchSeq2Seq, torchSeq2SeqShapes } from './torch-seq2seq.js';
