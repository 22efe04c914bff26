import { platform } from './platform/node.js';

/** One record of the training log: `kind` says which event wrote it. */
export interface LogRecord {
  /** Which event wrote the record: `step`, `validation`, `checkpoint`, `non-finite`, `end` or `resume`. */
  kind: 'step' | 'validation' | 'checkpoint' | 'non-finite' | 'end' | 'resume';
  /** Steps taken when the event happened. */
  step: number;
  [key: string]: unknown;
}

/**
 * Appends one JSON object per line. Lines are small and appended whole, so a
 * killed run leaves at worst a torn last line, which {@link readJsonl} skips.
 */
export class JsonlLog {
  /**
   * Opens a log, creating the file's folder.
   * @param path The JSONL file records are appended to.
   */
  constructor(readonly path: string) {
    platform.makeFolderOf(path);
  }

  /** Appends one record as a JSON line. */
  append(record: LogRecord): void {
    platform.appendText(this.path, `${JSON.stringify(record)}\n`);
  }

  /**
   * On resume from step `step`: drops records the interrupted run wrote after
   * its last checkpoint, since the resumed run writes those steps again.
   */
  truncateAfter(step: number): void {
    if (!platform.exists(this.path)) return;
    const kept = readJsonl(this.path).filter((r) => r.step <= step);
    platform.writeText(this.path, kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
  }
}

/** Reads a JSONL log, skipping a torn or blank line. */
export function readJsonl(path: string): LogRecord[] {
  const out: LogRecord[] = [];
  for (const line of platform.readText(path).split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as LogRecord);
    } catch {
      // a line cut by a kill: the rest of the log is still good
    }
  }
  return out;
}
