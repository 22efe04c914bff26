import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** One record of the training log: `kind` says which event wrote it. */
export interface LogRecord {
  kind: 'step' | 'validation' | 'checkpoint' | 'non-finite' | 'end' | 'resume';
  step: number;
  [key: string]: unknown;
}

/**
 * Appends one JSON object per line. Lines are small and appended whole, so a
 * killed run leaves at worst a torn last line, which {@link readJsonl} skips.
 */
export class JsonlLog {
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
  }

  append(record: LogRecord): void {
    appendFileSync(this.path, `${JSON.stringify(record)}\n`);
  }

  /**
   * On resume from step `step`: drops records the interrupted run wrote after
   * its last checkpoint, since the resumed run writes those steps again.
   */
  truncateAfter(step: number): void {
    if (!existsSync(this.path)) return;
    const kept = readJsonl(this.path).filter((r) => r.step <= step);
    writeFileSync(this.path, kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
  }
}

/** Reads a JSONL log, skipping a torn or blank line. */
export function readJsonl(path: string): LogRecord[] {
  const out: LogRecord[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as LogRecord);
    } catch {
      // a line cut by a kill: the rest of the log is still good
    }
  }
  return out;
}
