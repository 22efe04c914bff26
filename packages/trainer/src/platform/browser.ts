import { ConfigError } from '@seqgen/core';
import type { TrainerPlatform } from './platform.js';

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
