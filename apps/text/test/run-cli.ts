import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mobyDickText } from '../src/moby-dick.js';

export const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(appRoot, 'src', 'cli.ts');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `seqgen-text` from source in a child process (the backend comes from SEQGEN_BACKEND). */
export function runCli(args: string[]): CliResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
    cwd: appRoot,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `length` characters of Moby-Dick from `start`. */
export function mobySlice(start: number, length: number): string {
  return mobyDickText().slice(start, start + length);
}

export function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

/** Runs `seqgen-text` and sends `signal` once stderr matches `when` (as a user pressing Ctrl-C would). */
export function runCliUntil(args: string[], when: RegExp, signal: NodeJS.Signals): Promise<CliResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
    cwd: appRoot,
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  let sent = false;
  child.stdout.on('data', (b) => {
    stdout += b;
  });
  child.stderr.on('data', (b) => {
    stderr += b;
    if (!sent && when.test(stderr)) {
      sent = true;
      child.kill(signal);
    }
  });
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}
