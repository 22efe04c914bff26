import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CliResult, cliRunner } from '@seqgen/test-utils';

export type { CliResult };

export const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
/** 24 real conversations (Wesnoth scenes, fortunes IRC, Endless Sky choices) in chat JSONL, from `prepare`. */
export const fixtureDialogue = join(appRoot, 'test', 'fixtures', 'dialogue.jsonl');

/** `seqgen-chat` from source in child processes (the backend comes from SEQGEN_BACKEND). */
export const cli = cliRunner(join(appRoot, 'src', 'cli.ts'), { cwd: appRoot });

/** Runs `seqgen-chat` to the end. */
export const runCli = cli.run;

/** Starts `seqgen-chat` with piped stdio, for talking to the REPL. */
export const startCli = cli.start;
