// The config registry lives in the tfjs-free `@seqgen/base`; core re-exports it.
export type { ConfigFactory, ConfigKind, TypedConfig } from '@seqgen/base';
export {
  buildFromConfig,
  isRegisteredConfigType,
  registerConfigType,
  registeredConfigTypes,
  unregisterConfigType,
} from '@seqgen/base';
