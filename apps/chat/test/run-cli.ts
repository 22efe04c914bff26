import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
/** 24 real conversations (Wesnoth scenes, fortunes IRC, Endless Sky choices) in chat JSONL, from `prepare`. */
export const fixtureDialogue = join(appRoot, 'test', 'fixtures', 'dialogue.jsonl');
const cli = join(appRoot, 'src', 'cli.ts');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `seqgen-chat` from source in a child process (the backend comes from SEQGEN_BACKEND). */
export function runCli(args: string[]): CliResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
    cwd: appRoot,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts `seqgen-chat` with piped stdio, for talking to the REPL. */
export function startCli(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
    cwd: appRoot,
    env: { ...process.env, NO_COLOR: '1' },
  });
}
