import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { VideoDataError } from './video-data-error.js';

/**
 * Writes `bytes` to `path` through a temporary file beside it and a rename,
 * so a reader never sees a half-written file and a failed write leaves the
 * old file as it was. Parent folders are created.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temporary, bytes);
    renameSync(temporary, path);
  } catch (cause) {
    rmSync(temporary, { force: true });
    throw new VideoDataError('io', path, `cannot write (${(cause as Error).message})`, { cause });
  }
}
