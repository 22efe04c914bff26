import { type BackendReport, type InitBackendOptions, initBackend } from '@seqgen/core';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { UsageError } from './errors.js';

/** Parser for an integer option in `[min, max]`: `.option('--steps <n>', '…', integerOption(1))`. */
export function integerOption(min = 0, max = Number.POSITIVE_INFINITY): (value: string) => number {
  return (value: string): number => {
    const n = Number(value);
    if (!(value.trim() !== '' && Number.isSafeInteger(n) && n >= min && n <= max)) {
      const range = max === Number.POSITIVE_INFINITY ? `≥ ${min}` : `in [${min}, ${max}]`;
      throw new InvalidArgumentError(`expected an integer ${range}, got "${value}"`);
    }
    return n;
  };
}

export interface NumberRange {
  /** Exclude `min` itself. */
  openMin?: boolean;
  /** Exclude `max` itself. */
  openMax?: boolean;
}

/** Parser for a finite number in `[min, max]` (either end open): `numberOption(0, 1, { openMin: true })` is (0, 1]. */
export function numberOption(
  min: number,
  max = Number.POSITIVE_INFINITY,
  range: NumberRange = {},
): (value: string) => number {
  return (value: string): number => {
    const n = Number(value);
    const ok =
      value.trim() !== '' &&
      Number.isFinite(n) &&
      (range.openMin ? n > min : n >= min) &&
      (range.openMax ? n < max : n <= max);
    if (!ok) {
      throw new InvalidArgumentError(
        `expected a number in ${range.openMin ? '(' : '['}${min}, ${max}${range.openMax || max === Number.POSITIVE_INFINITY ? ')' : ']'}, got "${value}"`,
      );
    }
    return n;
  };
}

/** `--backend` values: `node` is tfjs-node (`@tensorflow/tfjs-node`, where it installs). */
export const BACKEND_CHOICES = ['node', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** The options {@link addCommonOptions} adds, as commander hands them to an action. */
export interface CommonOptions {
  backend?: BackendChoice;
  seed?: number;
  out?: string;
  force?: boolean;
  quiet?: boolean;
  json?: boolean;
  progress?: boolean;
}

export interface CommonOptionsSpec {
  /** `--seed <n>`: false leaves it out (a deterministic command); a default or a description otherwise. */
  seed?: false | { default?: number; description?: string };
  /** `--out <path>` (with `--force`): false leaves both out. */
  out?: false | { description: string; placeholder?: string };
  /** `--progress` (long work only). Default false. */
  progress?: boolean;
}

/**
 * Adds the options every app command shares: `--backend`, `--seed`, `--out`
 * + `--force`, `--quiet`, `--json` and (for long work) `--progress`.
 */
export function addCommonOptions(command: Command, spec: CommonOptionsSpec = {}): Command {
  command.addOption(
    new Option(
      '--backend <name>',
      'TensorFlow.js backend (default: SEQGEN_BACKEND, else the first that loads)',
    ).choices(BACKEND_CHOICES),
  );
  if (spec.seed !== false) {
    const seed = spec.seed ?? {};
    if (seed.default !== undefined) {
      command.option('--seed <n>', seed.description ?? 'random seed', integerOption(0), seed.default);
    } else command.option('--seed <n>', seed.description ?? 'random seed (default: random)', integerOption(0));
  }
  if (spec.out) {
    command.option(`--out <${spec.out.placeholder ?? 'dir'}>`, spec.out.description);
    command.option('--force', 'replace an existing --out (never done without it)');
  }
  command.addOption(new Option('--quiet', 'print no progress or information lines (warnings and results still)'));
  command.option('--json', 'print one JSON object on stdout (human-readable lines go to stderr)');
  if (spec.progress) {
    command.addOption(
      new Option('--progress', 'draw the progress bar even when stderr is not a terminal').conflicts('quiet'),
    );
  }
  return command;
}

/** Starts the backend `--backend` asks for (else `SEQGEN_BACKEND`, else the first that loads). */
export function startBackend(
  options: Pick<CommonOptions, 'backend'>,
  extra: InitBackendOptions = {},
): Promise<BackendReport> {
  const backend = options.backend === 'node' ? 'tensorflow' : options.backend;
  return initBackend({ ...extra, ...(backend ? { backend } : {}) });
}

/** The long flag of an option by its attribute name (`topP` → `--top-p`). */
export function flagOf(command: Command, attribute: string): string {
  const option = command.options.find((o) => o.attributeName() === attribute);
  return option?.long ?? `--${attribute.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** True when the user gave this option (on the command line or through its environment variable), not its default. */
export function isExplicit(command: Command, attribute: string): boolean {
  const source = command.getOptionValueSource(attribute);
  return source === 'cli' || source === 'env';
}

/**
 * Refuses options that do not apply in this situation, when the user gave them
 * explicitly (their defaults are fine): `--hidden does not apply with --resume
 * (the run's own settings are used)`.
 */
export function refuseOptions(command: Command, attributes: readonly string[], reason: string): void {
  const given = attributes.filter((a) => isExplicit(command, a));
  if (given.length === 0) return;
  const flags = given.map((a) => flagOf(command, a));
  throw new UsageError(`${flags.join(', ')} ${flags.length > 1 ? 'do' : 'does'} not apply ${reason}`);
}
