import { describe, expect, it } from 'vitest';
import * as api from './index.js';

// The curated public surface: adding or removing an export is a deliberate,
// reviewed change (update this list, the README's API table and a changeset).
describe('@seqgen/models public API', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(api).sort()).toEqual([
      'AttentionDecoder',
      'DEFAULT_LM_CONFIG_LIMITS',
      'DEFAULT_RECURRENT_LM_CONFIG',
      'DEFAULT_SEQ2SEQ_CONFIG',
      'NGRAM_UNKNOWN',
      'NgramModel',
      'RECURRENT_LM_TYPE',
      'RecurrentLanguageModel',
      'SEQ2SEQ_TYPE',
      'Seq2Seq',
      'Seq2SeqBatchSource',
      'attentionWeightsOf',
      'disposeCondition',
      'encodeModel',
      'loadModel',
      'maskedCrossEntropy',
      'modelFromCheckpoint',
      'modelFromConfig',
      'nativeDecoder',
      'registerBuiltinModels',
      'registerModelType',
      'registeredModelTypes',
      'resolveLMConfig',
      'resolveSeq2SeqConfig',
      'saveModel',
      'seq2seqBatches',
      'translateBatch',
      'unregisterModelType',
    ]);
  });
});
