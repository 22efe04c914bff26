import { existsSync, statSync } from 'node:fs';
import { InputError } from '@seqgen/app-kit';

/** Refuses to replace an existing `--out` file unless `force` (the user's files are never overwritten silently). */
export function checkOutFile(path: string, force: boolean | undefined, flag = '--out'): void {
  if (!existsSync(path)) return;
  if (statSync(path).isDirectory()) throw new InputError(`refusing to overwrite ${flag} ${path}: it is a folder`, path);
  if (!force) throw new InputError(`refusing to overwrite ${flag} ${path}: it exists (--force replaces it)`, path);
}
