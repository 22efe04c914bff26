import { createRequire } from 'node:module';
import os from 'node:os';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { CellsPlatform } from './platform.js';

/** Node.js: the native addon through require, helper threads through worker_threads. */
export const platform: CellsPlatform = {
  requireOptional(name) {
    const here = typeof __filename === 'string' ? __filename : import.meta.url;
    return createRequire(here)(name);
  },
  availableCores: () => os.availableParallelism(),
  startHelperThread(source, control) {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(source, {
      eval: true,
      workerData: { control, port: port2 },
      transferList: [port2],
      execArgv: [],
    });
    // Helpers never keep the process alive; they sleep in Atomics.wait between jobs.
    worker.unref();
    port1.unref();
    return {
      postMessage: (message) => port1.postMessage(message),
      terminate: () => void worker.terminate(),
    };
  },
};
