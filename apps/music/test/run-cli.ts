import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CliResult, cliRunner, readJson } from '@seqgen/test-utils';
import { main } from '../src/program.js';

export type { CliResult };
export { readJson };

export const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** `seqgen-music` from source in child processes (the backend comes from SEQGEN_BACKEND). */
export const cli = cliRunner(join(appRoot, 'src', 'cli.ts'), { cwd: appRoot });

/** The openmsx pieces the tests read (GPL-2, never committed: Debian openttd-openmsx). */
export const OPENMSX = '/usr/share/games/openttd/baseset/openmsx';
/** Four of the smallest pieces: three train (one of them validates) and one is held out. */
const SMALL_PIECES = ['coconut_run2.mid', 'train_filled_with_cash.mid', 'ultimate_run.mid', '5432gone_redfarn.mid'];

/** Whether the real pieces are here; with SEQGEN_DATA_REQUIRED=1 (CI) their absence fails the tests. */
export function haveOpenmsx(): boolean {
  const ok = SMALL_PIECES.every((f) => existsSync(join(OPENMSX, f)));
  if (!ok && process.env.SEQGEN_DATA_REQUIRED === '1') {
    throw new Error(`openmsx pieces missing in ${OPENMSX}: apt-get install openttd-openmsx (SEQGEN_DATA_REQUIRED=1)`);
  }
  return ok;
}

/** Copies the small pieces into `dir` (a MIDI folder of four real pieces). */
export function smallMidiFolder(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const f of SMALL_PIECES) copyFileSync(join(OPENMSX, f), join(dir, f));
  return dir;
}

/** A tiny model's training flags: seconds of CPU, not minutes. */
export const TINY = [
  '--hidden',
  '16',
  '--embedding',
  '8',
  '--chord-embedding',
  '4',
  '--batch',
  '4',
  '--seq-len',
  '16',
  '--transpose',
  '0',
  '--stretch',
  '0',
  '--lr',
  '0.01',
];

/**
 * Runs `seqgen-music` in this process (much cheaper than a child process) and
 * returns what it printed and its exit code, as a child process would.
 */
export async function runInProcess(args: readonly string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  let status: number;
  try {
    status = await main(['node', 'seqgen-music', ...args]);
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = undefined;
  }
  return { status, stdout, stderr } as CliResult;
}
