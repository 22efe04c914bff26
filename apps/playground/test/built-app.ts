import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The app's folder. */
export const APP_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** What `vite build` writes. */
export const DIST = join(APP_ROOT, 'dist');
/** Screenshots of the test run (git ignores all but the README's). */
export const ARTIFACTS = join(APP_ROOT, 'test-artifacts');

/** Fails with the command to run when the app has not been built (turbo builds it before `test`). */
export function assertBuilt(): void {
  if (!existsSync(join(DIST, 'index.html'))) {
    throw new Error(`${DIST} has no index.html: run \`pnpm --filter @seqgen/app-playground build\` first`);
  }
}
