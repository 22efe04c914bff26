import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../checkpoint/format.js';
import { ConfigError } from '../errors.js';
import { platform } from './browser.js';

// The module the browser build swaps in for ./node.ts, run here directly (Node has no `location`).
describe('core browser platform', () => {
  it('refuses file paths with a ConfigError that says what works in a browser', async () => {
    for (const attempt of [
      platform.readCheckpointFile('runs/lm', DEFAULT_LIMITS, undefined),
      platform.writeCheckpointFile('runs/lm', {} as never, 1),
    ]) {
      const error = await attempt.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toBe(
        'path: "runs/lm": file checkpoints need Node: in a browser use loadCheckpoint(bytes | Blob | url | "indexeddb://name") and saveCheckpoint("indexeddb://name", …) or encodeCheckpoint(…)',
      );
    }
  });

  it('leaves wasm threads to tfjs and reports versions as bundled', async () => {
    await expect(platform.startThreadedWasm(4)).rejects.toThrow(/only under Node/);
    await expect(platform.importNodeBackend()).rejects.toThrow(/tfjs-node\) runs only under Node/);
    expect(platform.installedVersions(['@tensorflow/tfjs'])).toEqual({ '@tensorflow/tfjs': 'unknown (bundled)' });
    const navigator = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
    expect(platform.availableCores()).toBe(navigator?.hardwareConcurrency ?? 1); // Node 20 has no navigator
    expect(platform.runtime().name).toBe('browser');
  });
});
