import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CliResult, cliRunner, readJson } from '@seqgen/test-utils';
import { mobyDickText } from '../src/moby-dick.js';

export type { CliResult };
export { readJson };

export const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** `seqgen-text` from source in child processes (the backend comes from SEQGEN_BACKEND). */
export const cli = cliRunner(join(appRoot, 'src', 'cli.ts'), { cwd: appRoot });

/** Runs `seqgen-text` to the end. */
export const runCli = cli.run;

/** `length` characters of Moby-Dick from `start`. */
export function mobySlice(start: number, length: number): string {
  return mobyDickText().slice(start, start + length);
}
