/**
 * The one place this package reaches core's registry and validation helpers:
 * through `@seqgen/core/registry`, which loads no TensorFlow.js (this package
 * needs none).
 */
export {
  assertPositiveInteger,
  buildFromConfig,
  isRegisteredConfigType,
  registerConfigType,
  registeredConfigTypes,
} from '@seqgen/core/registry';
