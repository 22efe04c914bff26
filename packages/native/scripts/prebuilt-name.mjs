/**
 * Where this machine's prebuilt binary lives in the package:
 * prebuilds/<platform>-<arch>/seqgen_native.<libc>.napi<N>.node. The loader
 * (src/addon-binary.ts) looks for the same name; the release test loads the
 * packed binary through the loader, which keeps the two in step.
 */
import { join } from 'node:path';

/** The N-API version binding.gyp compiles against (NAPI_VERSION). */
export const ADDON_NAPI_VERSION = 8;

/** `glibc` or `musl` on Linux, `''` elsewhere. */
export function currentLibc() {
  if (process.platform !== 'linux') return '';
  return process.report?.getReport()?.header?.glibcVersionRuntime ? 'glibc' : 'musl';
}

/** The absolute path of this machine's prebuilt binary under the package root. */
export function prebuiltPath(root) {
  const libc = currentLibc();
  return join(
    root,
    'prebuilds',
    `${process.platform}-${process.arch}`,
    `seqgen_native.${libc ? `${libc}.` : ''}napi${ADDON_NAPI_VERSION}.node`,
  );
}
