import { Command, CommanderError } from 'commander';
import { errorCode, errorLine, exitCodeFor, InterruptedError, isExpectedError } from './errors.js';
import { installInterruptHandler } from './interrupt.js';
import { Output } from './output.js';
import { packageVersionOf } from './package-version.js';

/** Options of {@link createProgram}. */
export interface ProgramOptions {
  /**
   * What `-V, --version` prints. Default: the version in the package.json of
   * the package that holds the running script (`process.argv[1]`), i.e. the app's
   * own package; no `--version` option when there is none.
   */
  version?: string;
}

/**
 * A commander program set up the way every seqgen app behaves: parse errors
 * are one `<name>: error: …` line plus a hint, and throw instead of exiting
 * (so {@link runProgram} maps them to exit code 2); `-V, --version` prints the
 * app's package version (exit 0); subcommands made with `.command()` inherit this.
 */
export function createProgram(name: string, description: string, options: ProgramOptions = {}): Command {
  const program = new Command(name)
    .description(description)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`${name}: ${text}`) });
  const version = options.version ?? packageVersionOf(process.argv[1]);
  if (version !== undefined) program.version(version, '-V, --version', 'print the version and exit');
  return program;
}

/**
 * Runs `program` on `argv` and returns the exit code (also set as
 * `process.exitCode`): any failure is one line `<name>: error: …` on stderr
 * and the code from the exit-code table; with `--json` stdout also receives
 * `{"error": {"code", "message", "exitCode"}}` unless the command already
 * printed its object. Installs the Ctrl-C handler first.
 */
export async function runProgram(program: Command, argv: readonly string[] = process.argv): Promise<number> {
  const name = program.name();
  installInterruptHandler();
  let code = 0;
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    code = exitCodeFor(error);
    if (!(error instanceof CommanderError)) {
      // Commander has printed its own message; everything else is printed here, one line.
      const line = errorLine(error);
      process.stderr.write(error instanceof InterruptedError ? `${name}: ${line}\n` : `${name}: error: ${line}\n`);
      if (!isExpectedError(error) && process.env.SEQGEN_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    }
    const output = Output.current;
    const json = output ? output.json : argv.includes('--json');
    if (json && !output?.jsonPrinted && code !== 0) {
      const value = { error: { code: errorCode(error), message: errorLine(error), exitCode: code } };
      process.stdout.write(`${JSON.stringify(value)}\n`);
    }
  }
  process.exitCode = code;
  return code;
}
