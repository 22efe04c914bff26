import { fetchCheckpoint } from '../checkpoint/load-url.js';
import { ConfigError } from '../errors.js';
import type { Platform } from './platform.js';

const NEEDS_NODE =
  'file checkpoints need Node: in a browser use loadCheckpoint(bytes | Blob | url | "indexeddb://name") and saveCheckpoint("indexeddb://name", …) or encodeCheckpoint(…)';

/** Browsers and workers: no file system (checkpoints come from bytes, URLs and IndexedDB), tfjs starts wasm threads itself. */
export const platform: Platform = {
  async readCheckpointFile(path, limits, check) {
    // In a page, a path is a URL relative to the page (`/models/lm.seqgen`, `models/lm/`).
    const page = (globalThis as { location?: { href?: string } }).location?.href;
    if (page) return fetchCheckpoint(new URL(path, page), limits, check);
    throw new ConfigError('path', `${JSON.stringify(path.slice(0, 200))}: ${NEEDS_NODE}`);
  },
  async writeCheckpointFile(path) {
    throw new ConfigError('path', `${JSON.stringify(path.slice(0, 200))}: ${NEEDS_NODE}`);
  },
  async importNodeBackend() {
    // Not even named here: bundlers that fold constants (Rolldown, Vite 8) would try to bundle tfjs-node.
    throw new Error('the native TensorFlow backend (tfjs-node) runs only under Node');
  },
  async startThreadedWasm() {
    // In a cross-origin-isolated page tfjs-backend-wasm picks its threaded build on its own.
    throw new Error('seqgen starts the threaded wasm build only under Node; in browsers tfjs chooses it');
  },
  availableCores: () =>
    (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1,
  installedVersions: (names) => Object.fromEntries(names.map((name) => [name, 'unknown (bundled)'])),
  runtime: () => {
    const agent = (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent ?? 'unknown';
    return { name: 'browser', version: agent, platform: 'web' };
  },
};
