import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_FILE } from '@seqgen/core';
import { BEST_CHECKPOINT, LAST_CHECKPOINT } from '@seqgen/trainer';
import { InputError } from './errors.js';

/** True when `dir` is a folder holding a seqgen checkpoint manifest. */
export function isCheckpointDir(dir: string): boolean {
  return existsSync(join(dir, MANIFEST_FILE));
}

/**
 * The checkpoint to read for a `--checkpoint` path: the folder itself, a
 * single-file checkpoint, or a run folder's `best/` (else `last/`).
 */
export function resolveCheckpoint(path: string, flag = '--checkpoint'): string {
  if (!existsSync(path)) throw new InputError(`checkpoint not found: ${path}`, path);
  if (statSync(path).isFile()) return path;
  if (isCheckpointDir(path)) return path;
  for (const sub of [BEST_CHECKPOINT, LAST_CHECKPOINT]) if (isCheckpointDir(join(path, sub))) return join(path, sub);
  throw new InputError(`checkpoint not found: ${path} holds no ${MANIFEST_FILE} (${flag})`, path);
}

/**
 * The resumable checkpoint of an interrupted run folder (`DIR/last`, written
 * with the trainer's state); an {@link InputError} says why there is none.
 */
export function resumableCheckpoint(dir: string, flag = '--resume'): string {
  if (!existsSync(dir)) throw new InputError(`${flag} ${dir}: no such run folder`, dir);
  const last = join(dir, LAST_CHECKPOINT);
  if (!isCheckpointDir(last)) {
    throw new InputError(
      `${flag} ${dir}: no resumable checkpoint (${LAST_CHECKPOINT}/ is missing: only an interrupted run can be resumed)`,
      dir,
    );
  }
  let trainer: unknown;
  try {
    trainer = (JSON.parse(readFileSync(join(last, MANIFEST_FILE), 'utf8')) as { metadata?: { trainer?: unknown } })
      .metadata?.trainer;
  } catch (error) {
    throw new InputError(`${flag} ${dir}: ${join(last, MANIFEST_FILE)} is not valid JSON`, last, { cause: error });
  }
  if (!trainer) throw new InputError(`${flag} ${dir}: ${LAST_CHECKPOINT}/ holds no trainer state to resume from`, last);
  return last;
}
