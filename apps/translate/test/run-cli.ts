import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const fixturePairs = join(appRoot, 'test', 'fixtures', 'en-de-ui.tsv');
const cli = join(appRoot, 'src', 'cli.ts');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `seqgen-translate` from source in a child process (the backend comes from SEQGEN_BACKEND). */
export function runCli(args: string[], input?: string): CliResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
    cwd: appRoot,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 120_000,
    ...(input !== undefined ? { input } : {}),
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

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
