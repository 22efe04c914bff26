import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { InputError } from '@seqgen/app-kit';

/**
 * Writes bytes to `path` through a temporary file beside it and a rename, so
 * a failure never leaves a half-written file; an existing file is replaced
 * only with `force`, a folder never.
 */
export function writeBinaryFile(
  path: string,
  bytes: Uint8Array,
  options: { force?: boolean; flag?: string } = {},
): void {
  const flag = options.flag ?? '--out';
  if (existsSync(path)) {
    if (statSync(path).isDirectory())
      throw new InputError(`refusing to overwrite ${flag} ${path}: it is a folder`, path);
    if (!options.force)
      throw new InputError(`refusing to overwrite ${flag} ${path}: it exists (--force replaces it)`, path);
  }
  const temporary = `${path}.partial-${process.pid}`;
  try {
    writeFileSync(temporary, bytes);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new InputError(`cannot write ${flag} ${path}: ${(error as Error).message}`, path, { cause: error });
  }
}
