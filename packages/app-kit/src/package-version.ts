import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The `version` of the package that holds `file` (the nearest package.json above
 * it, symlinks resolved: a bin in node_modules/.bin points into the package), or
 * undefined when there is none. `createProgram` uses it with the running script
 * (`process.argv[1]`), so every app's `--version` prints its own package's version.
 */
export function packageVersionOf(file: string | undefined): string | undefined {
  if (!file) return undefined;
  let dir: string;
  try {
    dir = dirname(realpathSync(file));
  } catch {
    return undefined;
  }
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version?: unknown };
        return typeof version === 'string' ? version : undefined;
      } catch {
        return undefined;
      }
    }
    if (dirname(dir) === dir) return undefined;
    dir = dirname(dir);
  }
}
