import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CliResult, cliRunner, readJson } from '@seqgen/test-utils';

export type { CliResult };
export { readJson };

export const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const fixturePairs = join(appRoot, 'test', 'fixtures', 'en-de-ui.tsv');

/** `seqgen-translate` from source in child processes (the backend comes from SEQGEN_BACKEND). */
export const cli = cliRunner(join(appRoot, 'src', 'cli.ts'), { cwd: appRoot });

/** Runs `seqgen-translate` to the end; `input` goes to stdin. */
export const runCli = cli.run;

/** The fixture's pairs. */
export function fixture(): { source: string; target: string }[] {
  return readFileSync(fixturePairs, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => {
      const [source = '', target = ''] = line.split('\t');
      return { source, target };
    });
}
