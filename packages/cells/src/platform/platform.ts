/**
 * What cells needs from the runtime beyond the web platform. Shared code
 * imports `./node.js`; the browser build (tsup.config.ts) swaps that module for
 * `./browser.ts`, so no Node built-in is bundled for a page.
 */
export interface CellsPlatform {
  /** Loads an optional dependency (the `@seqgen/native` addon); throws when it cannot. */
  requireOptional(name: string): unknown;
  /** Threads the cpu matrix products may use by default. */
  availableCores(): number;
  /** Starts a helper thread running `source` (CommonJS) with `workerData`; throws where there are none. */
  startHelperThread(source: string, control: Int32Array): HelperThread;
}

/** One running helper thread of the cpu matrix products. */
export interface HelperThread {
  /** Posts a job; the helper reads it synchronously after an Atomics wake-up. */
  postMessage(message: unknown): void;
  terminate(): void;
}

/** An environment variable, or undefined where there is no `process` (browsers). */
export function readEnv(name: string): string | undefined {
  return typeof process !== 'undefined' && process.env ? process.env[name] : undefined;
}
