import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CliResult, cliRunner, readJson } from '@seqgen/test-utils';

export type { CliResult };
export { readJson };

export const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** `seqgen-caption` from source in child processes (the backend comes from SEQGEN_BACKEND). */
export const cli = cliRunner(join(appRoot, 'src', 'cli.ts'), { cwd: appRoot });

/** Runs `seqgen-caption` to the end. */
export const runCli = cli.run;

/** A run small enough for tests: a tiny decoder on the pretrained CNN, a few scenes and steps. */
export const TINY = ['--hidden', '8', '--embedding', '8', '--scenes', '40', '--batch', '4', '--validate-every', '2'];
