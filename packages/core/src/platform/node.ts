import { createRequire } from 'node:module';
import os from 'node:os';
import { readCheckpointFile } from '../checkpoint/file-load.js';
import { writeCheckpointFile } from '../checkpoint/file-save.js';
import { startThreadedWasm } from '../wasm-threads.js';
import type { Platform } from './platform.js';

/** Node.js: checkpoints on disk, the threaded wasm build started in worker_threads, versions from node_modules. */
export const platform: Platform = {
  readCheckpointFile,
  writeCheckpointFile,
  async importNodeBackend() {
    // Optional dependency: absent, or present without its native library, both throw here.
    // A variable specifier keeps bundlers and the type checker from requiring it.
    const nodeBackend = '@tensorflow/tfjs-node';
    await import(nodeBackend);
  },
  startThreadedWasm,
  availableCores: () => os.availableParallelism(),
  installedVersions(names) {
    // Backends reached through @tensorflow/tfjs are resolved from there (pnpm keeps them out of our own scope).
    const resolvers = [createRequire(import.meta.url)];
    try {
      resolvers.push(createRequire((resolvers[0] as NodeJS.Require).resolve('@tensorflow/tfjs')));
    } catch {
      // tfjs itself missing is reported below.
    }
    const versions: Record<string, string> = {};
    for (const name of names) {
      versions[name] = 'not installed';
      for (const require of resolvers) {
        try {
          versions[name] = (require(`${name}/package.json`) as { version: string }).version;
          break;
        } catch {
          // try the next scope
        }
      }
    }
    return versions;
  },
  runtime: () => ({ name: 'Node', version: process.version, platform: `${process.platform}-${process.arch}` }),
};
