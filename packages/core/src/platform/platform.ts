import type { CheckpointLimits, CheckpointManifest } from '../checkpoint/format.js';
import type { PreparedCheckpoint } from '../checkpoint/prepare.js';

/**
 * What core needs from the runtime beyond the web platform. Shared code
 * imports `./node.js`; the browser build (tsup.config.ts) swaps that module
 * for `./browser.ts`, so nothing Node-only is ever bundled for a page.
 */
export interface Platform {
  /** Reads a checkpoint folder or `.seqgen` file at a path. */
  readCheckpointFile(
    path: string,
    limits: CheckpointLimits,
    check: ((manifest: CheckpointManifest, path: string) => void) | undefined,
  ): Promise<{ manifest: CheckpointManifest; payload: Uint8Array }>;
  /** Writes a prepared checkpoint to a path, atomically. */
  writeCheckpointFile(path: string, prepared: PreparedCheckpoint, shardBytes: number): Promise<CheckpointManifest>;
  /** Imports `@tensorflow/tfjs-node`, which registers the native `tensorflow` backend (Node only). */
  importNodeBackend(): Promise<void>;
  /** Starts tfjs-backend-wasm's threaded build with `threads` threads; returns the count in use. */
  startThreadedWasm(threads: number): Promise<number>;
  /** Logical cores (the default thread count). */
  availableCores(): number;
  /** Installed versions of these packages ('not installed' when absent, 'unknown' when it cannot tell). */
  installedVersions(names: readonly string[]): Record<string, string>;
  /** The runtime and the OS/CPU it runs on, for reports. */
  runtime(): { name: string; version: string; platform: string };
}

/** An environment variable, or undefined where there is no `process` (browsers). */
export function readEnv(name: string): string | undefined {
  return typeof process !== 'undefined' && process.env ? process.env[name] : undefined;
}
