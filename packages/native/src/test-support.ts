// Shared by the native test files (not part of the package's API; tsup builds only src/index.ts).
import { nativeStatus } from './index.js';

/** What the addon reports at load: whether it loaded, and the CPU it found. */
export const status = nativeStatus();

/**
 * CI (`.ci/run`) sets SEQGEN_NATIVE_REQUIRED=1: there the suites run, and fail, when the addon is
 * not loaded, instead of skipping. `SEQGEN_NATIVE=0` still turns the addon off on purpose.
 */
export const required =
  process.env.SEQGEN_NATIVE_REQUIRED === '1' && !/^(0|false|off)$/i.test(process.env.SEQGEN_NATIVE?.trim() ?? '');

/** The kernel sets this CPU can run (none when the addon did not load). */
export const isas = !status.loaded
  ? []
  : ['generic', ...(status.cpu?.avx2 && status.cpu.fma ? ['avx2'] : []), ...(status.cpu?.avx512f ? ['avx512'] : [])];

/** A small deterministic generator (tests only). */
export function random(seed: number) {
  let s = seed >>> 0;
  return (scale = 1) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return ((s / 2 ** 32) * 2 - 1) * scale;
  };
}

/** `n` values of `r`, scaled. */
export const fill = (n: number, r: (s?: number) => number, scale = 1) =>
  Float32Array.from({ length: n }, () => r(scale));
