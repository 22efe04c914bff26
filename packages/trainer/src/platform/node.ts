import { createHash } from 'node:crypto';
import {
  appendFileSync,
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import cliProgress from 'cli-progress';
import type { TerminalBar, TrainerPlatform } from './platform.js';
import type { TokenFiles } from './token-files.js';

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

/** Node.js: token shard files through `node:fs` and hashes through `node:crypto`. */
export const tokenFiles: TokenFiles = {
  available: true,
  join: (dir, name) => join(dir, name),
  makeFolder: (dir) => mkdirSync(dir, { recursive: true }),
  list(dir) {
    try {
      return readdirSync(dir);
    } catch {
      return undefined;
    }
  },
  stat(path) {
    try {
      const s = statSync(path);
      return { isFile: s.isFile(), isDirectory: s.isDirectory(), size: s.size };
    } catch {
      return undefined;
    }
  },
  readText: (path) => readFileSync(path, 'utf8'),
  openRead: (path) => openSync(path, 'r'),
  openWrite: (path) => openSync(path, 'w'),
  size: (fd) => fstatSync(fd).size,
  read: (fd, into, offset, length, position) => readSync(fd, into, offset, length, position),
  write(fd, bytes) {
    let done = 0;
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
  },
  sync: (fd) => fsyncSync(fd),
  close: (fd) => closeSync(fd),
  rename: (from, to) => renameSync(from, to),
  remove: (path) => rmSync(path, { force: true }),
  sha256() {
    const hash = createHash('sha256');
    return { update: (bytes) => hash.update(bytes), digest: () => hash.digest('hex') };
  },
};
