import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
// What scripts/prebuild.mjs makes on the release machine (linux-x64, glibc); `build` runs it.
const prebuilt = join(packageRoot, 'prebuilds', 'linux-x64', 'seqgen_native.glibc.napi8.node');
const onReleasePlatform = process.platform === 'linux' && process.arch === 'x64';

/** A copy of the package as an installed tarball has it: no build/ folder. */
function installedCopy(entries: string[]): string {
  const copy = mkdtempSync(join(tmpdir(), 'seqgen-native-prebuilt-'));
  for (const entry of entries) {
    if (existsSync(join(packageRoot, entry))) cpSync(join(packageRoot, entry), join(copy, entry), { recursive: true });
  }
  symlinkSync(join(packageRoot, 'node_modules'), join(copy, 'node_modules'), 'dir');
  copies.push(copy);
  return copy;
}
const copies: string[] = [];
afterAll(() => {
  for (const copy of copies) rmSync(copy, { recursive: true, force: true });
});

/** A PATH with node but no C++ compiler, make or python3: what a user without a toolchain has. */
function pathWithoutCompiler(): string {
  const bin = mkdtempSync(join(tmpdir(), 'seqgen-native-nocc-bin-'));
  copies.push(bin);
  symlinkSync(process.execPath, join(bin, 'node'));
  return bin;
}

function statusIn(copy: string, env: NodeJS.ProcessEnv): { loaded: boolean; binary?: string; reason: string } {
  const script = `import { nativeStatus } from ${JSON.stringify(join(copy, 'dist', 'index.js'))}; console.log(JSON.stringify(nativeStatus()));`;
  return JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' }),
  ) as { loaded: boolean; binary?: string; reason: string };
}

describe.runIf(onReleasePlatform)('the prebuilt linux-x64 binary', () => {
  it('is made by the build', () => {
    expect(existsSync(prebuilt)).toBe(true);
  });

  it('loads in an installed copy without a compiler, and the install script compiles nothing', () => {
    const copy = installedCopy(['package.json', 'binding.gyp', 'csrc', 'scripts', 'dist', 'prebuilds']);
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: pathWithoutCompiler() };
    delete env.SEQGEN_NATIVE;
    delete env.SEQGEN_NATIVE_SKIP_BUILD;
    // The package's install script, as a package manager runs it.
    const log = execFileSync(process.execPath, ['scripts/build-addon.mjs', '--quiet-failure', '--prefer-prebuilt'], {
      cwd: copy,
      env: { ...env, SEQGEN_NATIVE_REQUIRED: '1' },
      encoding: 'utf8',
    });
    expect(log).toMatch(/prebuilt binary loads on this machine; nothing to compile/);
    expect(existsSync(join(copy, 'build'))).toBe(false);
    const status = statusIn(copy, env);
    expect(status).toMatchObject({ loaded: true, binary: 'prebuilt', reason: 'prebuilt addon loaded' });
  });

  it('gives way to a binary compiled on this machine', () => {
    const copy = installedCopy(['package.json', 'dist', 'prebuilds']);
    mkdirSync(join(copy, 'build', 'Release'), { recursive: true });
    cpSync(
      join(packageRoot, 'build', 'Release', 'seqgen_native.node'),
      join(copy, 'build', 'Release', 'seqgen_native.node'),
    );
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.SEQGEN_NATIVE;
    expect(statusIn(copy, env)).toMatchObject({ loaded: true, binary: 'compiled' });
  });
});

describe('no binary at all', () => {
  it('says that none matches and what the user can do: allow the install script, or install a compiler', () => {
    const copy = installedCopy(['package.json', 'dist']);
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.SEQGEN_NATIVE;
    const status = statusIn(copy, env);
    expect(status.loaded).toBe(false);
    expect(status.reason).toMatch(/^addon not built \(its install script did not run/);
    expect(status.reason).toMatch(/no prebuilt binary in this copy of the package/);
    for (const advice of ['C++17 compiler', 'npm approve-scripts', 'onlyBuiltDependencies', 'enableScripts']) {
      expect(status.reason).toContain(advice);
    }
  });

  it('names the platform it looked for when the shipped binaries are for another one', () => {
    const copy = installedCopy(['package.json', 'dist']);
    mkdirSync(join(copy, 'prebuilds', 'sunos-sparc'), { recursive: true });
    cpSync(join(packageRoot, 'package.json'), join(copy, 'prebuilds', 'sunos-sparc', 'seqgen_native.napi8.node'));
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.SEQGEN_NATIVE;
    const status = statusIn(copy, env);
    expect(status.loaded).toBe(false);
    expect(status.reason).toContain(`no prebuilt binary matches this machine (${process.platform}-${process.arch}`);
    expect(status.reason).toContain('shipped: sunos-sparc/seqgen_native.napi8.node');
  });
});
