import { describe, expect, it } from 'vitest';
import * as api from './index.js';

// The curated public surface: adding or removing an export is a deliberate,
// reviewed change (update this list, the README's API table and a changeset).
describe('@seqgen/base public API', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(api).sort()).toEqual([
      'BackendError',
      'CheckpointError',
      'ConfigError',
      'NonFiniteError',
      'SeqgenError',
      'ShapeError',
      'TokenizerError',
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
