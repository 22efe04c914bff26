import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { MANIFEST_FILE } from '@seqgen/core';
import { BEST_CHECKPOINT, LAST_CHECKPOINT } from '@seqgen/trainer';
import { InputError } from './errors.js';

/** The file in a run folder that records how the run was made (for `--resume` and for the record). */
export const RUN_FILE = 'run.json';

export interface RunFolderOptions {
  /** Replace an existing run (`--force`). Default false. */
  force?: boolean;
  /** The option that named the folder, for messages. Default `--out`. */
  flag?: string;
  /** What counts as a previous run that `--force` may replace. Default {@link looksLikeRun}. */
  isRun?: (dir: string) => boolean;
}

/** A seqgen run or checkpoint folder: it holds a checkpoint manifest, a `run.json`, or a trainer `last/`/`best/`. */
export function looksLikeRun(dir: string): boolean {
  return [MANIFEST_FILE, RUN_FILE, join(LAST_CHECKPOINT, MANIFEST_FILE), join(BEST_CHECKPOINT, MANIFEST_FILE)].some(
    (f) => existsSync(join(dir, f)),
  );
}

/**
 * Checks that a run may be written to `out`: it is absent or an empty folder,
 * or — with `force` — a previous run. A file, or a folder of anything else,
 * is never replaced. Throws an {@link InputError} naming the folder.
 */
export function checkOutFolder(out: string, options: RunFolderOptions = {}): void {
  const flag = options.flag ?? '--out';
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new InputError(`refusing to overwrite ${flag} ${out}: it is a file`, out);
  if (readdirSync(out).length === 0) return;
  if (!(options.isRun ?? looksLikeRun)(out)) {
    throw new InputError(`refusing to overwrite ${flag} ${out}: it exists and is not a seqgen checkpoint folder`, out);
  }
  if (!options.force) {
    throw new InputError(`refusing to overwrite ${flag} ${out}: it holds a previous run (--force replaces it)`, out);
  }
}

const unpublished = new Set<RunFolder>();
let exitHookInstalled = false;

function removeUnpublished(): void {
  for (const run of unpublished) run.discard();
}

/**
 * A run being written. Everything goes into a hidden staging folder beside
 * `out` (same file system, so publishing is a rename); {@link publish} moves
 * it into place — replacing a previous run only with `force`, and only once
 * the new one is complete. A run that fails, is discarded, or whose process
 * exits (Ctrl-C twice, `process.exit`) leaves no staging folder behind.
 */
export class RunFolder {
  /** The final folder (absolute). */
  readonly out: string;
  /** The staging folder to write into. */
  readonly staging: string;
  private readonly options: RunFolderOptions;
  private state: 'open' | 'published' | 'discarded' = 'open';

  private constructor(out: string, staging: string, options: RunFolderOptions) {
    this.out = out;
    this.staging = staging;
    this.options = options;
  }

  /** Checks `out` (see {@link checkOutFolder}) and makes the staging folder beside it. */
  static create(out: string, options: RunFolderOptions = {}): RunFolder {
    checkOutFolder(out, options);
    const target = resolve(out);
    let staging: string;
    try {
      mkdirSync(dirname(target), { recursive: true });
      staging = mkdtempSync(join(dirname(target), `.${basename(target)}.staging-`));
      chmodSync(staging, 0o755); // mkdtemp makes it private; the published run is an ordinary folder
    } catch (error) {
      throw new InputError(`cannot write ${options.flag ?? '--out'} ${out}: ${(error as Error).message}`, out, {
        cause: error,
      });
    }
    const run = new RunFolder(target, staging, options);
    unpublished.add(run);
    if (!exitHookInstalled) {
      process.on('exit', removeUnpublished);
      exitHookInstalled = true;
    }
    return run;
  }

  get published(): boolean {
    return this.state === 'published';
  }

  /** A path inside the staging folder. */
  path(...parts: string[]): string {
    return join(this.staging, ...parts);
  }

  /** Moves the staging folder to `out` (checked again: something may have appeared there meanwhile). */
  publish(): void {
    if (this.state !== 'open') throw new Error(`run folder ${this.out} was already ${this.state}`);
    checkOutFolder(this.out, this.options);
    if (existsSync(this.out) && readdirSync(this.out).length > 0) {
      // --force: the previous run steps aside, the new one takes its place, then the old one goes.
      const old = `${this.staging}.old`;
      renameSync(this.out, old);
      try {
        renameSync(this.staging, this.out);
      } catch (error) {
        renameSync(old, this.out);
        throw error;
      }
      rmSync(old, { recursive: true, force: true });
    } else {
      if (existsSync(this.out)) rmSync(this.out, { recursive: true, force: true }); // an empty folder
      renameSync(this.staging, this.out);
    }
    this.state = 'published';
    unpublished.delete(this);
  }

  /** Removes the staging folder (idempotent; a published run is left alone). */
  discard(): void {
    if (this.state !== 'open') return;
    rmSync(this.staging, { recursive: true, force: true });
    this.state = 'discarded';
    unpublished.delete(this);
  }
}

/** Writes `run.json` (how the run was made) into `dir`. */
export function writeRunInfo(dir: string, info: Record<string, unknown>): void {
  writeFileSync(join(dir, RUN_FILE), `${JSON.stringify(info, null, 2)}\n`);
}

/** Reads `run.json` from a run folder; an {@link InputError} names the folder when it is missing or broken. */
export function readRunInfo(dir: string, flag = '--resume'): Record<string, unknown> {
  const path = join(dir, RUN_FILE);
  if (!existsSync(path)) throw new InputError(`${flag} ${dir}: no ${RUN_FILE} there (is it a run folder?)`, dir);
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a JSON object');
    return value as Record<string, unknown>;
  } catch (error) {
    throw new InputError(`${flag} ${dir}: ${RUN_FILE} is not a valid run record (${(error as Error).message})`, path);
  }
}

/**
 * Writes one output file (a report, generated text) the same way: refused if
 * `path` exists unless `force`, written beside it first and renamed into place.
 */
export function writeOutputFile(
  path: string,
  content: string | Uint8Array,
  options: { force?: boolean; flag?: string } = {},
): void {
  const flag = options.flag ?? '--out';
  if (existsSync(path)) {
    if (statSync(path).isDirectory())
      throw new InputError(`refusing to overwrite ${flag} ${path}: it is a folder`, path);
    if (!options.force)
      throw new InputError(`refusing to overwrite ${flag} ${path}: it exists (--force replaces it)`, path);
  }
  const target = resolve(path);
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(temp, content);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new InputError(`cannot write ${flag} ${path}: ${(error as Error).message}`, path, { cause: error });
  }
}
