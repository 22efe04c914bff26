#!/usr/bin/env node
/**
 * Builds the prebuilt binary shipped in the package for this machine's platform
 * (prebuilds/linux-x64/seqgen_native.glibc.napi8.node on the release machine),
 * so that users there need no compiler and no install script.
 *
 * Compiled in a scratch copy of csrc/ + binding.gyp (build/ is left alone) with
 * libstdc++ and libgcc linked statically on Linux: the binary then needs only
 * the C library (a glibc as new as the release machine's: Debian 12 / Ubuntu
 * 22.10 and later), not a matching libstdc++. Stripped of symbols. Where it
 * does not load, the loader says why and the install script compiles instead.
 * Skipped when the binary is newer than every source.
 *
 *   SEQGEN_NATIVE_SKIP_BUILD=1   do not compile (no toolchain wanted); the package then ships no binary
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prebuiltPath } from './prebuilt-name.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const target = prebuiltPath(root);

if (process.env.SEQGEN_NATIVE_SKIP_BUILD === '1') {
  console.log('@seqgen/native: SEQGEN_NATIVE_SKIP_BUILD=1, no prebuilt binary made');
  process.exit(0);
}
const sources = [join(root, 'binding.gyp'), ...readdirSync(join(root, 'csrc')).map((f) => join(root, 'csrc', f))];
if (existsSync(target) && sources.every((f) => statSync(f).mtimeMs < statSync(target).mtimeMs)) {
  console.log(`@seqgen/native: prebuilt ${relative(root, target)} up to date`);
  process.exit(0);
}

const scratch = mkdtempSync(join(tmpdir(), 'seqgen-prebuild-'));
try {
  cpSync(join(root, 'csrc'), join(scratch, 'csrc'), { recursive: true });
  cpSync(join(root, 'binding.gyp'), join(scratch, 'binding.gyp'));
  const gyp = createRequire(join(root, 'package.json')).resolve('node-gyp/bin/node-gyp.js');
  const args = [gyp, 'rebuild', '--jobs', 'max'];
  const prefix = resolve(dirname(process.execPath), '..');
  if (existsSync(join(prefix, 'include', 'node', 'common.gypi'))) args.push(`--nodedir=${prefix}`);
  const env = { ...process.env };
  // binding.gyp resolves node-addon-api from the scratch folder's parent chain: point it at ours.
  env.NODE_PATH = join(root, 'node_modules');
  if (process.platform === 'linux') env.LDFLAGS = `${env.LDFLAGS ?? ''} -static-libstdc++ -static-libgcc -s`.trim();
  const t0 = Date.now();
  const run = spawnSync(process.execPath, args, { cwd: scratch, env, encoding: 'utf8' });
  const built = join(scratch, 'build', 'Release', 'seqgen_native.node');
  if (run.status !== 0 || !existsSync(built)) {
    console.error(`${run.stdout}\n${run.stderr}\n@seqgen/native: the prebuilt binary could not be compiled`);
    process.exit(1);
  }
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(built, target);
  console.log(
    `@seqgen/native: prebuilt ${relative(root, target)} (${(statSync(target).size / 1024).toFixed(0)} KiB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
