import { describe, expect, it } from 'vitest';
import * as api from './index.js';

// The curated public surface: adding or removing an export is a deliberate,
// reviewed change (update this list, the README's API table and a changeset).
describe('@seqgen/native public API', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(api).sort()).toEqual([
      'NATIVE_ENV',
      'adamUpdate',
      'attentionBackward',
      'attentionForward',
      'configureNative',
      'convLstmBackward',
      'convLstmForward',
      'crossEntropyBackward',
      'crossEntropyForward',
      'decodeStep',
      'gemm',
      'nativeAvailable',
      'nativeCallCounts',
      'nativeMemory',
      'nativeStatus',
      'packDecoder',
      'packStepWeights',
      'releaseSaved',
      'sequenceBackward',
      'sequenceForward',
      'stepForward',
    ]);
  });
});
