#!/usr/bin/env node
/**
 * Compiles the addon (build/Release/seqgen_native.node) from csrc/ with node-gyp.
 * Never downloads a binary. A failure (no compiler, unsupported platform) leaves
 * the package usable: the JavaScript part reports "not built" and @seqgen/cells
 * falls back to its pure-tfjs kernels. The reason is kept in build/build-status.json.
 *
 *   --strict              exit non-zero when the compile fails
 *   --quiet-failure       print one line instead of the compiler output on failure
 *   --prefer-prebuilt     (the install script) compile nothing when the package's prebuilt binary
 *                         for this machine (scripts/prebuild.mjs) loads: no compiler needed
 *   SEQGEN_NATIVE_FROM_SOURCE=1  compile even when the prebuilt binary loads
 *   SEQGEN_NATIVE_SKIP_BUILD=1   do not compile (tests of the fallback, or no toolchain wanted)
 *   SEQGEN_NATIVE_REQUIRED=1     the addon is expected (CI): as --strict, with the full compiler output, even in the install script
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prebuiltPath } from './prebuilt-name.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const required = process.env.SEQGEN_NATIVE_REQUIRED === '1';
const strict = required || process.argv.includes('--strict');
// Expected to build: show the compiler's own output on failure, even from the install script.
const quiet = !required && process.argv.includes('--quiet-failure');
const addon = join(root, 'build', 'Release', 'seqgen_native.node');
const statusFile = join(root, 'build', 'build-status.json');

function record(status) {
  mkdirSync(join(root, 'build'), { recursive: true });
  writeFileSync(statusFile, `${JSON.stringify({ ...status, at: new Date().toISOString() }, null, 2)}\n`);
}

if (process.env.SEQGEN_NATIVE_SKIP_BUILD === '1') {
  console.log('@seqgen/native: SEQGEN_NATIVE_SKIP_BUILD=1, addon not compiled');
  process.exit(0);
}

if (process.argv.includes('--prefer-prebuilt') && process.env.SEQGEN_NATIVE_FROM_SOURCE !== '1') {
  const prebuilt = prebuiltPath(root);
  // Loaded in a child process: a binary that does not load here (another libc, an old glibc) must not end this one.
  const probe = existsSync(prebuilt)
    ? spawnSync(process.execPath, ['-e', 'require(process.argv[1]).info()', prebuilt], { encoding: 'utf8' })
    : undefined;
  if (probe?.status === 0) {
    console.log('@seqgen/native: the prebuilt binary loads on this machine; nothing to compile');
    process.exit(0);
  }
  if (probe)
    console.warn(
      `@seqgen/native: the prebuilt binary does not load here (${
        probe.stderr
          .split('\n')
          .find((l) => /error/i.test(l))
          ?.trim() ?? `exit ${probe.status}`
      }); compiling from source`,
    );
}

// Up to date: the addon is newer than every source.
const sources = [join(root, 'binding.gyp'), ...readdirSync(join(root, 'csrc')).map((f) => join(root, 'csrc', f))];
if (existsSync(addon)) {
  const built = statSync(addon).mtimeMs;
  if (sources.every((f) => statSync(f).mtimeMs < built)) {
    console.log('@seqgen/native: addon up to date');
    process.exit(0);
  }
}

let gyp;
try {
  gyp = createRequire(join(root, 'package.json')).resolve('node-gyp/bin/node-gyp.js');
} catch {
  record({ ok: false, reason: 'node-gyp is not installed' });
  console.warn('@seqgen/native: node-gyp not found; the pure-tfjs kernels will be used');
  if (required) console.error('@seqgen/native: SEQGEN_NATIVE_REQUIRED=1 and the addon is not built');
  process.exit(strict ? 1 : 0);
}

// Use the running Node's own headers when it ships them (Debian's nodejs, official tarballs):
// node-gyp would otherwise download them.
const args = [gyp, 'rebuild', '--jobs', 'max'];
const prefix = resolve(dirname(process.execPath), '..');
if (
  existsSync(join(prefix, 'include', 'node', 'node_api.h')) &&
  existsSync(join(prefix, 'include', 'node', 'common.gypi'))
)
  args.push(`--nodedir=${prefix}`);

const t0 = Date.now();
const run = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: process.env });
const ok = run.status === 0 && existsSync(addon);
if (ok) {
  record({ ok: true, seconds: (Date.now() - t0) / 1000 });
  console.log(`@seqgen/native: addon built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  process.exit(0);
}
const log = `${run.stdout ?? ''}\n${run.stderr ?? ''}${run.error ? `\n${run.error.message}` : ''}`;
const reason =
  log
    .split('\n')
    .find((l) => /error/i.test(l))
    ?.trim() ?? `node-gyp exited with ${run.status}`;
record({ ok: false, reason: reason.slice(0, 300) });
if (quiet) console.warn(`@seqgen/native: addon not built (${reason.slice(0, 200)}); pure-tfjs kernels will be used`);
else console.warn(`${log}\n@seqgen/native: addon not built; the pure-tfjs kernels will be used`);
if (required) console.error('@seqgen/native: SEQGEN_NATIVE_REQUIRED=1 and the addon is not built');
process.exit(strict ? 1 : 0);
