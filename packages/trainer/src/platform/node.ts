import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import cliProgress from 'cli-progress';
import type { TerminalBar, TrainerPlatform } from './platform.js';

/** Node.js: logs and plots on disk, the progress bar on the terminal. */
export const platform: TrainerPlatform = {
  files: true,
  joinPath: (dir, name) => join(dir, name),
  makeFolderOf: (path) => mkdirSync(dirname(path), { recursive: true }),
  exists: (path) => existsSync(path),
  readText: (path) => readFileSync(path, 'utf8'),
  writeText(path, text) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  },
  appendText(path, text) {
    mkdirSync(dirname(path), { recursive: true });
    appendFileSync(path, text);
  },
  stderrIsTerminal: () => Boolean(process.stderr.isTTY),
  createTerminalBar(format, stream, forceOutput): TerminalBar {
    return new cliProgress.SingleBar(
      {
        format,
        stream: (stream as NodeJS.WritableStream | undefined) ?? process.stderr,
        noTTYOutput: forceOutput,
        notTTYSchedule: 0,
        fps: 5,
        etaBuffer: 50,
        hideCursor: false,
      },
      cliProgress.Presets.shades_classic,
    );
  },
};
