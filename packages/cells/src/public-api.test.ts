import { describe, expect, it } from 'vitest';
import * as api from './index.js';

// The curated public surface: adding or removing an export is a deliberate,
// reviewed change (update this list, the README's API table and a changeset).
describe('@seqgen/cells public API', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(api).sort()).toEqual([
      'BahdanauAttention',
      'Bidirectional',
      'CELL_INITS',
      'ConvLSTM2D',
      'ConvLSTM2DCell',
      'GRUCell',
      'LSTMCell',
      'LocationSensitiveAttention',
      'LuongAttention',
      'RecurrentLayer',
      'SimpleRNNCell',
      'StackedRNN',
      'attentionFromConfig',
      'cellFromConfig',
      'doctor',
      'dropoutMask',
      'embeddingLookup',
      'formatDoctorReport',
      'fusedKernelStatus',
      'layerFromConfig',
      'lengthMask',
      'linear',
      'nativeAdamUpdate',
      'nativeAdditiveAttention',
      'nativeCrossEntropy',
      'nativeKernels',
      'registerBuiltinCells',
      'sameConv2d',
      'setNativeKernels',
      'stackSteps',
      'unstackSteps',
    ]);
  });
});
