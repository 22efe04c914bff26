export type { ImportWeightsOptions } from './finite.js';
export type { KerasWeights } from './keras.js';
export { exportKerasWeights, importKerasWeights } from './keras.js';
export type { TorchTensorData } from './pytorch.js';
export { exportTorchWeights, importTorchWeights } from './pytorch.js';
export type { ReadSafetensorsOptions, SafeTensor, SafetensorsFile } from './safetensors.js';
export { encodeSafetensors, parseSafetensors, readSafetensors } from './safetensors.js';
