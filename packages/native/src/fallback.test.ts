import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * An install where the C++ compiler fails (no toolchain, another platform):
 * the build script must still succeed, record why, and the package must load
 * and report the reason, so that @seqgen/cells falls back to pure tfjs.
 */
describe('an install without a working compiler', () => {
  it('builds nothing, exits 0, and reports "addon not built" with the reason', () => {
    const copy = mkdtempSync(join(tmpdir(), 'seqgen-native-nocc-'));
    for (const entry of ['package.json', 'binding.gyp', 'csrc', 'scripts', 'dist']) {
      cpSync(join(packageRoot, entry), join(copy, entry), { recursive: true });
    }
    symlinkSync(join(packageRoot, 'node_modules'), join(copy, 'node_modules'), 'dir');
    const env: NodeJS.ProcessEnv = { ...process.env, CC: '/bin/false', CXX: '/bin/false', LINK: '/bin/false' };
    delete env.SEQGEN_NATIVE_SKIP_BUILD;
    // CI exports SEQGEN_NATIVE_REQUIRED=1 for its own build; a user's install has no such expectation.
    delete env.SEQGEN_NATIVE_REQUIRED;
    // The package's install script; it must not fail the install.
    execFileSync(process.execPath, ['scripts/build-addon.mjs', '--quiet-failure'], { cwd: copy, env, stdio: 'pipe' });
    const recorded = JSON.parse(readFileSync(join(copy, 'build', 'build-status.json'), 'utf8'));
    expect(recorded.ok).toBe(false);
    // The compiler ran and failed: not a missing node-gyp, not a skipped build.
    expect(String(recorded.reason)).not.toMatch(/not installed|SKIP_BUILD/);
    expect(String(recorded.reason).length).toBeGreaterThan(0);
    const status = JSON.parse(
      execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { nativeStatus } from ${JSON.stringify(join(copy, 'dist', 'index.js'))}; console.log(JSON.stringify(nativeStatus()));`,
        ],
        { env, encoding: 'utf8' },
      ),
    );
    expect(status.loaded).toBe(false);
    expect(status.reason).toMatch(/^addon not built: /);

    // Where the addon is expected (CI: SEQGEN_NATIVE_REQUIRED=1), the same failed compile fails the install.
    const strict = spawnSync(process.execPath, ['scripts/build-addon.mjs', '--quiet-failure'], {
      cwd: copy,
      env: { ...env, SEQGEN_NATIVE_REQUIRED: '1' },
      encoding: 'utf8',
    });
    expect(strict.status).not.toBe(0);
    expect(strict.stderr).toMatch(/SEQGEN_NATIVE_REQUIRED=1 and the addon is not built/);
  });
});
