import { describe, expect, it } from 'vitest';
import * as api from './index.js';

// The curated public surface: adding or removing an export is a deliberate,
// reviewed change (update this list, the README's API table and a changeset).
describe('@seqgen/interop public API', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(api).sort()).toEqual([
      'StateDictMismatchError',
      'TORCH_MODEL_FILES',
      'TORCH_MODEL_FORMAT',
      'encodeSafetensors',
      'exportKerasWeights',
      'exportTorchLM',
      'exportTorchModel',
      'exportTorchSeq2Seq',
      'exportTorchWeights',
      'importKerasWeights',
      'importTorchLM',
      'importTorchModel',
      'importTorchSeq2Seq',
      'importTorchWeights',
      'parseSafetensors',
      'readSafetensors',
      'readTorchModel',
      'saveTorchModel',
      'torchLMShapes',
      'torchModelToCheckpoint',
      'torchSeq2SeqShapes',
      'writeTorchModel',
    ]);
  });
});
