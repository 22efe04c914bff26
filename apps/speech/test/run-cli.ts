import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CliResult, cliRunner, readJson } from '@seqgen/test-utils';

export type { CliResult };
export { readJson };

export const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** `seqgen-speech` from source in child processes (the backend comes from SEQGEN_BACKEND). */
export const cli = cliRunner(join(appRoot, 'src', 'cli.ts'), { cwd: appRoot });

/** Runs `seqgen-speech` to the end. */
export const runCli = cli.run;

/**
 * Whether Debian's espeak-ng and pocketsphinx are here. Tests that need them skip without them, and fail
 * instead when SEQGEN_DATA_REQUIRED=1 (CI installs them).
 */
export function speechToolsPresent(): boolean {
  const present = ['espeak-ng', 'pocketsphinx_continuous'].every(
    (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0,
  );
  if (!present && process.env.SEQGEN_DATA_REQUIRED === '1') {
    throw new Error('espeak-ng or pocketsphinx is missing: apt-get install espeak-ng pocketsphinx pocketsphinx-en-us');
  }
  return present;
}
