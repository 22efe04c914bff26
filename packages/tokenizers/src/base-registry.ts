/**
 * The one place this package reaches seqgen's registry and validation helpers:
 * through `@seqgen/base`, which loads no TensorFlow.js (this package needs
 * none, and installs none).
 */
export {
  assertPositiveInteger,
  buildFromConfig,
  isRegisteredConfigType,
  registerConfigType,
  registeredConfigTypes,
} from '@seqgen/base';
