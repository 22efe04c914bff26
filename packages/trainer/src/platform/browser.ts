import { ConfigError } from '@seqgen/core';
import type { TrainerPlatform } from './platform.js';
import type { TokenFiles } from './token-files.js';

function needsNode(what: string): never {
  throw new ConfigError(
    what,
    'needs Node.js (files and terminals); in a browser use onStep callbacks and "indexeddb://…" checkpoints',
  );
}

/**
 * Browsers and workers: locations join with "/" (`indexeddb://run/last`), there
 * are no files for a training log or loss plot, and no terminal for a progress bar.
 */
export const platform: TrainerPlatform = {
  files: false,
  joinPath: (dir, name) => `${dir.replace(/\/+$/, '')}/${name}`,
  makeFolderOf: () => needsNode('log'),
  exists: () => false,
  readText: () => needsNode('log'),
  writeText: () => needsNode('log'),
  appendText: () => needsNode('log'),
  stderrIsTerminal: () => false,
  createTerminalBar: () => needsNode('progressBar'),
};

/** Browsers: token shards are files on disk, so every call says they need Node.js. */
export const tokenFiles: TokenFiles = {
  available: false,
  join: (dir, name) => `${dir.replace(/\/+$/, '')}/${name}`,
  makeFolder: () => needsNode('token shards'),
  list: () => needsNode('token shards'),
  stat: () => needsNode('token shards'),
  readText: () => needsNode('token shards'),
  openRead: () => needsNode('token shards'),
  openWrite: () => needsNode('token shards'),
  size: () => needsNode('token shards'),
  read: () => needsNode('token shards'),
  write: () => needsNode('token shards'),
  sync: () => needsNode('token shards'),
  close: () => needsNode('token shards'),
  rename: () => needsNode('token shards'),
  remove: () => needsNode('token shards'),
  sha256: () => needsNode('token shards'),
};
