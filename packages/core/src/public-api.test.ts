import { describe, expect, it } from 'vitest';
import * as errors from './errors.js';
import * as api from './index.js';
import * as registry from './registry-entry.js';

// The curated public surface: adding or removing an export is a deliberate,
// reviewed change (update this list, the README's API table and a changeset).
describe('@seqgen/core public API', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(api).sort()).toEqual([
      'BACKENDS',
      'BACKEND_ENV',
      'BackendError',
      'CHECKPOINT_FORMAT',
      'CHECKPOINT_FORMAT_VERSION',
      'CheckpointError',
      'ConfigError',
      'DEFAULT_LIMITS',
      'DEFAULT_PREPROCESSOR',
      'GATHER_ROWS',
      'INDEXEDDB_DATABASE',
      'INDEXEDDB_SCHEME',
      'MANIFEST_FILE',
      'NonFiniteError',
      'READABLE_FORMAT_VERSIONS',
      'Rng',
      'SINGLE_FILE_EXTENSION',
      'SeqgenError',
      'ShapeError',
      'TRAINER_ENTRY_PREFIX',
      'TokenizerError',
      'VERSION',
      'WASM_THREADS_ENV',
      'assertFiniteNumber',
      'assertInRange',
      'assertNonNegativeInteger',
      'assertOneOf',
      'assertPositiveInteger',
      'assignWeights',
      'buildFromConfig',
      'deleteIndexedDbCheckpoint',
      'describeValue',
      'encodeCheckpoint',
      'environmentReport',
      'fileKind',
      'formatEnvironmentReport',
      'gatherRows',
      'glorotUniform',
      'initBackend',
      'isRegisteredConfigType',
      'isTrainerEntry',
      'loadCheckpoint',
      'orthogonal',
      'randomNormal',
      'randomUniform',
      'registerConfigType',
      'registerWasmConvKernels',
      'registeredConfigTypes',
      'saveCheckpoint',
      'truncatedNormal',
      'unregisterConfigType',
      'weightsToTensors',
      'withoutOrthogonalization',
    ]);
  });

  it('@seqgen/core/errors exports the error classes and nothing else', () => {
    expect(Object.keys(errors).sort()).toEqual([
      'BackendError',
      'CheckpointError',
      'ConfigError',
      'NonFiniteError',
      'SeqgenError',
      'ShapeError',
      'TokenizerError',
    ]);
  });

  it('@seqgen/core/registry exports the registry and option checks (no tfjs)', () => {
    expect(Object.keys(registry).sort()).toEqual([
      'assertFiniteNumber',
      'assertInRange',
      'assertNonNegativeInteger',
      'assertOneOf',
      'assertPositiveInteger',
      'buildFromConfig',
      'describeValue',
      'isRegisteredConfigType',
      'registerConfigType',
      'registeredConfigTypes',
      'unregisterConfigType',
    ]);
  });
});
