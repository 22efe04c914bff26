// The option checks live in the tfjs-free `@seqgen/base`; core re-exports them.
export type { RangeOptions } from '@seqgen/base';
export {
  assertFiniteNumber,
  assertInRange,
  assertNonNegativeInteger,
  assertOneOf,
  assertPositiveInteger,
  describeValue,
} from '@seqgen/base';
