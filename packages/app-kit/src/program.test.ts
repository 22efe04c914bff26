import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { packageVersionOf } from './package-version.js';
import { createProgram, runProgram } from './program.js';

const ownVersion = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

describe('--version', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('prints the given version and exits 0; -V is the short form', async () => {
    for (const flag of ['--version', '-V']) {
      const written: string[] = [];
      vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
        written.push(String(chunk));
        return true;
      });
      const program = createProgram('t', 'test', { version: '1.2.3' });
      expect(await runProgram(program, ['node', 't', flag])).toBe(0);
      vi.restoreAllMocks();
      expect(written.join('')).toBe('1.2.3\n');
    }
    process.exitCode = 0;
  });

  it('defaults to the version of the package holding the running script', () => {
    expect(packageVersionOf(fileURLToPath(import.meta.url))).toBe(ownVersion);
    expect(packageVersionOf(undefined)).toBeUndefined();
    expect(packageVersionOf('/no/such/file.js')).toBeUndefined();
  });
});
