import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** What a finished command-line process left behind. */
export type CliResult = {
  /** Exit code (null when a signal ended it). */
  status: number | null;
  stdout: string;
  stderr: string;
};

/** Runs one app's CLI from its TypeScript source in child processes, as a user would from a shell. */
export type CliRunner = {
  /** Runs to the end; `input` is piped to stdin. */
  run(args: string[], input?: string): CliResult;
  /** Runs and sends `signal` once stderr matches `when` (as a user pressing Ctrl-C would). */
  runUntil(args: string[], when: RegExp, signal: NodeJS.Signals): Promise<CliResult>;
  /** Starts it with piped stdio, for talking to a REPL. */
  start(args: string[]): ChildProcessWithoutNullStreams;
};

/** Where and how long a {@link cliRunner}'s processes run. */
export type CliRunnerOptions = {
  /** Working folder of every process (the app's root, so relative defaults resolve as in a checkout). */
  cwd: string;
  /** {@link CliRunner.run} kills a process that runs longer (default 120 s). */
  timeoutMs?: number;
};

/**
 * A {@link CliRunner} for `script` (an app's `src/cli.ts`), run with `node --import tsx` so tests
 * need no build. The backend comes from `SEQGEN_BACKEND` in the environment, like the test's own;
 * `NO_COLOR=1` keeps output free of escape codes.
 */
export function cliRunner(script: string, options: CliRunnerOptions): CliRunner {
  const argv = (args: string[]) => ['--import', 'tsx', script, ...args];
  const env = () => ({ ...process.env, NO_COLOR: '1' });
  const start = (args: string[]) => spawn(process.execPath, argv(args), { cwd: options.cwd, env: env() });
  return {
    run(args, input) {
      const r = spawnSync(process.execPath, argv(args), {
        cwd: options.cwd,
        encoding: 'utf8',
        env: env(),
        timeout: options.timeoutMs ?? 120_000,
        ...(input !== undefined ? { input } : {}),
      });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    runUntil(args, when, signal) {
      const child = start(args);
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
    },
    start,
  };
}

/** Reads a JSON file an app wrote (a manifest, `run.json`, a report). */
export function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}
