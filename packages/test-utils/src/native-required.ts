/**
 * CI (`.ci/run`) sets `SEQGEN_NATIVE_REQUIRED=1`: there a suite that compares against the native
 * kernels must reach them (it fails instead of skipping), except where `SEQGEN_NATIVE=0` turns
 * the addon off on purpose. (@seqgen/native, below this package, keeps its own copy.)
 */
export const NATIVE_REQUIRED =
  process.env.SEQGEN_NATIVE_REQUIRED === '1' && !/^(0|false|off)$/i.test(process.env.SEQGEN_NATIVE?.trim() ?? '');
