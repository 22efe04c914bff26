export type { Attention, AttentionOptions, AttentionResult } from './attention/attention.js';
export type { BahdanauAttentionOptions } from './attention/bahdanau-attention.js';
export { BahdanauAttention } from './attention/bahdanau-attention.js';
export type {
  LocationAttentionMemory,
  LocationAttentionOptions,
  LocationAttentionResult,
  LocationSensitiveAttentionOptions,
} from './attention/location-sensitive-attention.js';
export { LocationSensitiveAttention } from './attention/location-sensitive-attention.js';
export type { LuongAttentionOptions } from './attention/luong-attention.js';
export { LuongAttention } from './attention/luong-attention.js';
export type { MergeMode } from './bidirectional.js';
export { Bidirectional } from './bidirectional.js';
export type { CellConfigJson, CellType, RecurrentCell, SequenceResult, StepOptions, StepResult } from './cell.js';
export type { CellInit } from './cell-init.js';
export { CELL_INITS } from './cell-init.js';
export type { BaseCellOptions } from './cell-options.js';
export type { TaggedConfigJson } from './config-json.js';
export { attentionFromConfig, cellFromConfig, layerFromConfig, registerBuiltinCells } from './config-registry.js';
export type { ConvLSTM2DCellOptions, ConvLstmSequenceResult } from './conv-lstm-cell.js';
export { ConvLSTM2DCell, sameConv2d } from './conv-lstm-cell.js';
export type { ConvLSTM2DApplyOptions, ConvLSTM2DOptions, ConvLSTM2DResult } from './conv-lstm-layer.js';
export { ConvLSTM2D } from './conv-lstm-layer.js';
export type { DoctorReport, NativeKernelsReport } from './doctor.js';
export { doctor, formatDoctorReport } from './doctor.js';
export { dropoutMask } from './dropout-mask.js';
export { type AdamUpdateResult, nativeAdamUpdate } from './fused/native-adam.js';
export { type NativeAttentionStep, nativeAdditiveAttention } from './fused/native-additive-attention.js';
export { nativeCrossEntropy } from './fused/native-cross-entropy.js';
export type { FusedKernelStatus, NativeKernels } from './fused/native-sequence.js';
export { fusedKernelStatus, nativeKernels, setNativeKernels } from './fused/native-sequence.js';
export { stackSteps, unstackSteps } from './fused/time-order.js';
export type { GRUCellOptions } from './gru-cell.js';
export { GRUCell } from './gru-cell.js';
export type { LSTMCellOptions } from './lstm-cell.js';
export { LSTMCell } from './lstm-cell.js';
export { type EmbeddingLookupOptions, embeddingLookup } from './ops/embedding.js';
export { linear } from './ops/linear.js';
export type { ApplyOptions, LayerResult, RecurrentLayerOptions } from './recurrent-layer.js';
export { lengthMask, RecurrentLayer } from './recurrent-layer.js';
export type { SequenceLayer } from './sequence-layer.js';
export type { SimpleRNNCellOptions } from './simple-rnn-cell.js';
export { SimpleRNNCell } from './simple-rnn-cell.js';
export type {
  StackedApplyOptions,
  StackedCellType,
  StackedResult,
  StackedRNNConfigJson,
  StackedRNNOptions,
  StackedRNNProjection,
  StackedRNNResolvedOptions,
  StackedStepResult,
} from './stacked-rnn.js';
export { StackedRNN } from './stacked-rnn.js';
