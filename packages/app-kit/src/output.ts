import { UsageError } from './errors.js';

export interface OutputOptions {
  /** The app's binary name, prefixed to warnings (`seqgen-text: warning: …`). */
  name: string;
  /** `--json`: stdout carries exactly one JSON object; human-readable lines move to stderr. */
  json?: boolean;
  /** `--quiet`: no progress or informational lines (warnings, errors and the result still appear). */
  quiet?: boolean;
  /** Where text goes (default: process.stdout / process.stderr). */
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
}

let active: Output | undefined;

/**
 * Where an app's words go, so that `--json` and `--quiet` mean the same in
 * every app: progress and information on stderr (silenced by `--quiet`),
 * results on stdout — or, with `--json`, one JSON object on stdout and
 * nothing else there.
 */
export class Output {
  readonly name: string;
  readonly json: boolean;
  readonly quiet: boolean;
  private readonly out: (text: string) => void;
  private readonly err: (text: string) => void;
  private printedJson = false;

  constructor(options: OutputOptions) {
    this.name = options.name;
    this.json = Boolean(options.json);
    this.quiet = Boolean(options.quiet);
    this.out = options.stdout ?? ((text) => void process.stdout.write(text));
    this.err = options.stderr ?? ((text) => void process.stderr.write(text));
    active = this;
  }

  /** The Output the running command made last (the error handler prints `{"error": …}` through it with `--json`). */
  static get current(): Output | undefined {
    return active;
  }

  /** Progress and information (stderr); silenced by `--quiet`. */
  info(line: string): void {
    if (!this.quiet) this.err(`${line}\n`);
  }

  /** A warning (stderr, even with `--quiet`): `<name>: warning: …`. */
  warn(message: string): void {
    this.err(`${this.name}: warning: ${message}\n`);
  }

  /** A human-readable result line: stdout, or stderr with `--json` (silenced there by `--quiet`). */
  result(line: string): void {
    if (this.json) this.info(line);
    else this.out(`${line}\n`);
  }

  /** Streamed result text (generated text as it comes): stdout, nothing with `--json`. */
  write(text: string): void {
    if (!this.json) this.out(text);
  }

  /** True once the JSON object has been printed. */
  get jsonPrinted(): boolean {
    return this.printedJson;
  }

  /** With `--json`: prints `value` as the one JSON line on stdout (a second call is a bug and throws). */
  printJson(value: Record<string, unknown>): void {
    if (!this.json) return;
    if (this.printedJson) throw new UsageError('internal: a --json command printed two objects');
    this.printedJson = true;
    this.out(`${JSON.stringify(value)}\n`);
  }
}

/**
 * Lines for code that calls an app's commands as functions, without a CLI's {@link Output}:
 * information on stderr, results on stdout.
 */
export function plainLines(): Pick<Output, 'info' | 'result'> {
  return {
    info: (line) => void process.stderr.write(`${line}\n`),
    result: (line) => void process.stdout.write(`${line}\n`),
  };
}
