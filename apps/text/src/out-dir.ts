import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { isCheckpointDir } from './checkpoint.js';
import { CliError } from './cli-error.js';

/**
 * Checks that `out` may be written: absent, an empty folder, or a previous
 * checkpoint folder. Anything else (a file, a folder of other things) is refused.
 */
export function checkOutDir(out: string): void {
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new CliError(`refusing to overwrite --out ${out}: it is a file`);
  if (readdirSync(out).length > 0 && !isCheckpointDir(out)) {
    throw new CliError(`refusing to overwrite --out ${out}: it exists and is not a seqgen checkpoint folder`);
  }
}

/** A private folder where a run is written before it is moved to `--out`. */
export function makeStagingDir(): string {
  const dir = mkdtempSync(resolve(tmpdir(), 'seqgen-text-run-'));
  chmodSync(dir, 0o755); // mkdtemp makes it private; the published run is an ordinary folder
  return dir;
}

/**
 * Moves a finished run from `staging` to `out`, replacing a previous
 * checkpoint folder there only now that the new one is complete.
 */
export function publishRun(staging: string, out: string): void {
  checkOutDir(out);
  const target = resolve(out);
  mkdirSync(dirname(target), { recursive: true });
  // Next to the target first (a rename across file systems fails), then swapped in.
  const incoming = `${target}.incoming-${process.pid}`;
  try {
    renameSync(staging, incoming);
  } catch {
    cpSync(staging, incoming, { recursive: true });
    rmSync(staging, { recursive: true, force: true });
  }
  const old = `${target}.old-${process.pid}`;
  if (existsSync(target)) renameSync(target, old);
  renameSync(incoming, target);
  rmSync(old, { recursive: true, force: true });
}
