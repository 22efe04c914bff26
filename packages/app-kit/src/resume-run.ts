import { cpSync } from 'node:fs';
import { resolve } from 'node:path';
import { resumableCheckpoint } from './checkpoint-path.js';
import { InputError } from './errors.js';
import { RunFolder, readRunInfo } from './run-folder.js';

/** What every app's `run.json` holds at least. */
export type ResumableRecord = { app: string; maxSteps: number; options: object };

/** A run reopened by {@link resumeRun}. */
export type ResumedRun<Record extends ResumableRecord> = {
  /** The interrupted run's `run.json`. */
  record: Record;
  /** The new run, staged with a copy of the old one. */
  run: RunFolder;
  /** Where the continued run is published (`--out`, or the old folder itself). */
  out: string;
  /** The old run's resumable `last/` checkpoint. */
  last: string;
};

/**
 * `train --resume DIR`: checks that DIR is an interrupted run of `app` (its `last/` checkpoint and
 * `run.json`), stages a copy of it as a new run in `out` (resuming into the run's own folder
 * replaces it, which is the point; elsewhere `--force` rules as usual), and lets `body` continue
 * training there. The staging folder is discarded unless `body` publishes it.
 */
export async function resumeRun<Record extends ResumableRecord, Result>(
  dir: string,
  settings: { out?: string; force?: boolean },
  app: { name: string; cli: string },
  body: (resumed: ResumedRun<Record>) => Promise<Result>,
): Promise<Result> {
  const last = resumableCheckpoint(dir);
  const record = readRunInfo(dir) as unknown as Record;
  if (record.app !== app.name || typeof record.maxSteps !== 'number' || !record.options) {
    throw new InputError(`--resume ${dir}: run.json was not written by ${app.cli} train`, dir);
  }
  const out = settings.out ?? dir;
  const run = RunFolder.create(out, { force: Boolean(settings.force) || resolve(out) === resolve(dir) });
  try {
    cpSync(dir, run.staging, { recursive: true });
    return await body({ record, run, out, last });
  } finally {
    run.discard(); // no-op once published
  }
}
